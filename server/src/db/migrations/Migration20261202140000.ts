import { Migration } from '@mikro-orm/migrations';

/** An offline queue replays a finding with its idempotency key: the last applied key is kept to recognise it. */
export class Migration20261202140000 extends Migration {
  override name = 'Migration20261202140000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "finding" add "idempotency_key" text null;`);
    this.addSql(`create index "finding_idempotency_key_index" on "finding" ("idempotency_key") where "idempotency_key" is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "finding" drop column "idempotency_key";`);
  }
}
