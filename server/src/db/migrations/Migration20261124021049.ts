import { Migration } from '@mikro-orm/migrations';

export class Migration20261124021049 extends Migration {
  override name = 'Migration20261124021049';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "publication" ("id" serial primary key, "inspection_id" int not null, "lead_department_id" int not null, "department_ids" integer[] not null, "task_ids" integer[] not null, "visible_to" integer[] not null, "enterprise_name" varchar(255) not null, "uscc" varchar(18) not null, "completed_on" date not null, "due_on" date not null, "due_provisional" boolean not null, "published_on" date not null, "published_at" timestamptz not null, "published_by_id" int not null, "status" text not null, "current_version" int not null, "corrected_on" date null, "correction_reason" text null, "version" int not null default 1);`,
    );
    this.addSql(`alter table "publication" add constraint "publication_inspection_id_unique" unique ("inspection_id");`);
    this.addSql(`create index "publication_department_ids_index" on "publication" using gin ("department_ids");`);
    this.addSql(`create index "publication_task_ids_index" on "publication" using gin ("task_ids");`);
    this.addSql(`create index "publication_uscc_index" on "publication" ("uscc");`);
    this.addSql(`create index "publication_completed_on_index" on "publication" ("completed_on");`);

    this.addSql(
      `create table "publication_version" ("id" serial primary key, "publication_id" int not null, "number" int not null, "record" jsonb not null, "reason" text null, "effective_on" date not null, "created_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "publication_version" add constraint "publication_version_publication_id_number_unique" unique ("publication_id", "number");`,
    );

    this.addSql(
      `create table "correction" ("id" serial primary key, "publication_id" int not null, "department_id" int not null, "reason" text not null, "changes" jsonb not null, "status" text not null default 'PENDING', "base_version" int not null, "requested_by_id" int not null, "requested_at" timestamptz not null, "decided_by_id" int null, "decided_at" timestamptz null, "decision_note" text null, "resulting_version" int null, "version" int not null default 1);`,
    );
    this.addSql(`create index "correction_department_id_status_index" on "correction" ("department_id", "status");`);

    this.addSql(`alter table "inspection" add "completed_on" date null;`);
    this.addSql(
      `create index "inspection_lead_department_id_status_completed_on_index" on "inspection" ("lead_department_id", "status", "completed_on");`,
    );

    this.addSql(
      `alter table "publication" add constraint "publication_inspection_id_foreign" foreign key ("inspection_id") references "inspection" ("id");`,
    );
    this.addSql(
      `alter table "publication" add constraint "publication_lead_department_id_foreign" foreign key ("lead_department_id") references "department" ("id");`,
    );
    this.addSql(
      `alter table "publication" add constraint "publication_published_by_id_foreign" foreign key ("published_by_id") references "app_user" ("id");`,
    );
    this.addSql(`alter table "publication" add constraint "publication_status_check" check ("status" in ('PUBLISHED', 'CORRECTED'));`);

    this.addSql(
      `alter table "publication_version" add constraint "publication_version_publication_id_foreign" foreign key ("publication_id") references "publication" ("id");`,
    );

    this.addSql(
      `alter table "correction" add constraint "correction_publication_id_foreign" foreign key ("publication_id") references "publication" ("id");`,
    );
    this.addSql(
      `alter table "correction" add constraint "correction_department_id_foreign" foreign key ("department_id") references "department" ("id");`,
    );
    this.addSql(
      `alter table "correction" add constraint "correction_requested_by_id_foreign" foreign key ("requested_by_id") references "app_user" ("id");`,
    );
    this.addSql(
      `alter table "correction" add constraint "correction_decided_by_id_foreign" foreign key ("decided_by_id") references "app_user" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "correction" add constraint "correction_status_check" check ("status" in ('PENDING', 'APPROVED', 'REJECTED'));`,
    );

    // 抽查完成日期 of visits finalised before the column existed: the China date of finalisation.
    this.addSql(
      `update "inspection" set "completed_on" = ("finalised_at" at time zone 'Asia/Shanghai')::date where "finalised_at" is not null;`,
    );
    // What the public saw stays as it was: a version is never changed or removed, nor a publication withdrawn.
    this.addSql(`create or replace function publication_keep() returns trigger language plpgsql as $$
      begin
        raise exception '已公示的内容不能修改或删除（更正须生成新版本）' using errcode = 'P0001';
      end $$;`);
    this.addSql(
      `create trigger publication_version_immutable before update or delete on "publication_version" for each row execute function publication_keep();`,
    );
    this.addSql(
      `create trigger publication_not_withdrawn before delete on "publication" for each row execute function publication_keep();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists publication_version_immutable on "publication_version";`);
    this.addSql(`drop trigger if exists publication_not_withdrawn on "publication";`);
    this.addSql(`drop function if exists publication_keep();`);
    this.addSql(`alter table "publication_version" drop constraint "publication_version_publication_id_foreign";`);
    this.addSql(`alter table "correction" drop constraint "correction_publication_id_foreign";`);

    this.addSql(`drop table if exists "publication" cascade;`);
    this.addSql(`drop table if exists "publication_version" cascade;`);
    this.addSql(`drop table if exists "correction" cascade;`);

    this.addSql(`drop index "inspection_lead_department_id_status_completed_on_index";`);
    this.addSql(`alter table "inspection" drop column "completed_on";`);
  }
}
