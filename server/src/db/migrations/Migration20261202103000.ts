import { Migration } from '@mikro-orm/migrations';

/**
 * A head returns a submitted visit with a comment the team reads; a finding has at most one
 * open referral per receiving department (the service checks under a lock; the index holds it).
 */
export class Migration20261202103000 extends Migration {
  override name = 'Migration20261202103000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "inspection" add "return_comment" text null, add "returned_at" timestamptz null;`);
    this.addSql(
      `create unique index "referral_open_per_department" on "referral" ("finding_id", "to_department_id") where "status" <> 'CLOSED';`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "referral_open_per_department";`);
    this.addSql(`alter table "inspection" drop column "return_comment", drop column "returned_at";`);
  }
}
