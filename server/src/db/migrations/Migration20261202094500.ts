import { Migration } from '@mikro-orm/migrations';

/**
 * Audit entries are signed with a key kept outside the database (HMAC-SHA-256); those written
 * before carry a plain SHA-256 and may only precede the signed ones. A publishing request's
 * idempotency key is kept with its publications, so a retry after a lost answer publishes once.
 */
export class Migration20261202094500 extends Migration {
  override name = 'Migration20261202094500';

  override up(): void | Promise<void> {
    this.addSql(`alter table "audit_log" add "keyed" boolean not null default false;`);
    this.addSql(`alter table "publication" add "idempotency_key" varchar(128) null;`);
    this.addSql(`create index "publication_idempotency_key_index" on "publication" ("idempotency_key");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_log" drop column "keyed";`);
    this.addSql(`alter table "publication" drop column "idempotency_key";`);
  }
}
