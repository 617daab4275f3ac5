import { Migration } from '@mikro-orm/migrations';

export class Migration20261124012007 extends Migration {
  override name = 'Migration20261124012007';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "referral" ("id" serial primary key, "finding_id" int not null, "from_department_id" int not null, "to_department_id" int not null, "kind" text not null, "description" text not null, "due_on" date not null, "status" text not null default 'OPEN', "result" text null, "created_by_id" int not null, "created_at" timestamptz not null, "accepted_at" timestamptz null, "closed_at" timestamptz null, "version" int not null default 1);`,
    );
    this.addSql(`create index "referral_from_department_id_status_index" on "referral" ("from_department_id", "status");`);
    this.addSql(`create index "referral_to_department_id_status_index" on "referral" ("to_department_id", "status");`);

    this.addSql(
      `alter table "referral" add constraint "referral_finding_id_foreign" foreign key ("finding_id") references "finding" ("id");`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_from_department_id_foreign" foreign key ("from_department_id") references "department" ("id");`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_to_department_id_foreign" foreign key ("to_department_id") references "department" ("id");`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id");`,
    );
    this.addSql(`alter table "referral" add constraint "referral_kind_check" check ("kind" in ('CASE_HANDLING', 'NOTIFY'));`);
    this.addSql(`alter table "referral" add constraint "referral_status_check" check ("status" in ('OPEN', 'ACCEPTED', 'CLOSED'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "referral" cascade;`);
  }
}
