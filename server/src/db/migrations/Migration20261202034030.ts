import { Migration } from '@mikro-orm/migrations';

/** Accounts under 三员分立: login sessions (revocable, idle expiry), forced password change, unlock, one administrator role alone. */

export class Migration20261202034030 extends Migration {
  override name = 'Migration20261202034030';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "user_session" ("id" uuid not null, "user_id" int not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "ended_at" timestamptz null, "end_reason" text null, "ip" varchar(64) null, "user_agent" varchar(255) null, primary key ("id"));`,
    );
    this.addSql(`create index "user_session_user_id_ended_at_index" on "user_session" ("user_id", "ended_at");`);

    this.addSql(`alter table "app_user" drop constraint "app_user_roles_check";`);
    this.addSql(
      `alter table "app_user" add "must_change_password" boolean not null default false, add "password_changed_at" timestamptz null, add "lockout_reset_at" timestamptz null, add "disabled_reason" text null;`,
    );
    this.addSql(
      `alter table "app_user" add constraint "app_user_admin_role_alone" check (cardinality(roles) <= 1 or not (roles && array['ADMIN', 'SECURITY_ADMIN', 'AUDITOR']::text[]));`,
    );
    this.addSql(
      `alter table "app_user" add constraint "app_user_roles_check" check ("roles" <@ array['ADMIN'::text, 'SECURITY_ADMIN'::text, 'AUDITOR'::text, 'STAFF'::text, 'HEAD'::text, 'OFFICER'::text, 'WITNESS'::text]);`,
    );

    this.addSql(
      `alter table "user_session" add constraint "user_session_user_id_foreign" foreign key ("user_id") references "app_user" ("id");`,
    );
    this.addSql(
      `alter table "user_session" add constraint "user_session_end_reason_check" check ("end_reason" in ('LOGOUT', 'REVOKED', 'IDLE', 'DISABLED', 'PASSWORD_CHANGED'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "user_session" cascade;`);
    this.addSql(`alter table "app_user" drop constraint "app_user_admin_role_alone";`);

    this.addSql(`alter table "app_user" drop constraint "app_user_admin_role_alone";`);
    this.addSql(`alter table "app_user" drop constraint "app_user_roles_check";`);
    this.addSql(
      `alter table "app_user" drop column "must_change_password", drop column "password_changed_at", drop column "lockout_reset_at", drop column "disabled_reason";`,
    );
    this.addSql(
      `alter table "app_user" add constraint "app_user_roles_check" check ("roles" <@ array['ADMIN'::text, 'STAFF'::text, 'HEAD'::text, 'OFFICER'::text, 'WITNESS'::text, 'AUDITOR'::text]);`,
    );
  }
}
