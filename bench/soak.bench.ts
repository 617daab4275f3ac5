/**
 * Soak: two hub instances (the real entry point, processes of their own, as hub_app) on one
 * PostgreSQL, driven for DURATION_S by a realistic mix — officers recording and re-recording
 * findings, a visit pipeline (record every item, submit, finalise, publish), staff listing,
 * anonymous public searches — while SUBSCRIBERS live WebSocket clients, spread over both
 * instances and over five departments, receive every event they may see. Measured: latency per
 * operation (p50/p99), errors (any GraphQL error or non-200), each instance's RSS sampled every
 * 5 s (growth over the last half of the run), and events delivered against events written ×
 * the subscribers allowed to see each one, counted from the event table after the run.
 *
 *   npm run bench:soak        (DURATION_S=600, SUBSCRIBERS=1000, ENTERPRISES=20000 to change it)
 */
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { benchDatabase, freePort, percentile, rssKb, serve, stopAll } from './support.js';

const DURATION_S = Number(process.env.DURATION_S ?? 600);
const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 1000);
const ENTERPRISES = Number(process.env.ENTERPRISES ?? 20_000);
const PASSWORD = 'demo2026';
const AUDIT_KEY = 'soak-audit-key-0123456789abcdefghijklmnopqrstuvwxyz';
const SUBSCRIBER_DEPARTMENTS = ['commerce', 'market', 'police', 'tax', 'zezhou-market'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Stats {
  private latencies = new Map<string, number[]>();
  private failures = new Map<string, number>();
  firstErrors: string[] = [];

  async time<T>(op: string, run: () => Promise<T>): Promise<T | null> {
    const t0 = performance.now();
    try {
      const result = await run();
      const list = this.latencies.get(op) ?? [];
      list.push(performance.now() - t0);
      this.latencies.set(op, list);
      return result;
    } catch (error) {
      this.failures.set(op, (this.failures.get(op) ?? 0) + 1);
      if (this.firstErrors.length < 10) this.firstErrors.push(`${op}: ${(error as Error).message.slice(0, 300)}`);
      return null;
    }
  }

  get operations(): number {
    return [...this.latencies.values()].reduce((n, l) => n + l.length, 0) + this.errors;
  }

  get errors(): number {
    return [...this.failures.values()].reduce((a, b) => a + b, 0);
  }

  rows() {
    return [...new Set([...this.latencies.keys(), ...this.failures.keys()])].map((op) => {
      const l = this.latencies.get(op) ?? [];
      return { op, count: l.length, errors: this.failures.get(op) ?? 0, p50: percentile(l, 50), p99: percentile(l, 99) };
    });
  }
}

/** GraphQL over HTTP; any error is a failure of the operation. */
async function gql<T = Record<string, unknown>>(
  base: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (res.status !== 200 || body.errors?.length) throw new Error(`HTTP ${res.status} ${JSON.stringify(body.errors ?? body)}`);
  return body.data!;
}

interface VisitItem {
  id: string;
  department: { code: string };
}
interface Visit {
  id: string;
  items: VisitItem[];
}

async function main() {
  const bench = await benchDatabase('soak', ENTERPRISES);
  const children: ChildProcess[] = [];
  const owner = new pg.Client({ connectionString: bench.url });
  await owner.connect();
  try {
    const env = {
      DATABASE_URL: bench.appUrl,
      DATABASE_OWNER_URL: bench.url,
      AUDIT_KEY,
      SEED_DEMO: 'false',
      CLIENT_DIR: '/nonexistent',
      DATA_DIR: bench.dir,
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    };
    const ports = [await freePort(19100), await freePort(19300)];
    for (const port of ports) {
      children.push(await serve(['server/src/main.ts'], { ...env, PORT: String(port) }, (l) => l.includes('hub ready')));
    }
    const bases = ports.map((p) => `http://127.0.0.1:${p}`);
    const login = async (username: string, base = bases[0]) =>
      (
        await gql<{ login: { token: string } }>(
          base,
          null,
          'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
          { u: username, p: PASSWORD },
        )
      ).login.token;

    // Work to do: every 2026 task drawn (witnessed), every visit's team made of the three demo officers.
    const staff = await login('commerce.staff');
    const { openDraw } = await gql<{ openDraw: { id: string } }>(bases[0], staff, 'mutation { openDraw(taskIds: [1, 2, 3, 4]) { id } }');
    await gql(bases[0], await login('commerce.witness'), 'mutation($id: ID!) { addDrawEntropy(drawId: $id, value: "soak") { id } }', {
      id: openDraw.id,
    });
    const { revealDraw } = await gql<{ revealDraw: { inspections: Visit[] } }>(
      bases[0],
      staff,
      'mutation($id: ID!) { revealDraw(drawId: $id) { inspections { id items { id department { code } } } } }',
      { id: openDraw.id },
    );
    const visits = revealDraw.inspections;
    await owner.query('delete from inspection_officer where inspection_id = any($1)', [visits.map((v) => Number(v.id))]);
    await owner.query(
      `insert into inspection_officer (inspection_id, officer_id)
       select i, officer_id from unnest($1::int[]) i, app_user where username in ('commerce.officer', 'market.officer', 'police.officer')`,
      [visits.map((v) => Number(v.id))],
    );
    // Half the visits are re-recorded all along; the other half go through to publication one by one.
    const recorded = visits.slice(0, Math.ceil(visits.length / 2));
    const pipeline = visits.slice(recorded.length);
    const officerTokens: Record<string, string> = {};
    for (const d of ['commerce', 'market', 'police']) officerTokens[d] = await login(`${d}.officer`, bases[1]);
    const tokens = {
      officer: officerTokens,
      staff: [await login('commerce.staff', bases[0]), await login('market.staff', bases[1])],
      head: await login('commerce.head'),
    };
    console.log(`visits: ${visits.length} (${recorded.length} re-recorded, ${pipeline.length} for the publishing pipeline)`);

    // Subscribers: SUBSCRIBERS sockets, alternating instances and departments.
    const subscriberTokens = await Promise.all(SUBSCRIBER_DEPARTMENTS.map((d) => login(`${d}.staff`)));
    const departmentIdOf = new Map(
      (await owner.query<{ code: string; id: number }>('select code, id from department')).rows.map((r) => [r.code, r.id]),
    );
    const start = (await owner.query<{ seq: string }>('select coalesce(max(seq), 0)::text as seq from event')).rows[0].seq;
    const delivered = new Map<number, number>(); // department id → deliveries
    const clients: Client[] = [];
    let connected = 0;
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const d = i % SUBSCRIBER_DEPARTMENTS.length;
      const department = departmentIdOf.get(SUBSCRIBER_DEPARTMENTS[d])!;
      const client = createClient({
        url: `${bases[i % 2].replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${subscriberTokens[d]}` },
        retryAttempts: 0,
      });
      clients.push(client);
      await new Promise<void>((resolve) => {
        client.subscribe(
          { query: 'subscription { events { seq } }' },
          { next: () => delivered.set(department, (delivered.get(department) ?? 0) + 1), error: () => {}, complete: () => {} },
        );
        client.on('connected', () => {
          connected++;
          resolve();
        });
      });
    }
    console.log(`subscribers connected: ${connected}`);

    const stats = new Stats();
    const stopAt = Date.now() + DURATION_S * 1000;
    const running = () => Date.now() < stopAt;
    const rss: { t: number; kb: number[] }[] = [];
    const sampler = setInterval(() => rss.push({ t: Date.now(), kb: children.map((c) => rssKb(c.pid!)) }), 5000);
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
    const NO_PROBLEM = { results: ['NO_PROBLEM'], followUp: 'NONE', method: 'ON_SITE' };
    const RECORD =
      'mutation($i: ID!, $item: ID!, $input: FindingInput!) { recordFinding(inspectionId: $i, itemId: $item, input: $input) { id version } }';

    // Officers: each re-records its own department's items of the first half (each finding's version tracked).
    const versions = new Map<string, number>();
    const officer = async (dept: string) => {
      const mine = recorded.flatMap((v) => v.items.filter((it) => it.department.code === dept).map((it) => ({ visit: v.id, item: it.id })));
      for (let k = 0; running() && mine.length; k++) {
        const { visit, item } = mine[k % mine.length];
        const key = `${visit}/${item}`;
        const finding = await stats.time('recordFinding', () =>
          gql<{ recordFinding: { version: number } }>(pick(bases), tokens.officer[dept], RECORD, {
            i: visit,
            item,
            input: { ...NO_PROBLEM, notes: `复查 ${k}`, ...(versions.has(key) ? { version: versions.get(key) } : {}) },
          }),
        );
        if (finding) versions.set(key, finding.recordFinding.version);
        await sleep(100);
      }
    };
    // The pipeline: every item recorded by its department's officer, submitted, finalised, published.
    const pipelineWorker = async () => {
      for (const visit of pipeline) {
        if (!running()) break;
        for (const item of visit.items) {
          await stats.time('recordFinding', () =>
            gql(pick(bases), tokens.officer[item.department.code], RECORD, { i: visit.id, item: item.id, input: NO_PROBLEM }),
          );
        }
        const v1 = await stats.time('inspection', () =>
          gql<{ inspection: { version: number } }>(
            pick(bases),
            tokens.officer.commerce,
            'query($id: ID!) { inspection(id: $id) { version } }',
            { id: visit.id },
          ),
        );
        const submitted = await stats.time('submitInspection', () =>
          gql<{ submitInspection: { version: number } }>(
            pick(bases),
            tokens.officer.commerce,
            'mutation($id: ID!, $v: Int!) { submitInspection(id: $id, version: $v) { version } }',
            {
              id: visit.id,
              v: v1?.inspection.version,
            },
          ),
        );
        await stats.time('finaliseInspection', () =>
          gql(pick(bases), tokens.head, 'mutation($id: ID!, $v: Int!) { finaliseInspection(id: $id, version: $v) { status } }', {
            id: visit.id,
            v: submitted?.submitInspection.version,
          }),
        );
        await stats.time('publishInspections', () =>
          gql(
            pick(bases),
            tokens.staff[0],
            'mutation($ids: [ID!]!, $k: String) { publishInspections(inspectionIds: $ids, idempotencyKey: $k) { id } }',
            {
              ids: [visit.id],
              k: `soak-publish-${visit.id}`,
            },
          ),
        );
        // Spread over the run, so publishing goes on until its end.
        await sleep((DURATION_S * 1000) / (pipeline.length + 1));
      }
    };
    const staffWorker = async (token: string) => {
      const lists: [string, string][] = [
        ['inspections', '{ inspections(first: 20) { totalCount nodes { id status enterprise { name } } } }'],
        ['plans', '{ plans { id name tasks { id name } } }'],
        ['publicationDue', '{ publicationDue { totalCount } }'],
        ['enterprises', '{ enterprises(first: 20, search: "科技") { totalCount nodes { id name riskClass } } }'],
      ];
      while (running()) {
        const [op, query] = pick(lists);
        await stats.time(op, () => gql(pick(bases), token, query));
        await sleep(150);
      }
    };
    const publicSearch = async () => {
      const words = ['汽车', '回收', '商贸', '科技', '有限公司', '晋城'];
      while (running()) {
        await stats.time('publicResults (anonymous)', () =>
          gql(pick(bases), null, 'query($e: String) { publicResults(first: 20, enterprise: $e) { totalCount nodes { enterpriseName } } }', {
            e: pick(words),
          }),
        );
        await sleep(100);
      }
    };

    const t0 = Date.now();
    await Promise.all([
      officer('commerce'),
      officer('market'),
      officer('police'),
      pipelineWorker(),
      ...tokens.staff.map(staffWorker),
      publicSearch(),
      publicSearch(),
    ]);
    const duration = (Date.now() - t0) / 1000;
    clearInterval(sampler);

    // What each subscriber may see, from the table: an event for no department reaches all.
    const { rows } = await owner.query<{ department_ids: number[] }>('select department_ids from event where seq > $1', [start]);
    const perDepartment = SUBSCRIBERS / SUBSCRIBER_DEPARTMENTS.length;
    let expected = 0;
    for (const r of rows) {
      for (const code of SUBSCRIBER_DEPARTMENTS) {
        if (r.department_ids.length === 0 || r.department_ids.includes(departmentIdOf.get(code)!)) expected += perDepartment;
      }
    }
    const total = () => [...delivered.values()].reduce((a, b) => a + b, 0);
    // Delivery catches up after the last write; bounded so that a loss shows as a shortfall, not a hang.
    for (let i = 0; i < 600 && total() < expected; i++) await sleep(100);
    const deliveredTotal = total();

    const half = rss.filter((s) => s.t >= t0 + (duration * 1000) / 2);
    const growth = children.map((_, c) => {
      const head = half.slice(0, Math.max(1, Math.floor(half.length / 5))).map((s) => s.kb[c]);
      const tail = half.slice(-Math.max(1, Math.floor(half.length / 5))).map((s) => s.kb[c]);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      return ((mean(tail) - mean(head)) / mean(head)) * 100;
    });
    console.log(`\nduration ${duration.toFixed(0)} s, ${SUBSCRIBERS} subscribers, ${rows.length} events written`);
    console.log('operation                      count   errors   p50 ms   p99 ms');
    for (const r of stats.rows()) {
      console.log(
        `${r.op.padEnd(30)} ${String(r.count).padStart(6)} ${String(r.errors).padStart(8)} ${r.p50.toFixed(0).padStart(8)} ${r.p99.toFixed(0).padStart(8)}`,
      );
    }
    for (const [c, kb] of children.map((_, c) => [c, rss.map((s) => s.kb[c])] as const)) {
      console.log(
        `instance ${c + 1} RSS MB: start ${(kb[0] / 1024).toFixed(0)}, middle ${(kb[Math.floor(kb.length / 2)] / 1024).toFixed(0)}, end ${(kb.at(-1)! / 1024).toFixed(0)}, growth over the last half ${growth[c].toFixed(1)} %`,
      );
    }
    for (const e of stats.firstErrors) console.log(`error: ${e}`);
    const p99 = Math.max(...stats.rows().map((r) => r.p99));
    for (const client of clients) await client.dispose();
    console.log(
      `RESULT duration_s=${duration.toFixed(0)} operations=${stats.operations} errors=${stats.errors} p99_ms=${p99.toFixed(0)} ` +
        `rss_growth_pct=${Math.max(...growth).toFixed(1)} events_expected=${expected} events_delivered=${deliveredTotal}`,
    );
  } finally {
    await owner.end();
    await stopAll(children);
    await bench.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
