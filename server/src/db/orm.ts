import path from 'node:path';
import { DataloaderType } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM } from '@mikro-orm/postgresql';
import { projectRoot } from '../config.js';
import { logger } from '../logger.js';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

export type Orm = MikroORM;

export const migrationsPath = path.join(projectRoot, 'server', 'src', 'db', 'migrations');

export function ormConfig(databaseUrl: string, poolMax = 20) {
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    dataloader: DataloaderType.ALL,
    forceUtcTimezone: true,
    pool: { min: 0, max: poolMax },
    // Every request forks its own EntityManager; the global one must never be used for work.
    allowGlobalContext: false,
    migrations: {
      path: migrationsPath,
      pathTs: migrationsPath,
      migrationsList,
      snapshotOnMigrate: false,
      silent: true,
    },
    debug: process.env.SQL_DEBUG === '1',
    logger: (message) => logger.debug({ orm: message }),
  });
}

export async function openOrm(databaseUrl: string, poolMax?: number): Promise<Orm> {
  return MikroORM.init(ormConfig(databaseUrl, poolMax));
}

/** Applies committed migrations; never drops anything. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}
