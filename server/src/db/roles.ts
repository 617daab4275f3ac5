import pg from 'pg';
import { logger } from '../logger.js';

/** The role the embedded database's hub connects as. */
export const APP_ROLE = 'hub_app';

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The login role a connection URL names. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * Creates the hub's login role (or resets its password): no superuser, no CREATEDB or CREATEROLE,
 * owning nothing. Needs a superuser or CREATEROLE connection (the embedded cluster's).
 */
export async function ensureAppRole(adminUrl: string, role: string, password: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const exists = (await client.query('select 1 from pg_roles where rolname = $1', [role])).rowCount;
    const verb = exists ? 'alter' : 'create';
    // Identifiers and passwords cannot be bound as parameters in DDL: both are quoted here.
    await client.query(
      `${verb} role ${client.escapeIdentifier(role)} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${client.escapeLiteral(password)}`,
    );
  });
}

/**
 * What the hub's role may do in its database, applied after every migration (new tables need their
 * grants): read and write the tables and sequences; on the audit log only read and append; on the
 * migrations table only read. It owns no table, so it can neither alter one nor switch a trigger
 * off, and as no superuser it cannot set session_replication_role. Run as the tables' owner.
 */
export async function grantAppRole(ownerUrl: string, role: string): Promise<void> {
  await withClient(ownerUrl, async (client) => {
    const r = client.escapeIdentifier(role);
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    await client.query(`grant connect, temporary on database ${client.escapeIdentifier(rows[0].db)} to ${r}`);
    await client.query(`grant usage on schema public to ${r}`);
    await client.query(`grant select, insert, update, delete on all tables in schema public to ${r}`);
    await client.query(`grant usage, select on all sequences in schema public to ${r}`);
    await client.query(`revoke update, delete, truncate on audit_log from ${r}`);
    await client.query(`revoke insert, update, delete, truncate on mikro_orm_migrations from ${r}`);
  });
}

/**
 * Says so in the log when the hub runs with more rights than it needs: a superuser or the audit
 * log's owner can rewrite the log (the key still exposes a forged entry, but not a removed one).
 */
export async function warnIfPrivileged(url: string): Promise<void> {
  const { superuser, owner } = await withClient(url, async (client) => {
    const { rows } = await client.query<{ superuser: boolean; owner: boolean }>(
      `select r.rolsuper as superuser,
              coalesce(pg_has_role(current_user, (select relowner from pg_class where oid = to_regclass('audit_log')), 'USAGE'), false) as owner
         from pg_roles r where r.rolname = current_user`,
    );
    return rows[0];
  });
  if (superuser || owner) {
    logger.warn(
      { role: roleOf(url), superuser, owner },
      '数据库角色权限过大（超级用户或表的所有者）：请按 docs/deploy.md 为服务使用最小权限角色，并用 DATABASE_OWNER_URL 执行迁移',
    );
  }
}
