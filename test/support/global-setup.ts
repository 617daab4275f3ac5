import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { seedDemo } from '../../server/src/modules/demo/demo.seed.js';
import { ensureDatabase } from '../../server/src/db/database.js';
import { type EmbeddedCluster, isPortFree, startEmbeddedPostgres } from '../../server/src/db/embedded.js';
import { migrate, openOrm } from '../../server/src/db/orm.js';
import { APP_ROLE, grantAppRole } from '../../server/src/db/roles.js';

export const TEMPLATE_DB = 'hub_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    /** The hub's least-privileged role on the same cluster (hub_app), as the server runs. */
    pgAppUrl: string;
    templateDb: string;
  }
}

/** A free port below the ephemeral range, so a parallel run does not collide with us. */
async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 2000; port++) if (await isPortFree(port)) return port;
  throw new Error('no free port for the test PostgreSQL');
}

let cluster: EmbeddedCluster | undefined;
let dataDir: string | undefined;

/**
 * One real PostgreSQL for the whole run. A template database holds the migrated schema and the
 * demo seed; every test file clones it (CREATE DATABASE … TEMPLATE), so files never share state.
 * The seed is written as the owner; hubs under test connect as the least-privileged hub_app.
 */
export async function setup(project: TestProject) {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-test-'));
  const port = await freePort(15432 + Math.floor(Math.random() * 1000));
  cluster = await startEmbeddedPostgres(dataDir, port);
  const adminUrl = cluster.urlFor('postgres');
  await ensureDatabase(adminUrl, TEMPLATE_DB);
  const orm = await openOrm(cluster.urlFor(TEMPLATE_DB), 4);
  try {
    await migrate(orm);
    await seedDemo(orm, { enterprises: 20_000 });
  } finally {
    await orm.close();
  }
  // Clones keep the template's grants: every test hub runs as the role a real one does.
  await grantAppRole(cluster.urlFor(TEMPLATE_DB), APP_ROLE);
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgAppUrl', cluster.appUrlFor('postgres'));
  project.provide('templateDb', TEMPLATE_DB);
}

export async function teardown() {
  await cluster?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
}
