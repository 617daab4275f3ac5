import { Migration } from '@mikro-orm/migrations';

export class Migration20261124024829 extends Migration {
  override name = 'Migration20261124024829';

  override up(): void | Promise<void> {
    this.addSql(`alter table "draw" drop constraint "draw_status_check";`);
    this.addSql(`alter table "draw" add "cancelled_at" timestamptz null, add "cancelled_by_id" int null, add "cancel_reason" text null;`);
    this.addSql(
      `alter table "draw" add constraint "draw_cancelled_by_id_foreign" foreign key ("cancelled_by_id") references "app_user" ("id") on delete set null;`,
    );
    this.addSql(`alter table "draw" add constraint "draw_status_check" check ("status" in ('COMMITTED', 'REVEALED', 'CANCELLED'));`);
    // A withdrawn draw is a record too: frozen like a revealed one.
    this.addSql(`create or replace function draw_is_immutable() returns trigger language plpgsql as $$
      begin
        if old.status in ('REVEALED', 'CANCELLED') then
          raise exception 'draw % is % and cannot be changed', old.id, lower(old.status) using errcode = 'check_violation';
        end if;
        return case when tg_op = 'DELETE' then old else new end;
      end $$;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "draw" drop constraint "draw_cancelled_by_id_foreign";`);

    this.addSql(`alter table "draw" drop constraint "draw_status_check";`);
    this.addSql(`alter table "draw" drop column "cancelled_at", drop column "cancelled_by_id", drop column "cancel_reason";`);
    this.addSql(`alter table "draw" add constraint "draw_status_check" check ("status" in ('COMMITTED', 'REVEALED'));`);
  }
}
