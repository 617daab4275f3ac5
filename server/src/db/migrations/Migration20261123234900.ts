import { Migration } from '@mikro-orm/migrations';

export class Migration20261123234900 extends Migration {
  override name = 'Migration20261123234900';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "event" ("id" bigserial primary key, "tx" xid8 not null default pg_current_xact_id(), "type" varchar(64) not null, "department_ids" integer[] not null default '{}', "payload" jsonb not null, "actor_id" int null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "event_tx_id_index" on "event" ("tx", "id");`);

    this.addSql(
      `create table "region" ("id" serial primary key, "code" varchar(12) not null, "name" varchar(64) not null, "parent_id" int null);`,
    );
    this.addSql(`alter table "region" add constraint "region_code_unique" unique ("code");`);

    this.addSql(
      `create table "enterprise" ("id" serial primary key, "uscc" varchar(18) not null, "name" varchar(255) not null, "region_id" int not null, "risk_class" text not null, "address" varchar(255) null, "legal_representative" varchar(64) null, "status" text not null default 'OPERATING', "updated_at" timestamptz not null default now());`,
    );
    this.addSql(`alter table "enterprise" add constraint "enterprise_uscc_unique" unique ("uscc");`);
    this.addSql(`create index "enterprise_region_id_risk_class_index" on "enterprise" ("region_id", "risk_class");`);

    this.addSql(
      `create table "department" ("id" serial primary key, "code" varchar(64) not null, "name" varchar(128) not null, "short_name" varchar(64) not null, "level" text not null, "region_id" int not null, "parent_id" int null);`,
    );
    this.addSql(`alter table "department" add constraint "department_code_unique" unique ("code");`);
    this.addSql(`alter table "department" add constraint "department_name_unique" unique ("name");`);

    this.addSql(
      `create table "plan" ("id" serial primary key, "department_id" int not null, "year" int not null, "name" varchar(255) not null, "document_no" varchar(64) null, "status" text not null default 'DRAFT', "approved_at" timestamptz null);`,
    );
    this.addSql(`alter table "plan" add constraint "plan_department_id_year_name_unique" unique ("department_id", "year", "name");`);

    this.addSql(
      `create table "officer" ("id" serial primary key, "certificate_no" varchar(32) not null, "name" varchar(64) not null, "department_id" int not null, "specialties" text[] not null default '{}', "status" text not null default 'ACTIVE', "certificate_valid_until" date null, "region_id" int not null);`,
    );
    this.addSql(`alter table "officer" add constraint "officer_certificate_no_unique" unique ("certificate_no");`);
    this.addSql(`create index "officer_department_id_index" on "officer" ("department_id");`);

    this.addSql(
      `create table "industry" ("id" serial primary key, "code" varchar(32) not null, "name" varchar(64) not null, "department_id" int null);`,
    );
    this.addSql(`alter table "industry" add constraint "industry_code_unique" unique ("code");`);
    this.addSql(`alter table "industry" add constraint "industry_name_unique" unique ("name");`);

    this.addSql(
      `create table "enterprise_industry" ("enterprise_id" int not null, "industry_id" int not null, primary key ("enterprise_id", "industry_id"));`,
    );

    this.addSql(
      `create table "check_item" ("id" serial primary key, "code" varchar(32) not null, "department_id" int not null, "year" int not null, "category" varchar(255) not null, "item" text not null, "target" varchar(255) null, "kind" text not null, "method" text not null, "legal_basis" text null, "required_specialty" varchar(64) null);`,
    );
    this.addSql(
      `alter table "check_item" add constraint "check_item_department_id_year_code_unique" unique ("department_id", "year", "code");`,
    );

    this.addSql(`create table "app_setting" ("key" varchar(64) not null, "value" text not null, primary key ("key"));`);

    this.addSql(
      `create table "task" ("id" serial primary key, "plan_id" int not null, "seq" int not null, "name" varchar(255) not null, "items_text" text not null default '', "scope_text" text not null default '', "ratio_kind" text not null, "ratio_percent" double precision null, "ratio_at_least" boolean not null default false, "ratio_count" int null, "ratio_per_risk_class" jsonb null, "ratio_text" varchar(255) not null, "frequency_per_year" int null, "window_from_month" smallint null, "window_to_month" smallint null, "risk_stratified" boolean not null default false, "risk_rule_text" text not null default '', "lead_department_id" int not null, "modes" text[] not null default '{}', "draw_type" text null, "joint" boolean not null default true, "source_text" jsonb not null default '{}', "version" int not null default 1, "updated_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "task_lead_department_id_index" on "task" ("lead_department_id");`);
    this.addSql(`alter table "task" add constraint "task_plan_id_seq_unique" unique ("plan_id", "seq");`);

    this.addSql(
      `create table "task_check_item" ("task_id" int not null, "check_item_id" int not null, primary key ("task_id", "check_item_id"));`,
    );

    this.addSql(
      `create table "task_partner_department" ("task_id" int not null, "department_id" int not null, primary key ("task_id", "department_id"));`,
    );

    this.addSql(
      `create table "task_scope_industry" ("task_id" int not null, "industry_id" int not null, primary key ("task_id", "industry_id"));`,
    );

    this.addSql(
      `create table "task_scope_region" ("task_id" int not null, "region_id" int not null, primary key ("task_id", "region_id"));`,
    );

    this.addSql(
      `create table "app_user" ("id" serial primary key, "username" varchar(64) not null, "display_name" varchar(64) not null, "password_hash" varchar(255) not null, "department_id" int not null, "roles" text[] not null, "officer_id" int null, "active" boolean not null default true, "last_login_at" timestamptz null);`,
    );
    this.addSql(`alter table "app_user" add constraint "app_user_username_unique" unique ("username");`);
    this.addSql(`create index "app_user_department_id_index" on "app_user" ("department_id");`);

    this.addSql(
      `alter table "region" add constraint "region_parent_id_foreign" foreign key ("parent_id") references "region" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "enterprise" add constraint "enterprise_region_id_foreign" foreign key ("region_id") references "region" ("id");`,
    );
    this.addSql(
      `alter table "enterprise" add constraint "enterprise_risk_class_check" check ("risk_class" in ('A_LOW', 'B_GENERAL', 'C_ELEVATED', 'D_HIGH'));`,
    );
    this.addSql(
      `alter table "enterprise" add constraint "enterprise_status_check" check ("status" in ('OPERATING', 'SUSPENDED', 'REVOKED', 'DEREGISTERED'));`,
    );

    this.addSql(
      `alter table "department" add constraint "department_region_id_foreign" foreign key ("region_id") references "region" ("id");`,
    );
    this.addSql(
      `alter table "department" add constraint "department_parent_id_foreign" foreign key ("parent_id") references "department" ("id") on delete set null;`,
    );
    this.addSql(`alter table "department" add constraint "department_level_check" check ("level" in ('CITY', 'COUNTY'));`);

    this.addSql(
      `alter table "plan" add constraint "plan_department_id_foreign" foreign key ("department_id") references "department" ("id");`,
    );
    this.addSql(`alter table "plan" add constraint "plan_status_check" check ("status" in ('DRAFT', 'APPROVED'));`);

    this.addSql(
      `alter table "officer" add constraint "officer_department_id_foreign" foreign key ("department_id") references "department" ("id");`,
    );
    this.addSql(`alter table "officer" add constraint "officer_region_id_foreign" foreign key ("region_id") references "region" ("id");`);
    this.addSql(`alter table "officer" add constraint "officer_status_check" check ("status" in ('ACTIVE', 'INACTIVE'));`);

    this.addSql(
      `alter table "industry" add constraint "industry_department_id_foreign" foreign key ("department_id") references "department" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "enterprise_industry" add constraint "enterprise_industry_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "enterprise_industry" add constraint "enterprise_industry_industry_id_foreign" foreign key ("industry_id") references "industry" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "check_item" add constraint "check_item_department_id_foreign" foreign key ("department_id") references "department" ("id");`,
    );
    this.addSql(`alter table "check_item" add constraint "check_item_kind_check" check ("kind" in ('GENERAL', 'KEY'));`);
    this.addSql(
      `alter table "check_item" add constraint "check_item_method_check" check ("method" in ('ON_SITE', 'DOCUMENTARY', 'ONLINE', 'ENTRUSTED'));`,
    );

    this.addSql(`alter table "task" add constraint "task_plan_id_foreign" foreign key ("plan_id") references "plan" ("id");`);
    this.addSql(
      `alter table "task" add constraint "task_lead_department_id_foreign" foreign key ("lead_department_id") references "department" ("id");`,
    );
    this.addSql(
      `alter table "task" add constraint "task_modes_check" check ("modes" <@ array['CITY_DRAWS_CITY_CHECKS'::text, 'CITY_DRAWS_COUNTY_CHECKS'::text, 'COUNTY_DRAWS_COUNTY_CHECKS'::text]);`,
    );
    this.addSql(`alter table "task" add constraint "task_draw_type_check" check ("draw_type" in ('DIRECTED', 'UNDIRECTED'));`);
    this.addSql(
      `alter table "task" add constraint "task_ratio_kind_check" check ("ratio_kind" in ('PERCENT', 'COUNT', 'PER_RISK_CLASS', 'UNSPECIFIED'));`,
    );

    this.addSql(
      `alter table "task_check_item" add constraint "task_check_item_task_id_foreign" foreign key ("task_id") references "task" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "task_check_item" add constraint "task_check_item_check_item_id_foreign" foreign key ("check_item_id") references "check_item" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "task_partner_department" add constraint "task_partner_department_task_id_foreign" foreign key ("task_id") references "task" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "task_partner_department" add constraint "task_partner_department_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "task_scope_industry" add constraint "task_scope_industry_task_id_foreign" foreign key ("task_id") references "task" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "task_scope_industry" add constraint "task_scope_industry_industry_id_foreign" foreign key ("industry_id") references "industry" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "task_scope_region" add constraint "task_scope_region_task_id_foreign" foreign key ("task_id") references "task" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "task_scope_region" add constraint "task_scope_region_region_id_foreign" foreign key ("region_id") references "region" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "app_user" add constraint "app_user_department_id_foreign" foreign key ("department_id") references "department" ("id");`,
    );
    this.addSql(
      `alter table "app_user" add constraint "app_user_officer_id_foreign" foreign key ("officer_id") references "officer" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "app_user" add constraint "app_user_roles_check" check ("roles" <@ array['ADMIN'::text, 'STAFF'::text, 'HEAD'::text, 'OFFICER'::text, 'WITNESS'::text, 'AUDITOR'::text]);`,
    );

    // Hand-written: reverse lookups on pivot tables (scope filters, partner queries) and name search.
    this.addSql(`create index "enterprise_industry_industry_id_index" on "enterprise_industry" ("industry_id", "enterprise_id");`);
    this.addSql(`create index "task_partner_department_department_id_index" on "task_partner_department" ("department_id");`);
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create index "enterprise_name_trgm_index" on "enterprise" using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "officer_name_trgm_index" on "officer" using gin ("name" gin_trgm_ops);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "region" drop constraint "region_parent_id_foreign";`);
    this.addSql(`alter table "enterprise" drop constraint "enterprise_region_id_foreign";`);
    this.addSql(`alter table "department" drop constraint "department_region_id_foreign";`);
    this.addSql(`alter table "officer" drop constraint "officer_region_id_foreign";`);
    this.addSql(`alter table "task_scope_region" drop constraint "task_scope_region_region_id_foreign";`);
    this.addSql(`alter table "enterprise_industry" drop constraint "enterprise_industry_enterprise_id_foreign";`);
    this.addSql(`alter table "department" drop constraint "department_parent_id_foreign";`);
    this.addSql(`alter table "plan" drop constraint "plan_department_id_foreign";`);
    this.addSql(`alter table "officer" drop constraint "officer_department_id_foreign";`);
    this.addSql(`alter table "industry" drop constraint "industry_department_id_foreign";`);
    this.addSql(`alter table "check_item" drop constraint "check_item_department_id_foreign";`);
    this.addSql(`alter table "task" drop constraint "task_lead_department_id_foreign";`);
    this.addSql(`alter table "task_partner_department" drop constraint "task_partner_department_department_id_foreign";`);
    this.addSql(`alter table "app_user" drop constraint "app_user_department_id_foreign";`);
    this.addSql(`alter table "task" drop constraint "task_plan_id_foreign";`);
    this.addSql(`alter table "app_user" drop constraint "app_user_officer_id_foreign";`);
    this.addSql(`alter table "enterprise_industry" drop constraint "enterprise_industry_industry_id_foreign";`);
    this.addSql(`alter table "task_scope_industry" drop constraint "task_scope_industry_industry_id_foreign";`);
    this.addSql(`alter table "task_check_item" drop constraint "task_check_item_check_item_id_foreign";`);
    this.addSql(`alter table "task_check_item" drop constraint "task_check_item_task_id_foreign";`);
    this.addSql(`alter table "task_partner_department" drop constraint "task_partner_department_task_id_foreign";`);
    this.addSql(`alter table "task_scope_industry" drop constraint "task_scope_industry_task_id_foreign";`);
    this.addSql(`alter table "task_scope_region" drop constraint "task_scope_region_task_id_foreign";`);

    this.addSql(`drop table if exists "event" cascade;`);
    this.addSql(`drop table if exists "region" cascade;`);
    this.addSql(`drop table if exists "enterprise" cascade;`);
    this.addSql(`drop table if exists "department" cascade;`);
    this.addSql(`drop table if exists "plan" cascade;`);
    this.addSql(`drop table if exists "officer" cascade;`);
    this.addSql(`drop table if exists "industry" cascade;`);
    this.addSql(`drop table if exists "enterprise_industry" cascade;`);
    this.addSql(`drop table if exists "check_item" cascade;`);
    this.addSql(`drop table if exists "app_setting" cascade;`);
    this.addSql(`drop table if exists "task" cascade;`);
    this.addSql(`drop table if exists "task_check_item" cascade;`);
    this.addSql(`drop table if exists "task_partner_department" cascade;`);
    this.addSql(`drop table if exists "task_scope_industry" cascade;`);
    this.addSql(`drop table if exists "task_scope_region" cascade;`);
    this.addSql(`drop table if exists "app_user" cascade;`);
  }
}
