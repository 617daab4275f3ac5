/**
 * Draw benchmark at province scale: a synthetic registry (DRAW_ENTERPRISES, default 1,000,000;
 * the goal is stated at 3,600,000) imported through the real import path, and a city-wide joint
 * plan drawn as one draw — the commerce plan's 4 tasks plus 3 joint tasks that market
 * supervision's items join (tasks of several departments drawn together, as in the references).
 * Measures the opening (populations, officer pool and rules committed), the reveal's selection
 * (kept compact populations → per-draw numbers → strata → coordination) and the full reveal
 * (inspections and teams written, one transaction); baseline in the same run: the same strata
 * drawn with `ORDER BY random() LIMIT n` from the registry.
 *
 *   npm run bench:draw            (DRAW_ENTERPRISES to change the size; DRAW_RECORD_OUT=file to keep the record)
 */
import 'reflect-metadata';
import fsp from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { writeSyntheticEnterprises } from '../server/src/cli/registry-commands.js';
import { openOrm } from '../server/src/db/orm.js';
import { viewerOf } from '../server/src/modules/auth/token.service.js';
import { User } from '../server/src/modules/auth/user.entity.js';
import { selectAll, verifyRecord } from '../server/src/modules/draws/draw-record.js';
import { Draw } from '../server/src/modules/draws/draw.entity.js';
import { addDrawEntropy, keptPopulations, openDraw } from '../server/src/modules/draws/draw.service.js';
import { drawRecord } from '../server/src/modules/draws/record.service.js';
import { deriveSeed } from '../server/src/modules/draws/record-hash.js';
import { revealDraw } from '../server/src/modules/draws/reveal.service.js';
import { countVisits, RISK_CLASSES, sampleSizes } from '../server/src/modules/draws/selection.js';
import { Task } from '../server/src/modules/plans/task.entity.js';
import { enterpriseImport } from '../server/src/modules/registry/import/enterprise-import.js';
import { ImportMode } from '../server/src/modules/imports/import-report.js';
import { runImport } from '../server/src/modules/imports/table-import.js';
import { benchDatabase } from './support.js';

const ENTERPRISES = Number(process.env.DRAW_ENTERPRISES ?? process.env.ENTERPRISES ?? 1_000_000);

/** Joint tasks led by commerce that market supervision's items join (their scopes overlap the plan's). */
const JOINT_TASKS = [
  { name: '对汽车销售企业的产品质量与广告联合检查', industry: 'C-CAR-SALES', percent: 5 },
  { name: '对单用途预付卡发卡经营者的消费者权益保护联合检查', industry: 'C-PREPAID-CARD', percent: 5 },
  { name: '对二手车经营主体的登记事项联合检查', industry: 'C-USED-CAR', percent: 10 },
];

