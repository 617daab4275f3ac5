import { Migration } from '@mikro-orm/migrations';

export class Migration20261202062111 extends Migration {
  override name = 'Migration20261202062111';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "risk_class_change" ("id" serial primary key, "enterprise_id" int not null, "from_class" text null, "to_class" text not null, "channel" text not null, "source" varchar(255) not null, "reason" varchar(500) not null, "changed_by_id" int null, "changed_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "risk_class_change_enterprise_id_changed_at_index" on "risk_class_change" ("enterprise_id", "changed_at");`);

    this.addSql(
      `alter table "check_item" add "retired_at" timestamptz null, add "retire_reason" varchar(500) null, add "version" int not null default 1;`,
    );

    this.addSql(
      `alter table "risk_class_change" add constraint "risk_class_change_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "risk_class_change" add constraint "risk_class_change_changed_by_id_foreign" foreign key ("changed_by_id") references "app_user" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "risk_class_change" add constraint "risk_class_change_from_class_check" check ("from_class" in ('A_LOW', 'B_GENERAL', 'C_ELEVATED', 'D_HIGH'));`,
    );
    this.addSql(
      `alter table "risk_class_change" add constraint "risk_class_change_to_class_check" check ("to_class" in ('A_LOW', 'B_GENERAL', 'C_ELEVATED', 'D_HIGH'));`,
    );
    this.addSql(
      `alter table "risk_class_change" add constraint "risk_class_change_channel_check" check ("channel" in ('CREATED', 'MANUAL', 'IMPORT'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "risk_class_change" cascade;`);

    this.addSql(`alter table "check_item" drop column "retired_at", drop column "retire_reason", drop column "version";`);
  }
}
