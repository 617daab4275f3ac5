import 'reflect-metadata';
import fs from 'node:fs/promises';
import pg from 'pg';
import path from 'node:path';
import { loadConfig, projectRoot } from '../config.js';
import { migrateDatabase, openDatabase } from '../db/database.js';
import { DatabaseStartError } from '../db/embedded.js';
import { openOrm } from '../db/orm.js';
import { printHubSchema } from '../graphql/schema.js';
import { enterpriseImport } from '../modules/registry/import/enterprise-import.js';
import { officerImport } from '../modules/registry/import/officer-import.js';
import { runImport } from '../modules/imports/table-import.js';
import { parseImportFlags, printReport, progressBar, writeSyntheticEnterprises } from './registry-commands.js';
import { dryRunJson } from '../modules/plans/import/plan-document.js';
import { readPlanFile } from '../modules/plans/import/plan-file.js';
import { importPlanDocument } from '../modules/plans/import/plan-import.service.js';
import { type AuditCheckpoint, purgeAudit, verifyAudit } from '../modules/audit/audit.service.js';
import { loadAuditKey } from '../modules/audit/audit-key.js';
import { type DrawRecord, type PublicDrawRecord, verifyPublicRecord, verifyRecord } from '../modules/draws/draw-record.js';
import { seedDemo } from '../modules/demo/demo.seed.js';
import { generateActivity } from './activity-generator.js';
import { isIsoDate } from '../core/dates.js';

/** `npm run hub -- <command>`: the operator's tools, sharing the server's configuration and code. */
const USAGE = `用法：npm run hub -- <命令>

命令：
  migrate            执行数据库迁移
  seed               写入演示数据（可重复执行，不会重复写入）
  emit-schema        将 GraphQL SDL 写入 schema/schema.graphql
  migration-create   根据实体变更生成新的迁移（开发用）
  import-enterprises FILE [--mode=insert|upsert] [--allow-partial] [--json]
                     导入监管对象名录库（.xlsx/.csv）；默认全部成功才写入
  import-officers FILE [--mode=insert|upsert] [--allow-partial] [--json]
                     导入执法人员名录库
  import-plan FILE [--dry-run] [--json] [--department CODE]
                     从公开的计划文件（文本 .txt/.md，或 .xlsx）导入年度计划与事项清单；
                     --dry-run 只解析不写入，--json 只输出 JSON
  verify-audit [--checkpoint FILE]...
                     用审计密钥校验审计日志的哈希链：完整输出 OK（退出码 0），否则指出第一条被改动、伪造或删除的记录（退出码 1）；
                     --checkpoint 同时核对审计管理员导出的校验点（发现日志被截短）
  purge-audit --before YYYY-MM-DD
                     清理该日期之前的审计日志（只能清理 180 天以前的）
  verify-draw FILE   由抽取记录离线重算抽取结果：一致输出 MATCH（退出码 0），否则指出第一处不同（退出码 1）
  verify-draw --public FILE  核对公开的抽取记录：种子由密钥与见证人随机串导出、各承诺值、抽取数量与各层规模相符
  gen-enterprises --count N --out FILE [--seed S] [--start K]
                     生成确定性的模拟监管对象名录（统一社会信用代码均有效）
  gen-activity [--enterprises N] [--visits N] [--year Y]
                     生成省级规模的模拟一年工作量（默认 3600000 户、500000 户次检查及其结果、移送、公示，COPY 写入），
                     并更新统计汇总；用于统计的基准测试，请勿在正式库上执行

配置与服务器相同：DATABASE_URL（及 DATABASE_OWNER_URL、AUDIT_KEY），或 DATA_DIR / PG_PORT（内嵌 PostgreSQL）。`;

