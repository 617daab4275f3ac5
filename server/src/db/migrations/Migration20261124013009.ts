import { Migration } from '@mikro-orm/migrations';

export class Migration20261124013009 extends Migration {
  override name = 'Migration20261124013009';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_log" ("id" bigserial primary key, "at" timestamptz not null, "actor_id" int null, "department_id" int null, "operation" varchar(64) not null, "target" varchar(255) not null, "success" boolean not null, "error_code" varchar(32) null, "input_digest" varchar(64) not null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null);`,
    );

    // Hand-written: the log is append-only for everyone, the application's role included. Deleting
    // is allowed only for entries past the 180-day retention (the purge); TRUNCATE never.
    this.addSql(`create or replace function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          raise exception 'audit_log is append-only: entry % cannot be changed', old.id using errcode = 'check_violation';
        end if;
        if tg_op = 'TRUNCATE' then
          raise exception 'audit_log is append-only: it cannot be truncated' using errcode = 'check_violation';
        end if;
        if old.at > now() - interval '180 days' then
          raise exception 'audit entry % is younger than 180 days and cannot be deleted', old.id using errcode = 'check_violation';
        end if;
        return old;
      end $$;`);
    this.addSql(
      `create trigger audit_log_append_only before update or delete on "audit_log" for each row execute function audit_log_append_only();`,
    );
    // Failed logins are counted from here (login rate limit).
    this.addSql(`create index "audit_log_operation_target_at_index" on "audit_log" ("operation", "target", "at");`);
    this.addSql(
      `create trigger audit_log_no_truncate before truncate on "audit_log" for each statement execute function audit_log_append_only();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists audit_log_append_only on "audit_log";`);
    this.addSql(`drop trigger if exists audit_log_no_truncate on "audit_log";`);
    this.addSql(`drop function if exists audit_log_append_only();`);
    this.addSql(`drop table if exists "audit_log" cascade;`);
  }
}
