/**
 * Reporting benchmark: the 统计分析 dashboard's queries (statistics grouped by task, industry,
 * region, month and risk class, each with its total — exactly what the API runs, scope checks
 * included) on a province-sized year made by gen-activity (3,600,000 firms, 500,000 visits,
 * ≈2,000,000 findings), read from the rollup the database keeps. Baseline, in the same run: the
 * same core figures by a plain GROUP BY over the raw tables (inspections joined to firms, findings
 * and referrals aggregated per visit, publications), with no rollup. Both for the city's 双随机办
 * (every department) and for one department (the commerce bureau's scope). Figures checked equal.
 *
 *   npm run bench:report     (REPORT_ENTERPRISES, REPORT_VISITS, REPORT_RUNS, REPORT_BASELINE_RUNS to change it)
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import pg from 'pg';
import { generateActivity } from '../server/src/cli/activity-generator.js';
import { openOrm } from '../server/src/db/orm.js';
import { grantAppRole, roleOf } from '../server/src/db/roles.js';
import { viewerOf } from '../server/src/modules/auth/token.service.js';
import { User } from '../server/src/modules/auth/user.entity.js';
import { readerDepartments } from '../server/src/modules/reporting/statistics-scope.js';
import { statistics } from '../server/src/modules/reporting/statistics.service.js';
import { StatisticsGroup } from '../server/src/modules/reporting/statistics.types.js';
import { benchDatabase } from './support.js';

const ENTERPRISES = Number(process.env.REPORT_ENTERPRISES ?? 3_600_000);
const VISITS = Number(process.env.REPORT_VISITS ?? 500_000);
const RUNS = Number(process.env.REPORT_RUNS ?? 30);
const BASELINE_RUNS = Number(process.env.REPORT_BASELINE_RUNS ?? 5);
const YEAR = 2026;

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The grouping's key over the raw tables (i inspection, e enterprise, d draw, it inspection_task). */
const RAW_KEY: Record<string, string> = {
  TASK: 'it.task_id::text',
  INDUSTRY: 'coalesce(e.industry_ids[1], 0)::text',
  REGION: 'e.region_id::text',
  MONTH: `to_char(coalesce(i.completed_on, (i.started_at at time zone 'Asia/Shanghai')::date, (d.revealed_at at time zone 'Asia/Shanghai')::date), 'YYYY-MM')`,
  RISK_CLASS: 'e.risk_class',
  TOTAL: `'合计'`,
};

/** The baseline: visits, finalised, visits with a problem, items checked, corrections, referrals, published, on time — by a plain GROUP BY. */
function baselineSql(group: string, scope: number[]): string {
  return `with f as (select inspection_id, count(*) as findings,
                            bool_or(results && array['PROBLEM_PENDING', 'PROBLEM_CORRECTED']) as problem,
                            count(*) filter (where follow_up = 'ORDER_CORRECTION') as corrections
                       from finding group by 1),
              r as (select f.inspection_id, count(*) as referrals from referral r join finding f on f.id = r.finding_id group by 1)
    select ${RAW_KEY[group]} as k, count(*)::int as visits,
           count(*) filter (where i.status = 'FINALISED')::int as finalised,
           count(*) filter (where i.status = 'FINALISED' and f.problem)::int as problem,
           coalesce(sum(f.findings), 0)::int as findings, coalesce(sum(f.corrections), 0)::int as corrections,
           coalesce(sum(r.referrals), 0)::int as referrals,
           count(p.id)::int as published, count(p.id) filter (where p.published_on <= p.due_on)::int as on_time
      from inspection i join enterprise e on e.id = i.enterprise_id join draw d on d.id = i.draw_id
      ${group === 'TASK' ? 'join inspection_task it on it.inspection_id = i.id' : ''}
      left join f on f.inspection_id = i.id left join r on r.inspection_id = i.id left join publication p on p.inspection_id = i.id
     where i.year = ${YEAR} and i.department_ids && '{${scope.join(',')}}'::int[]
     group by 1 order by 1`;
}

