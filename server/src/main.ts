import 'reflect-metadata';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { DatabaseStartError, isPortFree } from './db/embedded.js';
import { migrate, openOrm } from './db/orm.js';
import { isEmpty, seedDemo } from './cli/seed.js';
import { startHub } from './graphql/server.js';
import { logger } from './logger.js';

/** Start: database (embedded unless DATABASE_URL), migrations, demo data on first start, serve. */
async function main() {
  const started = Date.now();
  const config = loadConfig();
  if (!(await isPortFree(config.port))) {
    throw new DatabaseStartError(`端口 ${config.port} 已被占用：请停止占用该端口的程序，或设置环境变量 PORT 为其他端口（例如 PORT=4001）。`);
  }
  const db = await openDatabase(config);
  const orm = await openOrm(db.url);
  const applied = await migrate(orm);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  if (config.seedDemo && (await isEmpty(orm))) {
    await seedDemo(orm, { enterprises: config.seedEnterprises });
  }
  const hub = await startHub(orm, config, db.url);
  logger.info({ url: `http://localhost:${hub.port}`, ms: Date.now() - started, embeddedDatabase: db.embedded }, 'hub ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    try {
      await hub.close();
      await orm.close();
      await db.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof DatabaseStartError) {
    console.error(`\n启动失败：${error.message}\n`);
  } else {
    logger.fatal({ err: error }, 'start failed');
    console.error(`\n启动失败：${(error as Error).message}\n`);
  }
  process.exit(1);
});
