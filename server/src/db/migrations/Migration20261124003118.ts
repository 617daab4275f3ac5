import { Migration } from '@mikro-orm/migrations';

export class Migration20261124003118 extends Migration {
  override name = 'Migration20261124003118';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "import_job" ("id" uuid not null, "kind" text not null, "mode" text not null, "allow_partial" boolean not null, "file_name" varchar(255) not null, "file_size" int not null, "status" text not null default 'RUNNING', "report" jsonb null, "failure" text null, "department_id" int not null, "created_by_id" int not null, "created_at" timestamptz not null, "finished_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "import_job_department_id_created_at_index" on "import_job" ("department_id", "created_at");`);

    this.addSql(
      `alter table "import_job" add constraint "import_job_department_id_foreign" foreign key ("department_id") references "department" ("id");`,
    );
    this.addSql(
      `alter table "import_job" add constraint "import_job_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id");`,
    );
    this.addSql(`alter table "import_job" add constraint "import_job_kind_check" check ("kind" in ('ENTERPRISE', 'OFFICER', 'PLAN'));`);
    this.addSql(`alter table "import_job" add constraint "import_job_mode_check" check ("mode" in ('INSERT', 'UPSERT'));`);
    this.addSql(
      `alter table "import_job" add constraint "import_job_status_check" check ("status" in ('RUNNING', 'SUCCEEDED', 'REJECTED', 'FAILED'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "import_job" cascade;`);
  }
}