async function main() {
  const bench = await benchDatabase('draw');
  const { url, dir } = bench;
  try {
    const file = path.join(dir, 'registry.csv');
    await writeSyntheticEnterprises(ENTERPRISES, file, 'draw-bench');
    const imported = await runImport(url, enterpriseImport, file, { mode: ImportMode.INSERT, allowPartial: false });
    if (!imported.committed) throw new Error('registry import failed');
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const {
      rows: [ids],
    } = await db.query<{ market: number; commerce: number; plan: number }>(
      `select (select id from department where code = 'market') as market, (select id from department where code = 'commerce') as commerce,
              (select id from plan where year = 2026 and department_id = (select id from department where code = 'commerce')) as plan`,
    );
    const marketItems = await db.query<{ id: number }>(`select id from check_item where department_id = $1 order by id limit 2`, [
      ids.market,
    ]);
    for (const [i, t] of JOINT_TASKS.entries()) {
      const {
        rows: [task],
      } = await db.query<{ id: number }>(
        `insert into task (plan_id, seq, name, ratio_kind, ratio_percent, ratio_text, risk_stratified, lead_department_id, modes, frequency_per_year)
         values ($1, $2, $3, 'PERCENT', $4, $5, true, $6, '{CITY_DRAWS_CITY_CHECKS}', 1) returning id`,
        [ids.plan, 100 + i, t.name, t.percent, `${t.percent}%`, ids.commerce],
      );
      await db.query(`insert into task_scope_industry (task_id, industry_id) select $1, id from industry where code = $2`, [
        task.id,
        t.industry,
      ]);
      await db.query(`insert into task_partner_department (task_id, department_id) values ($1, $2)`, [task.id, ids.market]);
      for (const item of marketItems.rows)
        await db.query(`insert into task_check_item (task_id, check_item_id) values ($1, $2)`, [task.id, item.id]);
    }
    await db.query('analyze');

    const orm = await openOrm(url, 4);
    const em = orm.em.fork();
    const tasks = await em.find(Task, { plan: { year: 2026 } }, { populate: ['scopeIndustries', 'scopeRegions'], orderBy: { id: 'asc' } });
    const commerce = viewerOf(await em.findOneOrFail(User, { username: 'commerce.staff' }), Number.MAX_SAFE_INTEGER);
    const witness = viewerOf(await em.findOneOrFail(User, { username: 'commerce.witness' }), Number.MAX_SAFE_INTEGER);
    const taskIds = tasks.filter((t) => t.leadDepartment.id === commerce.departmentId).map((t) => t.id);

    // Opening: populations from the registry, the officer pool and rules — committed before any seed exists.
    let t0 = performance.now();
    const opened = await openDraw(orm.em.fork(), commerce, taskIds);
    const openMs = performance.now() - t0;
    await addDrawEntropy(orm.em.fork(), witness, opened.id, 'bench 见证 3-5-6');

    // The reveal's selection alone: kept compact populations, one SHA-256 compression per firm, strata, coordination.
    const draw = await orm.em.fork().findOneOrFail(Draw, { id: opened.id });
    const seed = deriveSeed(draw.secret, ['bench 见证 3-5-6'], draw.id);
    const selectionRuns: number[] = [];
    let results: ReturnType<typeof selectAll>['results'] = [];
    for (let run = 0; run < 3; run++) {
      t0 = performance.now();
      const populations = await keptPopulations(orm.em.fork(), draw.id);
      results = selectAll(
        seed,
        draw.spec!.tasks.map((t) => ({ ...t, population: populations.get(t.taskId)! })),
      ).results;
      selectionRuns.push(performance.now() - t0);
    }
    const drawMs = Math.min(...selectionRuns);
    const visits = countVisits(results);
    const independent = draw.visitsIndependent;
    const eligible = draw.spec!.tasks.reduce((s, t) => s + RISK_CLASSES.reduce((n, r) => n + t.strata[r].size, 0), 0);

    // Baseline: the same sample sizes by ORDER BY random(), per task and stratum, from the registry.
    t0 = performance.now();
    for (const spec of draw.spec!.tasks) {
      const n = sampleSizes(spec, Object.fromEntries(RISK_CLASSES.map((r) => [r, spec.strata[r].size])) as never);
      const task = tasks.find((t) => t.id === spec.taskId)!;
      const industries = task.scopeIndustries.getItems().map((x) => x.id);
      const regions = task.scopeRegions.getItems().map((x) => x.id);
      for (const r of RISK_CLASSES) {
        await db.query(
          `select uscc from enterprise where status in ('OPERATING','SUSPENDED') and industry_ids && $1::int[]
             and (cardinality($2::int[]) = 0 or region_id = any($2::int[])) and risk_class = $3 order by random() limit $4`,
          [industries, regions, r, n[r].n],
        );
      }
    }
    const baselineMs = performance.now() - t0;

    // The full reveal: selection, eligibility re-check, inspections and teams written, record, event — one transaction.
    t0 = performance.now();
    const revealed = await revealDraw(orm.em.fork(), commerce, opened.id);
    const revealMs = performance.now() - t0;
    t0 = performance.now();
    const record = await drawRecord(orm.em.fork(), commerce, opened.id);
    const verified = verifyRecord(record);
    const verifyMs = performance.now() - t0;
    if (process.env.DRAW_RECORD_OUT) await fsp.writeFile(process.env.DRAW_RECORD_OUT, JSON.stringify(record));
    await orm.close();
    await db.end();

    console.log(
      `registry ${ENTERPRISES.toLocaleString()} firms; one city-wide joint draw of ${taskIds.length} tasks (commerce plan + ${JOINT_TASKS.length} joint with market supervision); ${eligible.toLocaleString()} eligible task-firm pairs`,
    );
    console.log(`opening (populations, officer pool, rules committed): ${openMs.toFixed(0)} ms`);
    console.log(
      `reveal selection (best of 3: ${selectionRuns.map((x) => x.toFixed(0)).join(', ')} ms): ${drawMs.toFixed(0)} ms; ORDER BY random() per task and stratum: ${baselineMs.toFixed(0)} ms`,
    );
    console.log(`visits ${visits} with coordination; ${independent.toFixed(1)} expected with independent draws`);
    console.log(`full reveal (${revealed.visits} inspections with teams written): ${revealMs.toFixed(0)} ms`);
    console.log(
      `record read back and verified (${verified.ok ? 'MATCH' : `DIFFERENT: ${verified.difference}`}): ${verifyMs.toFixed(0)} ms`,
    );
    console.log(
      `RESULT enterprises=${ENTERPRISES} tasks=${taskIds.length} draw_ms=${drawMs.toFixed(0)} baseline_ms=${baselineMs.toFixed(0)} speedup=${(baselineMs / drawMs).toFixed(2)} ` +
        `reveal_ms=${revealMs.toFixed(0)} open_ms=${openMs.toFixed(0)} visits=${visits} visits_independent=${independent.toFixed(1)}`,
    );
  } finally {
    await bench.stop();
  }
}

await main();
