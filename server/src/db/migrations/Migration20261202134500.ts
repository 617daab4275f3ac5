import { Migration } from '@mikro-orm/migrations';

/**
 * The signed 现场检查记录 (modules/records): signatures drawn on the phone, one per officer and
 * one for the enterprise per visit (a new one replaces the old before finalisation), and the
 * hash of the PDF kept when the visit is finalised.
 */
export class Migration20261202134500 extends Migration {
  override name = 'Migration20261202134500';

  override up(): void | Promise<void> {
    this.addSql(`create table "record_signature" (
      "id" serial primary key,
      "inspection_id" int not null references "inspection" ("id") on update cascade,
      "kind" text check ("kind" in ('OFFICER', 'ENTERPRISE')) not null,
      "officer_id" int null references "officer" ("id") on update cascade,
      "signer_name" text not null,
      "sha256" character(64) not null,
      "signed_by_id" int not null references "app_user" ("id") on update cascade,
      "signed_at" timestamptz not null,
      check (("kind" = 'OFFICER') = ("officer_id" is not null))
    );`);
    this.addSql(`create unique index "record_signature_once" on "record_signature" ("inspection_id", "kind", coalesce("officer_id", 0));`);
    this.addSql(`alter table "inspection" add "record_sha256" character(64) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "inspection" drop column "record_sha256";`);
    this.addSql(`drop table if exists "record_signature";`);
  }
}
