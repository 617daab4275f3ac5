import pg from 'pg';
import type { HubConfig } from '../config.js';
import { type EmbeddedCluster, startEmbeddedPostgres } from './embedded.js';

/** Where the hub's data lives: an external PostgreSQL or the embedded one. */
export interface DatabaseHandle {
  url: string;
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
    return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  }
  const cluster: EmbeddedCluster = await startEmbeddedPostgres(config.dataDir, config.pgPort);
  try {
    await ensureDatabase(cluster.urlFor('postgres'), EMBEDDED_DATABASE);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return { url: cluster.urlFor(EMBEDDED_DATABASE), embedded: true, stop: () => cluster.stop() };
}
