import { execFileSync } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase } from '../server/src/db/database.js';
import { isPortFree, startEmbeddedPostgres } from '../server/src/db/embedded.js';

export interface BenchDatabase {
  url: string;
  /** A scratch folder removed with the database. */
  dir: string;
  stop(): Promise<void>;
}

/**
 * A throw-away embedded PostgreSQL with the migrated schema and the demo organisations (regions,
 * departments, industries, the 2026 plan, officers, accounts) but no enterprises. Seeded by the
 * CLI in a child process, so that its password hashing does not count in this process's memory.
 */
export async function benchDatabase(label: string): Promise<BenchDatabase> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `hub-bench-${label}-`));
  let port = 16500 + Math.floor(Math.random() * 500);
  while (!(await isPortFree(port))) port++;
  const cluster = await startEmbeddedPostgres(dir, port);
  await ensureDatabase(cluster.urlFor('postgres'), 'bench');
  const url = cluster.urlFor('bench');
  execFileSync(process.execPath, ['--import', 'tsx', 'server/src/cli/hub.ts', 'seed'], {
    env: { ...process.env, DATABASE_URL: url, SEED_ENTERPRISES: '0', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  return {
    url,
    dir,
    stop: async () => {
      await cluster.stop();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}
