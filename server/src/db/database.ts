import pg from 'pg';
import type { HubConfig } from '../config.js';
import { DatabaseStartError, type EmbeddedCluster, startEmbeddedPostgres } from './embedded.js';
import { migrate, openOrm } from './orm.js';
import { grantAppRole, roleOf } from './roles.js';

/** Where the hub's data lives: an external PostgreSQL or the embedded one. */
export interface DatabaseHandle {
  /** The hub's own, least-privileged connection (the embedded cluster's hub_app). */
  url: string;
  /** The tables' owner: migrations, grants, audit purges. Equal to `url` when one role does both. */
  ownerUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const EMBEDDED_DATABASE = 'hub';

export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return false;
    const from = template ? ` template ${client.escapeIdentifier(template)}` : '';
    await client.query(`create database ${client.escapeIdentifier(name)}${from}`);
    return true;
  } finally {
    await client.end();
  }
}

/** DATABASE_URL when set; otherwise the embedded cluster under DATA_DIR, started and stopped with us. */
export async function openDatabase(config: HubConfig): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, ownerUrl: config.databaseOwnerUrl ?? config.databaseUrl, embedded: false, stop: async () => {} };
  }
  const cluster: EmbeddedCluster = await startEmbeddedPostgres(config.dataDir, config.pgPort);
  try {
    await ensureDatabase(cluster.urlFor('postgres'), EMBEDDED_DATABASE);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return {
    url: cluster.appUrlFor(EMBEDDED_DATABASE),
    ownerUrl: cluster.urlFor(EMBEDDED_DATABASE),
    embedded: true,
    stop: () => cluster.stop(),
  };
}

/**
 * Applies pending migrations as the owner, then (when the hub runs as another role) that role's
 * grants. Instances starting together take turns (an advisory lock): two migrators would race,
 * and concurrent GRANTs on one table fail with "tuple concurrently updated".
 */
export async function migrateDatabase(db: Pick<DatabaseHandle, 'url' | 'ownerUrl'>): Promise<string[]> {
  const lock = new pg.Client({ connectionString: db.ownerUrl });
  await lock.connect();
  try {
    await lock.query(`select pg_advisory_lock(hashtext('hub_migrate'))`);
    const owner = await openOrm(db.ownerUrl, 2);
    try {
      const applied = await migrate(owner).catch((error: unknown) => {
        // 42501 insufficient_privilege: a least-privileged DATABASE_URL cannot change the schema.
        if ((error as { code?: string }).code !== '42501') throw error;
        throw new DatabaseStartError(
          `数据库有待执行的迁移，但 ${roleOf(db.ownerUrl)} 无权修改表结构：请设置 DATABASE_OWNER_URL 为表的所有者（见 docs/deploy.md）。`,
        );
      });
      if (roleOf(db.ownerUrl) !== roleOf(db.url)) await grantAppRole(db.ownerUrl, roleOf(db.url));
      return applied;
    } finally {
      await owner.close();
    }
  } finally {
    // Ending the session releases the lock.
    await lock.end();
  }
}
