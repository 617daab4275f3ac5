import { Migration } from '@mikro-orm/migrations';

export class Migration20261124010329 extends Migration {
  override name = 'Migration20261124010329';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "finding" ("id" serial primary key, "inspection_id" int not null, "item_id" int not null, "department_id" int not null, "results" text[] not null, "problem_kinds" text[] not null default '{}', "follow_up" text not null default 'NONE', "follow_up_deadline" date null, "follow_up_done" boolean not null default false, "follow_up_done_on" date null, "method" text not null default 'ON_SITE', "notes" text not null default '', "officer_id" int not null, "recorded_by_id" int not null, "recorded_at" timestamptz not null, "version" int not null default 1);`,
    );
    this.addSql(`alter table "finding" add constraint "finding_inspection_id_item_id_unique" unique ("inspection_id", "item_id");`);

    this.addSql(
      `alter table "inspection" add "department_ids" integer[] not null default '{}', add "scheduled_at" timestamptz null, add "started_at" timestamptz null, add "submitted_at" timestamptz null, add "finalised_at" timestamptz null;`,
    );

    this.addSql(
      `alter table "finding" add constraint "finding_inspection_id_foreign" foreign key ("inspection_id") references "inspection" ("id");`,
    );
    this.addSql(`alter table "finding" add constraint "finding_item_id_foreign" foreign key ("item_id") references "check_item" ("id");`);
    this.addSql(
      `alter table "finding" add constraint "finding_department_id_foreign" foreign key ("department_id") references "department" ("id");`,
    );
    this.addSql(
      `alter table "finding" add constraint "finding_officer_id_foreign" foreign key ("officer_id") references "officer" ("id");`,
    );
    this.addSql(
      `alter table "finding" add constraint "finding_recorded_by_id_foreign" foreign key ("recorded_by_id") references "app_user" ("id");`,
    );
    this.addSql(
      `alter table "finding" add constraint "finding_results_check" check ("results" <@ array['NO_PROBLEM'::text, 'PROBLEM_PENDING'::text, 'PROBLEM_CORRECTED'::text, 'ACTIVITY_NOT_FOUND'::text, 'CLOSED_OR_LIQUIDATING'::text, 'NON_COOPERATION'::text]);`,
    );
    this.addSql(
      `alter table "finding" add constraint "finding_problem_kinds_check" check ("problem_kinds" <@ array['NOT_DISCLOSED'::text, 'FALSE_DISCLOSURE'::text, 'UNREACHABLE_AT_ADDRESS'::text, 'VIOLATES_OWN_RULES'::text, 'VIOLATES_OTHER_DEPARTMENT_RULES'::text]);`,
    );
    this.addSql(
      `alter table "finding" add constraint "finding_follow_up_check" check ("follow_up" in ('NONE', 'ORDER_CORRECTION', 'REFER_CASE_HANDLING', 'NOTIFY_DEPARTMENT', 'OTHER'));`,
    );
    this.addSql(
      `alter table "finding" add constraint "finding_method_check" check ("method" in ('ON_SITE', 'DOCUMENTARY', 'ONLINE', 'ENTRUSTED'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "finding" cascade;`);

    this.addSql(
      `alter table "inspection" drop column "department_ids", drop column "scheduled_at", drop column "started_at", drop column "submitted_at", drop column "finalised_at";`,
    );
  }
}
