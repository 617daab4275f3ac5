import { Migration } from '@mikro-orm/migrations';

/** Plans written by hand: where each partner department stands on a joint task (联合事项确认). */

export class Migration20261202044819 extends Migration {
  override name = 'Migration20261202044819';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "task_partnership" ("id" serial primary key, "task_id" int not null, "department_id" int not null, "status" text not null default 'PENDING', "decided_by_id" int null, "decided_at" timestamptz null, "reason" text null);`,
    );
    this.addSql(
      `alter table "task_partnership" add constraint "task_partnership_task_id_department_id_unique" unique ("task_id", "department_id");`,
    );

    this.addSql(
      `alter table "task_partnership" add constraint "task_partnership_task_id_foreign" foreign key ("task_id") references "task" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "task_partnership" add constraint "task_partnership_department_id_foreign" foreign key ("department_id") references "department" ("id");`,
    );
    this.addSql(
      `alter table "task_partnership" add constraint "task_partnership_decided_by_id_foreign" foreign key ("decided_by_id") references "app_user" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "task_partnership" add constraint "task_partnership_status_check" check ("status" in ('PENDING', 'CONFIRMED', 'WITHDRAWN'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "task_partnership" cascade;`);
  }
}