async function main() {
  const bench = await benchDatabase('report');
  try {
    const activity = await generateActivity(bench.url, {
      enterprises: ENTERPRISES,
      visits: VISITS,
      year: YEAR,
      log: (l) => console.error(l),
    });
    console.log(
      `data: ${activity.enterprises.toLocaleString()} firms, ${activity.visits.toLocaleString()} visits, ${activity.findings.toLocaleString()} findings, ` +
        `${activity.referrals.toLocaleString()} referrals, ${activity.publications.toLocaleString()} publications; generated in ${(activity.generateMs / 1000).toFixed(1)} s, ` +
        `rollup built (stat_fold of every visit) in ${(activity.foldMs / 1000).toFixed(1)} s`,
    );
    // The hub's own role reads the statistics, as in production (its grants, as after a migration).
    await grantAppRole(bench.url, roleOf(bench.appUrl));
    const orm = await openOrm(bench.appUrl, 4);
    const raw = new pg.Client({ connectionString: bench.appUrl });
    raw.on('error', () => undefined);
    await raw.connect();
    const cells = Number((await raw.query<{ count: string }>('select count(*) from stat_cell')).rows[0].count);
    console.log(`rollup: ${cells.toLocaleString()} cells for ${activity.visits.toLocaleString()} visits`);
    const readers = ['oversight', 'commerce.staff'];
    const groups = ['TASK', 'INDUSTRY', 'REGION', 'MONTH', 'RISK_CLASS'] as const;
    let worstReport = 0;
    let worstBaseline = 0;
    let agree = true;
    console.log('reader          query        report p50   report p95   baseline p50   baseline p95   speedup');
    for (const username of readers) {
      const em = orm.em.fork();
      const viewer = viewerOf(await em.findOneOrFail(User, { username }, { populate: ['officer'] }), Date.now() / 1000 + 3600);
      const scope = await readerDepartments(em, viewer);
      for (const group of groups) {
        const run = () => statistics(orm.em.fork(), viewer, { year: YEAR }, [StatisticsGroup[group]]);
        for (let i = 0; i < 3; i++) await run();
        const times: number[] = [];
        let result = await run();
        for (let i = 0; i < RUNS; i++) {
          const t0 = performance.now();
          result = await run();
          times.push(performance.now() - t0);
        }
        const baseTimes: number[] = [];
        let base: { k: string; visits: number; finalised: number; published: number; findings: number }[] = [];
        for (let i = 0; i < BASELINE_RUNS; i++) {
          const t0 = performance.now();
          base = (await raw.query<(typeof base)[number]>(baselineSql(group, scope))).rows;
          baseTimes.push(performance.now() - t0);
        }
        // The same figures: each group's visits, finalised, published and items checked.
        const sum = (rows: { visits: number | null }[]) => rows.reduce((s, r) => s + (r.visits ?? 0), 0);
        const same =
          sum(result.rows) === sum(base) &&
          result.rows.reduce((s, r) => s + (r.visitsFinalised ?? 0), 0) === base.reduce((s, r) => s + r.finalised, 0) &&
          result.rows.reduce((s, r) => s + (r.published ?? 0), 0) === base.reduce((s, r) => s + r.published, 0) &&
          result.rows.reduce((s, r) => s + (r.itemsChecked ?? 0), 0) === base.reduce((s, r) => s + r.findings, 0) &&
          result.rows.length === base.length;
        agree &&= same;
        const [rp50, rp95, bp50, bp95] = [median(times), p95(times), median(baseTimes), p95(baseTimes)];
        worstReport = Math.max(worstReport, rp95);
        worstBaseline = Math.max(worstBaseline, bp95);
        console.log(
          `${username.padEnd(15)} ${group.padEnd(12)} ${rp50.toFixed(1).padStart(8)} ms ${rp95.toFixed(1).padStart(9)} ms ${bp50.toFixed(0).padStart(11)} ms ${bp95
            .toFixed(0)
            .padStart(11)} ms ${(bp95 / rp95).toFixed(1).padStart(8)}×${same ? '' : '  (figures differ!)'}`,
        );
      }
    }
    await raw.end();
    await orm.close();
    console.log(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; figures agree: ${agree ? 'yes' : 'NO'}`,
    );
    console.log(
      `RESULT rows=${activity.visits} report_p95_ms=${worstReport.toFixed(1)} baseline_p95_ms=${worstBaseline.toFixed(0)} speedup=${(worstBaseline / worstReport).toFixed(1)}`,
    );
  } catch (error) {
    console.error(error);
    throw error;
  } finally {
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
