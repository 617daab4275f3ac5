import { Migration } from '@mikro-orm/migrations';

export class Migration20261124010046 extends Migration {
  override name = 'Migration20261124010046';

  override up(): void | Promise<void> {
    this.addSql(`alter table "officer_conflict" add "declared_by_id" int null, add "declared_at" timestamptz not null default now();`);
    this.addSql(
      `alter table "officer_conflict" add constraint "officer_conflict_declared_by_id_foreign" foreign key ("declared_by_id") references "app_user" ("id") on delete set null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "officer_conflict" drop constraint "officer_conflict_declared_by_id_foreign";`);

    this.addSql(`alter table "officer_conflict" drop column "declared_by_id", drop column "declared_at";`);
  }
}
