import { Migration } from '@mikro-orm/migrations';

/** draw-record@2: populations kept compactly, the officer pool committed, witness rules per plan, amendments. */
export class Migration20261202023644 extends Migration {
  override name = 'Migration20261202023644';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "draw_population" ("draw_id" uuid not null, "task_id" int not null, "rows" bytea not null, primary key ("draw_id", "task_id"));`,
    );

    // Rows are hashed on read, never searched: stored uncompressed, so reading them back costs no pglz.
    this.addSql(`alter table "draw_population" alter column "rows" set storage external;`);

    this.addSql(
      `create table "draw_amendment" ("id" serial primary key, "draw_id" uuid not null, "inspection_id" int not null, "visit_key" varchar(64) not null, "out_officer_id" int not null, "in_officer_id" int not null, "out_certificate_no" varchar(64) not null, "in_certificate_no" varchar(64) not null, "reason" text not null, "by_id" int not null, "by_name" varchar(64) not null, "created_at" timestamptz not null);`,
    );

    this.addSql(
      `alter table "plan" add "witnesses_required" int not null default 1, add "witness_from_other_department" boolean not null default false;`,
    );

    this.addSql(`alter table "draw" add "pool" jsonb null;`);

    this.addSql(`alter table "draw_entropy" add "department_id" int null;`);

    this.addSql(
      `alter table "draw_population" add constraint "draw_population_draw_id_foreign" foreign key ("draw_id") references "draw" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "draw_amendment" add constraint "draw_amendment_draw_id_foreign" foreign key ("draw_id") references "draw" ("id");`,
    );
    this.addSql(
      `alter table "draw_amendment" add constraint "draw_amendment_inspection_id_foreign" foreign key ("inspection_id") references "inspection" ("id");`,
    );
    this.addSql(
      `alter table "draw_amendment" add constraint "draw_amendment_out_officer_id_foreign" foreign key ("out_officer_id") references "officer" ("id");`,
    );
    this.addSql(
      `alter table "draw_amendment" add constraint "draw_amendment_in_officer_id_foreign" foreign key ("in_officer_id") references "officer" ("id");`,
    );
    this.addSql(
      `alter table "draw_amendment" add constraint "draw_amendment_by_id_foreign" foreign key ("by_id") references "app_user" ("id");`,
    );
    // What a draw committed to and the amendments of its record are written once.
    this.addSql(`create or replace function draw_record_part_is_immutable() returns trigger language plpgsql as $$
      begin
        raise exception '% rows are written once and cannot be changed', tg_table_name using errcode = 'check_violation';
      end $$;`);
    this.addSql(
      `create trigger draw_population_immutable before update on "draw_population" for each row execute function draw_record_part_is_immutable();`,
    );
    this.addSql(
      `create trigger draw_amendment_immutable before update or delete on "draw_amendment" for each row execute function draw_record_part_is_immutable();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop function if exists draw_record_part_is_immutable() cascade;`);
    this.addSql(`drop table if exists "draw_population" cascade;`);
    this.addSql(`drop table if exists "draw_amendment" cascade;`);

    this.addSql(`alter table "draw" drop column "pool";`);

    this.addSql(`alter table "draw_entropy" drop column "department_id";`);

    this.addSql(`alter table "plan" drop column "witnesses_required", drop column "witness_from_other_department";`);
  }
}
