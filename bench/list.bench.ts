/**
 * List benchmark: the staff list of visits — a page of 100 with firm, tasks, team and findings —
 * served side by side on one database by the hub (its real entry point, token checked on every
 * request), by PostGraphile 5 over the same tables, and by one hand-written json_agg statement
 * behind a bare HTTP server (the physical limit). autocannon, 10 connections, runs interleaved;
 * the figures are medians. The hub's SQL statements per request are counted on one request.
 *
 *   npm run bench:list            (LIST_ENTERPRISES, LIST_ROUNDS, LIST_SECONDS to change it)
 */
import 'reflect-metadata';
import { type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { writeSyntheticEnterprises } from '../server/src/cli/registry-commands.js';
import { loadConfig } from '../server/src/config.js';
import { openOrm } from '../server/src/db/orm.js';
import { startHub } from '../server/src/graphql/server.js';
import { viewerOf } from '../server/src/modules/auth/token.service.js';
import { User } from '../server/src/modules/auth/user.entity.js';
import { openDraw } from '../server/src/modules/draws/draw.service.js';
import { revealDraw } from '../server/src/modules/draws/reveal.service.js';
import { ImportMode } from '../server/src/modules/imports/import-report.js';
import { runImport } from '../server/src/modules/imports/table-import.js';
import { enterpriseImport } from '../server/src/modules/registry/import/enterprise-import.js';
import { statementsOf } from '../test/support/statements.js';
import { benchDatabase, freePort, serve, stopAll } from './support.js';

const ENTERPRISES = Number(process.env.LIST_ENTERPRISES ?? 600_000);
const ROUNDS = Number(process.env.LIST_ROUNDS ?? 3);
const SECONDS = Number(process.env.LIST_SECONDS ?? 8);

const HUB_QUERY = `{ inspections(first: 100) { nodes { id status enterprise { name uscc } tasks { id name }
  officers { id name certificateNo } findings { id results notes } } } }`;
const POSTGRAPHILE_QUERY = `{ allInspections(first: 100, orderBy: PRIMARY_KEY_ASC) { nodes { id status enterpriseByEnterpriseId { name uscc }
  inspectionTasksByInspectionId { nodes { taskByTaskId { id name } } }
  inspectionOfficersByInspectionId { nodes { officerByOfficerId { id name certificateNo } } }
  findingsByInspectionId(orderBy: PRIMARY_KEY_ASC) { nodes { id results notes } } } } }`;

/** Starts a server script as its own process (its own core time) and waits for "ready" / the health check. */

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(url: string, body: string, headers: Record<string, string> = {}): Promise<Run> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: 10,
    duration: SECONDS,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const bench = await benchDatabase('list');
  const children: ChildProcess[] = [];
  try {
    // A registry and the commerce plan drawn on it: a few thousand visits with teams, findings on half.
    const file = path.join(bench.dir, 'registry.csv');
    await writeSyntheticEnterprises(ENTERPRISES, file, 'list-bench');
    if (!(await runImport(bench.url, enterpriseImport, file, { mode: ImportMode.INSERT, allowPartial: false })).committed)
      throw new Error('import failed');
    const orm = await openOrm(bench.url, 4);
    const em = orm.em.fork();
    const staff = viewerOf(
      await em.findOneOrFail(User, { username: 'commerce.staff' }, { populate: ['officer'] }),
      Date.now() / 1000 + 3600,
    );
    const draw = await openDraw(orm.em.fork(), staff, [1, 2, 3, 4]);
    await revealDraw(orm.em.fork(), staff, draw.id);
    const db = new pg.Client({ connectionString: bench.url });
    await db.connect();
    await db.query(`insert into finding (inspection_id, item_id, department_id, results, officer_id, recorded_by_id, method, notes, recorded_at, version)
      select ic.inspection_id, ic.check_item_id, c.department_id, '{NO_PROBLEM}', io.officer_id, 1, 'ON_SITE', '现场检查未发现问题', now(), 1
        from inspection_check_item ic join check_item c on c.id = ic.check_item_id
        join lateral (select officer_id from inspection_officer where inspection_id = ic.inspection_id limit 1) io on true
       where ic.inspection_id % 2 = 0`);
    const {
      rows: [counts],
    } = await db.query<{ visits: number; findings: number; commerce: number }>(
      `select (select count(*)::int from inspection) as visits, (select count(*)::int from finding) as findings, (select id from department where code = 'commerce') as commerce`,
    );
    await db.query('analyze');
    await db.end();
    console.log(
      `data: ${ENTERPRISES.toLocaleString('en')} firms, ${counts.visits.toLocaleString('en')} visits, ${counts.findings.toLocaleString('en')} findings`,
    );

    // SQL statements per request, counted in-process on the hub's own connection.
    const inProcess = await startHub(orm, { ...loadConfig({ LOG_LEVEL: 'silent' }), port: 0, clientDir: '/nonexistent' }, bench.url);
    const login = await fetch(`${inProcess.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { login(username: "commerce.staff", password: "demo2026") { token } }' }),
    });
    const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;
    let probed: { data: { inspections: { nodes: unknown[] } } } | undefined;
    const statements = (
      await statementsOf(orm, async () => {
        const probe = await fetch(`${inProcess.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: HUB_QUERY }),
        });
        probed = (await probe.json()) as { data: { inspections: { nodes: unknown[] } } };
      })
    ).length;
    await inProcess.close();
    await orm.close();
    console.log(`hub: ${probed!.data.inspections.nodes.length} visits per page, ${statements} SQL statements per request`);

    const [hubPort, pgPort, sqlPort] = [await freePort(18100), await freePort(18200), await freePort(18300)];
    children.push(
      await serve(
        ['server/src/main.ts'],
        { DATABASE_URL: bench.url, PORT: String(hubPort), SEED_DEMO: 'false', LOG_LEVEL: 'info', NODE_ENV: 'production' },
        (l) => l.includes('hub ready'),
      ),
    );
    children.push(
      await serve(['bench/servers/postgraphile.ts', bench.url, String(pgPort)], { NODE_ENV: 'production' }, (l) => l === 'ready'),
    );
    children.push(
      await serve(
        ['bench/servers/handsql.ts', bench.url, String(sqlPort)],
        { DEPARTMENT_ID: String(counts.commerce) },
        (l) => l === 'ready',
      ),
    );

    // Each answers the same page before it is timed.
    const pgAnswer = (await (
      await fetch(`http://127.0.0.1:${pgPort}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: POSTGRAPHILE_QUERY }),
      })
    ).json()) as { data?: { allInspections: { nodes: unknown[] } }; errors?: unknown };
    if (!pgAnswer.data) throw new Error(`PostGraphile: ${JSON.stringify(pgAnswer.errors)}`);
    console.log(`postgraphile: ${pgAnswer.data.allInspections.nodes.length} visits per page`);

    const runs: Record<'hub' | 'postgraphile' | 'handsql', Run[]> = { hub: [], postgraphile: [], handsql: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.hub.push(
        await load(`http://127.0.0.1:${hubPort}/graphql`, JSON.stringify({ query: HUB_QUERY }), { authorization: `Bearer ${token}` }),
      );
      runs.postgraphile.push(await load(`http://127.0.0.1:${pgPort}/graphql`, JSON.stringify({ query: POSTGRAPHILE_QUERY })));
      runs.handsql.push(await load(`http://127.0.0.1:${sqlPort}/`, '{}'));
      console.log(
        `round ${round + 1}: hub ${runs.hub[round].rps.toFixed(1)} req/s, postgraphile ${runs.postgraphile[round].rps.toFixed(1)}, hand SQL ${runs.handsql[round].rps.toFixed(1)}`,
      );
    }
    const summary = Object.fromEntries(
      Object.entries(runs).map(([name, rs]) => [
        name,
        {
          rps: median(rs.map((r) => r.rps)),
          p50: median(rs.map((r) => r.p50)),
          p99: median(rs.map((r) => r.p99)),
          errors: rs.reduce((n, r) => n + r.errors, 0),
        },
      ]),
    ) as Record<keyof typeof runs, Run>;
    console.table(summary);
    const errors = summary.hub.errors + summary.postgraphile.errors + summary.handsql.errors;
    if (errors) console.log(`errors or non-2xx answers: ${errors}`);
    console.log(
      `RESULT rps=${summary.hub.rps.toFixed(1)} postgraphile_rps=${summary.postgraphile.rps.toFixed(1)} handsql_rps=${summary.handsql.rps.toFixed(1)} ` +
        `ratio_postgraphile=${(summary.hub.rps / summary.postgraphile.rps).toFixed(2)} sql_per_request=${statements}`,
    );
  } finally {
    await stopAll(children);
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
