import 'reflect-metadata';
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, projectRoot } from '../config.js';
import { openDatabase } from '../db/database.js';
import { DatabaseStartError } from '../db/embedded.js';
import { migrate, openOrm } from '../db/orm.js';
import { printHubSchema } from '../graphql/schema.js';
import { seedDemo } from './seed.js';

/** `npm run hub -- <command>`: the operator's tools, sharing the server's configuration and code. */
const USAGE = `用法：npm run hub -- <命令>

命令：
  migrate            执行数据库迁移
  seed               写入演示数据（可重复执行，不会重复写入）
  emit-schema        将 GraphQL SDL 写入 schema/schema.graphql
  migration-create   根据实体变更生成新的迁移（开发用）

配置与服务器相同：DATABASE_URL，或 DATA_DIR / PG_PORT（内嵌 PostgreSQL）。`;

async function withDatabase<T>(work: (orm: Awaited<ReturnType<typeof openOrm>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    const orm = await openOrm(db.url, 4);
    try {
      return await work(orm);
    } finally {
      await orm.close();
    }
  } finally {
    await db.stop();
  }
}

export const schemaFile = path.join(projectRoot, 'schema', 'schema.graphql');

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'migrate': {
      const applied = await withDatabase(migrate);
      console.log(applied.length ? `已执行迁移：${applied.join(', ')}` : '数据库已是最新，无需迁移');
      return 0;
    }
    case 'seed': {
      const config = loadConfig();
      const report = await withDatabase(async (orm) => {
        await migrate(orm);
        return seedDemo(orm, { enterprises: config.seedEnterprises });
      });
      console.log(JSON.stringify(report));
      return 0;
    }
    case 'emit-schema': {
      await fs.writeFile(schemaFile, await printHubSchema());
      console.log(`已写入 ${path.relative(process.cwd(), schemaFile)}`);
      return 0;
    }
    case 'migration-create': {
      const result = await withDatabase((orm) => orm.migrator.create());
      console.log(result.fileName ? `已生成 ${result.fileName}；请将其加入 server/src/db/migrations/index.ts` : '实体没有变化');
      return 0;
    }
    default:
      console.error(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof DatabaseStartError ? error.message : error);
    process.exit(1);
  },
);
