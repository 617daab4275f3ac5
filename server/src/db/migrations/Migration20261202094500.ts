import { Migration } from '@mikro-orm/migrations';

/**
 * Audit entries are signed with a key kept outside the database (HMAC-SHA-256); those written
 * before carry a plain SHA-256 and may only precede the signed ones.
 */
export class Migration20261202094500 extends Migration {
  override name = 'Migration20261202094500';

  override up(): void | Promise<void> {
    this.addSql(`alter table "audit_log" add "keyed" boolean not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_log" drop column "keyed";`);
  }
}