/** Runs work on the hub's own role, after any pending migrations. */
async function withDatabase<T>(work: (orm: Awaited<ReturnType<typeof openOrm>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    await migrateDatabase(db);
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
      const db = await openDatabase(loadConfig());
      const applied = await migrateDatabase(db).finally(() => db.stop());
      console.log(applied.length ? `已执行迁移：${applied.join(', ')}` : '数据库已是最新，无需迁移');
      return 0;
    }
    case 'seed': {
      const config = loadConfig();
      const report = await withDatabase((orm) => seedDemo(orm, { enterprises: config.seedEnterprises }));
      console.log(JSON.stringify(report));
      return 0;
    }
    case 'emit-schema': {
      await fs.writeFile(schemaFile, await printHubSchema());
      console.log(`已写入 ${path.relative(process.cwd(), schemaFile)}`);
      return 0;
    }
    case 'import-enterprises':
    case 'import-officers': {
      const flags = parseImportFlags(argv.slice(1));
      const options = { mode: flags.mode, allowPartial: flags.allowPartial, onProgress: progressBar(path.basename(flags.file)) };
      const db = await openDatabase(loadConfig());
      try {
        const report =
          command === 'import-enterprises'
            ? await runImport(db.url, enterpriseImport, flags.file, options)
            : await runImport(db.url, officerImport, flags.file, options);
        printReport(report, flags.json);
        return report.committed ? 0 : 1;
      } finally {
        await db.stop();
      }
    }
    case 'import-plan': {
      const file = argv.slice(1).find((a) => !a.startsWith('--') && argv[argv.indexOf(a) - 1] !== '--department');
      if (!file) throw new Error('请指定计划文件');
      const doc = await readPlanFile(file);
      const json = argv.includes('--json');
      if (argv.includes('--dry-run')) {
        if (json) console.log(JSON.stringify(dryRunJson(doc)));
        else {
          console.log(`${doc.title}（${doc.year ?? '年度未知'}）：${doc.tasks.length} 项任务，${doc.checkItems.length} 条抽查事项`);
          for (const t of doc.tasks) {
            console.log(`  ${t.seq ?? '-'} ${t.name} | ${t.ratio.text} | ${t.lead.join('、')} → ${t.partners.join('、') || '—'}`);
            for (const w of t.warnings) console.log(`      提示：${w}`);
          }
        }
        return 0;
      }
      const department = argv.includes('--department') ? argv[argv.indexOf('--department') + 1] : undefined;
      const result = await withDatabase((orm) => importPlanDocument(orm.em.fork(), doc, { departmentCode: department }));
      if (json)
        console.log(
          JSON.stringify({
            plans: result.plans.map((p) => ({ id: p.id, name: p.name, year: p.year })),
            tasks: result.tasks,
            checkItems: result.checkItems,
            warnings: result.warnings,
          }),
        );
      else {
        console.log(
          `已导入 ${result.plans.length} 份计划（草稿）：${result.plans.map((p) => p.name).join('；')}；任务 ${result.tasks} 项，抽查事项 ${result.checkItems} 条`,
        );
        for (const w of result.warnings) console.log(`  提示：${w}`);
      }
      return 0;
    }
    case 'verify-audit':
    case 'purge-audit': {
      const config = loadConfig();
      const db = await openDatabase(config);
      // A purge deletes, which only the owner may; checking needs no more than the hub's role.
      const client = new pg.Client({ connectionString: command === 'purge-audit' ? db.ownerUrl : db.url });
      await client.connect();
      try {
        if (command === 'purge-audit') {
          const before = argv[argv.indexOf('--before') + 1];
          if (!argv.includes('--before') || !isIsoDate(before ?? '')) throw new Error('请用 --before YYYY-MM-DD 指定日期');
          console.log(`已清理 ${await purgeAudit(client, new Date(`${before}T00:00:00Z`))} 条审计日志`);
          return 0;
        }
        const files = argv.flatMap((a, i) => (a === '--checkpoint' ? [argv[i + 1] ?? ''] : []));
        const checkpoints = await Promise.all(files.map(async (f) => JSON.parse(await fs.readFile(f, 'utf8')) as AuditCheckpoint));
        const result = await verifyAudit(client, await loadAuditKey(config), checkpoints);
        console.log(result.ok ? `OK（${result.entries} 条）` : `BROKEN at ${result.entryId}: ${result.reason}`);
        return result.ok ? 0 : 1;
      } finally {
        await client.end();
        await db.stop();
      }
    }
    case 'verify-draw': {
      const isPublic = argv.includes('--public');
      const file = argv.slice(1).find((a) => a !== '--public');
      if (!file) throw new Error('请指定抽取记录文件（JSON）');
      const json = JSON.parse(await fs.readFile(file, 'utf8')) as DrawRecord & PublicDrawRecord;
      const result = isPublic ? verifyPublicRecord(json) : verifyRecord(json);
      console.log(result.ok ? 'MATCH' : `DIFFERENT: ${result.difference}`);
      return result.ok ? 0 : 1;
    }
    case 'gen-enterprises': {
      const count = Number(argv[argv.indexOf('--count') + 1]);
      const out = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : undefined;
      if (!argv.includes('--count') || !Number.isInteger(count) || count < 1) throw new Error('--count 应为正整数');
      if (!out) throw new Error('请用 --out 指定输出文件');
      const seed = argv.includes('--seed') ? argv[argv.indexOf('--seed') + 1] : undefined;
      const start = argv.includes('--start') ? Number(argv[argv.indexOf('--start') + 1]) : 0;
      await writeSyntheticEnterprises(count, out, seed, start);
      console.error(`已生成 ${count} 条监管对象：${out}`);
      return 0;
    }
    case 'gen-activity': {
      const flag = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
      const options = { enterprises: flag('--enterprises', 3_600_000), visits: flag('--visits', 500_000), year: flag('--year', 2026) };
      for (const [key, value] of Object.entries(options))
        if (!Number.isInteger(value) || value < 0) throw new Error(`--${key} 应为非负整数`);
      const config = loadConfig();
      const db = await openDatabase(config);
      try {
        await migrateDatabase(db);
        const report = await generateActivity(db.ownerUrl, options);
        console.log(JSON.stringify(report));
      } finally {
        await db.stop();
      }
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
    console.error(error instanceof DatabaseStartError || error instanceof Error ? `错误：${error.message}` : error);
    process.exit(1);
  },
);
