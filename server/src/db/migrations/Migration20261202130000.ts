import { Migration } from '@mikro-orm/migrations';

/**
 * Evidence on visits and findings (modules/attachments): rows point at content in the blob store
 * by SHA-256, each file once per finding (or visit). Once a visit is submitted its evidence can only grow: the service refuses removal,
 * and a trigger refuses it too, so no code path can take evidence out of a submitted record.
 */
export class Migration20261202130000 extends Migration {
  override name = 'Migration20261202130000';

  override up(): void | Promise<void> {
    this.addSql(`create table "attachment" (
      "id" serial primary key,
      "inspection_id" int not null references "inspection" ("id") on update cascade,
      "finding_id" int null references "finding" ("id") on update cascade,
      "sha256" character(64) not null check ("sha256" ~ '^[0-9a-f]{64}$'),
      "file_name" text not null,
      "media_type" text not null,
      "size" int not null check ("size" > 0),
      "width" int null,
      "height" int null,
      "thumbnail_sha256" character(64) null,
      "taken_at" timestamptz null,
      "latitude" double precision null,
      "longitude" double precision null,
      "reason" text null,
      "uploaded_by_id" int not null references "app_user" ("id") on update cascade,
      "uploaded_at" timestamptz not null
    );`);
    this.addSql(`create index "attachment_inspection_id_index" on "attachment" ("inspection_id");`);
    this.addSql(`create index "attachment_finding_id_index" on "attachment" ("finding_id");`);
    // The same file on the same finding (or visit) once: a replayed upload from an offline queue finds the first.
    this.addSql(`create unique index "attachment_once" on "attachment" ("inspection_id", coalesce("finding_id", 0), "sha256");`);
    this.addSql(`create function attachment_keep_after_submission() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from "inspection" i where i.id = old.inspection_id and i.status not in ('ASSIGNED', 'IN_PROGRESS')) then
          raise exception 'evidence of a submitted visit cannot be removed or changed' using errcode = 'check_violation';
        end if;
        return case when tg_op = 'DELETE' then old else new end;
      end $$;`);
    this.addSql(`create trigger "attachment_keep_after_submission" before update or delete on "attachment"
      for each row execute function attachment_keep_after_submission();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "attachment";`);
    this.addSql(`drop function if exists attachment_keep_after_submission();`);
  }
}
