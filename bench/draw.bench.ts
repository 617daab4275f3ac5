/**
 * Draw benchmark: the whole 2026 commerce plan plus overlapping market-supervision tasks over a
 * 1,000,000-firm registry, as two draws (one per lead department). Measures the opening (eligible
 * populations from PostgreSQL, fixed then) and the selection the reveal runs (from the kept
 * populations: random numbers, strata, coordination) against the same selection by
 * `ORDER BY random()` per task and stratum in the same run, counts visits with coordination
 * against independent draws, and times a real reveal (inspections and teams written) of the
 * commerce plan.
 *
 *   npm run bench:draw            (ENTERPRISES to change the size; DRAW_RECORD_OUT=file to keep the record)
 */
import 'reflect-metadata';
import fsp from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { writeSyntheticEnterprises } from '../server/src/cli/registry-commands.js';
import { openOrm } from '../server/src/db/orm.js';
import { viewerOf } from '../server/src/modules/auth/token.service.js';
import { User } from '../server/src/modules/auth/user.entity.js';
import { Draw } from '../server/src/modules/draws/draw.entity.js';
import { drawRecord, keptPopulations, openDraw, selectFromOpening } from '../server/src/modules/draws/draw.service.js';
import { revealDraw } from '../server/src/modules/draws/reveal.service.js';
import { countVisits, deriveSeed, RISK_CLASSES, sampleSizes } from '../server/src/modules/draws/selection.js';
import { Task } from '../server/src/modules/plans/task.entity.js';
import { enterpriseImport } from '../server/src/modules/registry/import/enterprise-import.js';
import { ImportMode } from '../server/src/modules/imports/import-report.js';
import { runImport } from '../server/src/modules/imports/table-import.js';
import { benchDatabase } from './support.js';

const ENTERPRISES = Number(process.env.ENTERPRISES ?? 1_000_000);

/** Market-supervision tasks over the same firms as the commerce plan (their scopes overlap). */
const MARKET_TASKS = [
  { name: '对汽车销售企业的产品质量与广告监督检查', industry: 'C-CAR-SALES', percent: 5 },
  { name: '对单用途预付卡发卡经营者的消费者权益保护检查', industry: 'C-PREPAID-CARD', percent: 5 },
  { name: '对二手车经营主体的登记事项检查', industry: 'C-USED-CAR', percent: 10 },
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
      rows: [market],
    } = await db.query<{ id: number }>(`select id from department where code = 'market'`);
    const {
      rows: [plan],
    } = await db.query<{ id: number }>(
      `insert into plan (department_id, year, name, status) values ($1, 2026, '晋城市市场监督管理局2026年度双随机抽查工作计划', 'APPROVED') returning id`,
      [market.id],
    );
    for (const [i, t] of MARKET_TASKS.entries()) {
      const {
        rows: [task],
      } = await db.query<{ id: number }>(
        `insert into task (plan_id, seq, name, ratio_kind, ratio_percent, ratio_text, risk_stratified, lead_department_id, modes, frequency_per_year)
         values ($1, $2, $3, 'PERCENT', $4, $5, true, $6, '{CITY_DRAWS_CITY_CHECKS}', 1) returning id`,
        [plan.id, i + 1, t.name, t.percent, `${t.percent}%`, market.id],
      );
      await db.query(`insert into task_scope_industry (task_id, industry_id) select $1, id from industry where code = $2`, [
        task.id,
        t.industry,
      ]);
    }
    await db.query('analyze');

    const orm = await openOrm(url, 4);
    const em = orm.em.fork();
    const tasks = await em.find(Task, { plan: { year: 2026 } }, { populate: ['scopeIndustries', 'scopeRegions'], orderBy: { id: 'asc' } });
    const commerce = viewerOf(await em.findOneOrFail(User, { username: 'commerce.staff' }), Number.MAX_SAFE_INTEGER);
    const marketStaff = viewerOf(await em.findOneOrFail(User, { username: 'market.staff' }), Number.MAX_SAFE_INTEGER);
    const byLead = (viewer: { departmentId: number }) => tasks.filter((t) => t.leadDepartment.id === viewer.departmentId).map((t) => t.id);

    // Opening: populations from the registry, strata, commitment — fixed before any seed exists.
    let t0 = performance.now();
    const opened = [
      await openDraw(orm.em.fork(), commerce, byLead(commerce)),
      await openDraw(orm.em.fork(), marketStaff, byLead(marketStaff)),
    ];
    const openMs = performance.now() - t0;

    // The reveal's selection: the populations kept at the opening, SHA-256(seed ‖ USCC) once per firm, strata, coordination.
    t0 = performance.now();
    const results = [];
    for (const { id } of opened) {
      const fork = orm.em.fork();
      const draw = await fork.findOneOrFail(Draw, { id });
      results.push(selectFromOpening(draw.spec!, await keptPopulations(fork, id), deriveSeed(draw.secret, [], draw.id)));
    }
    const drawMs = performance.now() - t0;
    const visits = results.reduce((sum, r) => sum + countVisits(r), 0);
    const independent = opened.reduce((sum, d) => sum + d.visitsIndependent, 0);
    const eligible = opened.reduce(
      (sum, d) => sum + d.spec!.tasks.reduce((s, t) => s + RISK_CLASSES.reduce((n, r) => n + t.strata[r].size, 0), 0),
      0,
    );

    // Baseline: the same sample sizes by ORDER BY random(), per task and stratum, from the registry.
    t0 = performance.now();
    for (const draw of opened) {
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
    }
    const baselineMs = performance.now() - t0;

    // A real reveal of the commerce plan: selection, inspections and officer teams written, one transaction.
    t0 = performance.now();
    const revealed = await revealDraw(orm.em.fork(), commerce, opened[0].id);
    const revealMs = performance.now() - t0;
    if (process.env.DRAW_RECORD_OUT)
      await fsp.writeFile(process.env.DRAW_RECORD_OUT, JSON.stringify(await drawRecord(orm.em.fork(), commerce, opened[0].id)));
    await orm.close();
    await db.end();

    console.log(
      `registry ${ENTERPRISES.toLocaleString()} firms; ${tasks.length} tasks in two draws (commerce plan; ${MARKET_TASKS.length} market supervision); ${eligible.toLocaleString()} eligible task-firm pairs`,
    );
    console.log(`opening (populations, strata, commitment, kept for the reveal): ${openMs.toFixed(0)} ms`);
    console.log(
      `reveal selection (kept populations + PRN + strata + coordination): ${drawMs.toFixed(0)} ms; ORDER BY random() per task and stratum: ${baselineMs.toFixed(0)} ms`,
    );
    console.log(`visits ${visits} with coordination within each draw; ${independent.toFixed(1)} expected with independent draws`);
    console.log(
      `full reveal of the commerce plan (${byLead(commerce).length} tasks, ${revealed.visits} inspections with teams): ${revealMs.toFixed(0)} ms`,
    );
    console.log(
      `RESULT enterprises=${ENTERPRISES} draw_ms=${drawMs.toFixed(0)} baseline_ms=${baselineMs.toFixed(0)} speedup=${(baselineMs / drawMs).toFixed(2)} ` +
        `visits=${visits} visits_independent=${independent.toFixed(1)} visits_saved_pct=${((1 - visits / independent) * 100).toFixed(1)} reveal_ms=${revealMs.toFixed(0)} open_ms=${openMs.toFixed(0)}`,
    );
  } finally {
    await bench.stop();
  }
}

await main();
