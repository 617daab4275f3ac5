import { Migration } from '@mikro-orm/migrations';

export class Migration20261124004236 extends Migration {
  override name = 'Migration20261124004236';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "officer_conflict" ("id" serial primary key, "officer_id" int not null, "enterprise_id" int not null, "reason" varchar(255) not null);`,
    );
    this.addSql(
      `alter table "officer_conflict" add constraint "officer_conflict_officer_id_enterprise_id_unique" unique ("officer_id", "enterprise_id");`,
    );

    this.addSql(
      `create table "draw" ("id" uuid not null, "year" int not null, "lead_department_id" int not null, "department_ids" integer[] not null, "status" text not null default 'COMMITTED', "commitment" varchar(64) not null, "population_commitment" varchar(64) not null, "secret" varchar(64) not null, "rotation_offset" double precision not null, "opened_by_id" int not null, "opened_at" timestamptz not null, "revealed_at" timestamptz null, "revealed_by_id" int null, "seed" varchar(64) null, "idempotency_key" varchar(128) null, "record" jsonb null, "visits" int not null default 0, "visits_independent" double precision not null default 0, primary key ("id"));`,
    );
    this.addSql(`alter table "draw" add constraint "draw_idempotency_key_unique" unique ("idempotency_key");`);

    this.addSql(
      `create table "inspection" ("id" serial primary key, "draw_id" uuid not null, "enterprise_id" int not null, "year" int not null, "round" smallint not null, "position" int not null, "lead_department_id" int not null, "status" text not null default 'ASSIGNED', "version" int not null default 1);`,
    );
    this.addSql(`create index "inspection_enterprise_id_year_index" on "inspection" ("enterprise_id", "year");`);
    this.addSql(
      `alter table "inspection" add constraint "inspection_draw_id_enterprise_id_round_unique" unique ("draw_id", "enterprise_id", "round");`,
    );

    this.addSql(
      `create table "inspection_task" ("inspection_id" int not null, "task_id" int not null, primary key ("inspection_id", "task_id"));`,
    );

    this.addSql(
      `create table "inspection_officer" ("inspection_id" int not null, "officer_id" int not null, primary key ("inspection_id", "officer_id"));`,
    );

    this.addSql(
      `create table "inspection_check_item" ("inspection_id" int not null, "check_item_id" int not null, primary key ("inspection_id", "check_item_id"));`,
    );

    this.addSql(
      `create table "draw_entropy" ("id" serial primary key, "draw_id" uuid not null, "user_id" int not null, "by_name" varchar(64) not null, "value" varchar(200) not null, "created_at" timestamptz not null);`,
    );
    this.addSql(`alter table "draw_entropy" add constraint "draw_entropy_draw_id_user_id_unique" unique ("draw_id", "user_id");`);

    this.addSql(`create table "draw_task" ("draw_id" uuid not null, "task_id" int not null, primary key ("draw_id", "task_id"));`);

    this.addSql(
      `alter table "officer_conflict" add constraint "officer_conflict_officer_id_foreign" foreign key ("officer_id") references "officer" ("id");`,
    );
    this.addSql(
      `alter table "officer_conflict" add constraint "officer_conflict_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id");`,
    );

    this.addSql(
      `alter table "draw" add constraint "draw_lead_department_id_foreign" foreign key ("lead_department_id") references "department" ("id");`,
    );
    this.addSql(`alter table "draw" add constraint "draw_opened_by_id_foreign" foreign key ("opened_by_id") references "app_user" ("id");`);
    this.addSql(
      `alter table "draw" add constraint "draw_revealed_by_id_foreign" foreign key ("revealed_by_id") references "app_user" ("id") on delete set null;`,
    );
    this.addSql(`alter table "draw" add constraint "draw_status_check" check ("status" in ('COMMITTED', 'REVEALED'));`);

    this.addSql(`alter table "inspection" add constraint "inspection_draw_id_foreign" foreign key ("draw_id") references "draw" ("id");`);
    this.addSql(
      `alter table "inspection" add constraint "inspection_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id");`,
    );
    this.addSql(
      `alter table "inspection" add constraint "inspection_lead_department_id_foreign" foreign key ("lead_department_id") references "department" ("id");`,
    );
    this.addSql(
      `alter table "inspection" add constraint "inspection_status_check" check ("status" in ('ASSIGNED', 'IN_PROGRESS', 'SUBMITTED', 'FINALISED'));`,
    );

    this.addSql(
      `alter table "inspection_task" add constraint "inspection_task_inspection_id_foreign" foreign key ("inspection_id") references "inspection" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "inspection_task" add constraint "inspection_task_task_id_foreign" foreign key ("task_id") references "task" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "inspection_officer" add constraint "inspection_officer_inspection_id_foreign" foreign key ("inspection_id") references "inspection" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "inspection_officer" add constraint "inspection_officer_officer_id_foreign" foreign key ("officer_id") references "officer" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "inspection_check_item" add constraint "inspection_check_item_inspection_id_foreign" foreign key ("inspection_id") references "inspection" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "inspection_check_item" add constraint "inspection_check_item_check_item_id_foreign" foreign key ("check_item_id") references "check_item" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "draw_entropy" add constraint "draw_entropy_draw_id_foreign" foreign key ("draw_id") references "draw" ("id");`,
    );
    this.addSql(
      `alter table "draw_entropy" add constraint "draw_entropy_user_id_foreign" foreign key ("user_id") references "app_user" ("id");`,
    );

    this.addSql(
      `alter table "draw_task" add constraint "draw_task_draw_id_foreign" foreign key ("draw_id") references "draw" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "draw_task" add constraint "draw_task_task_id_foreign" foreign key ("task_id") references "task" ("id") on update cascade on delete cascade;`,
    );

    // Hand-written: a revealed draw is a record of what happened; the database itself refuses to
    // change or delete it (the application role included).
    this.addSql(`create or replace function draw_is_immutable() returns trigger language plpgsql as $$
      begin
        if old.status = 'REVEALED' then
          raise exception 'draw % is revealed and cannot be changed', old.id using errcode = 'check_violation';
        end if;
        return case when tg_op = 'DELETE' then old else new end;
      end $$;`);
    this.addSql(`create trigger draw_immutable before update or delete on "draw" for each row execute function draw_is_immutable();`);
    this.addSql(`create index "inspection_check_item_check_item_id_index" on "inspection_check_item" ("check_item_id");`);
    this.addSql(`create index "inspection_officer_officer_id_index" on "inspection_officer" ("officer_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists draw_immutable on "draw";`);
    this.addSql(`drop function if exists draw_is_immutable();`);
    this.addSql(`alter table "inspection" drop constraint "inspection_draw_id_foreign";`);
    this.addSql(`alter table "draw_entropy" drop constraint "draw_entropy_draw_id_foreign";`);
    this.addSql(`alter table "draw_task" drop constraint "draw_task_draw_id_foreign";`);
    this.addSql(`alter table "inspection_task" drop constraint "inspection_task_inspection_id_foreign";`);
    this.addSql(`alter table "inspection_officer" drop constraint "inspection_officer_inspection_id_foreign";`);
    this.addSql(`alter table "inspection_check_item" drop constraint "inspection_check_item_inspection_id_foreign";`);

    this.addSql(`drop table if exists "officer_conflict" cascade;`);
    this.addSql(`drop table if exists "draw" cascade;`);
    this.addSql(`drop table if exists "inspection" cascade;`);
    this.addSql(`drop table if exists "inspection_task" cascade;`);
    this.addSql(`drop table if exists "inspection_officer" cascade;`);
    this.addSql(`drop table if exists "inspection_check_item" cascade;`);
    this.addSql(`drop table if exists "draw_entropy" cascade;`);
    this.addSql(`drop table if exists "draw_task" cascade;`);
  }
}
