/**
 * Fan-out benchmark: one visit changes 20 times while N clients watch it live. The hub (its real
 * entry point, a process of its own) delivers `inspectionUpdated { id status version }` to every
 * subscriber; the baseline, in the same run, is bare graphql-ws broadcasting a payload of the same
 * size from memory. Subscribers run in a separate process. Latency is from just before the
 * triggering request to each subscriber's receipt; RSS per subscriber is the server's growth
 * from before the clients connect to after, divided by N.
 *
 *   npm run bench:fanout          (FANOUT_SIZES=2000,5000 and FANOUT_CHANGES=20 to change it)
 */
import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { writeSyntheticEnterprises } from '../server/src/cli/registry-commands.js';
import { openOrm } from '../server/src/db/orm.js';
import { viewerOf } from '../server/src/modules/auth/token.service.js';
import { User } from '../server/src/modules/auth/user.entity.js';
import { openDraw } from '../server/src/modules/draws/draw.service.js';
import { revealDraw } from '../server/src/modules/draws/reveal.service.js';
import { ImportMode } from '../server/src/modules/imports/import-report.js';
import { runImport } from '../server/src/modules/imports/table-import.js';
import { enterpriseImport } from '../server/src/modules/registry/import/enterprise-import.js';
import { benchDatabase, freePort, percentile, rssKb, serve, stopAll } from './support.js';

const SIZES = (process.env.FANOUT_SIZES ?? '2000,5000').split(',').map(Number);
const CHANGES = Number(process.env.FANOUT_CHANGES ?? 20);

interface Arrived {
  type: 'arrived';
  version: number;
  received: number;
  latencies: number[];
}

/** Connects N subscribers in their own process; returns a handle to wait for each change. */
async function subscribers(url: string, token: string, n: number, query: string, variables: object) {
  const child = fork(
    path.join(import.meta.dirname, 'servers', 'subscribers.ts'),
    [url, token, String(n), query, JSON.stringify(variables)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`subscribers exited (${code})`)));
  });
  return {
    arrived(version: number, t0: number): Promise<Arrived> {
      return new Promise((resolve) => {
        const onMessage = (m: Arrived) => {
          if (m.type === 'arrived' && m.version === version) {
            child.off('message', onMessage);
            resolve(m);
          }
        };
        child.on('message', onMessage);
        child.send({ type: 'wait', version, t0, timeoutMs: 120_000 });
      });
    },
    close: () => {
      child.send({ type: 'close' });
      return new Promise((resolve) => child.on('exit', resolve));
    },
  };
}

interface Measured {
  p50: number;
  p99: number;
  delivered: number;
  expected: number;
  rssPerSubscriberKb: number;
  triggerMs: number;
}

/** Connects n subscribers, makes CHANGES changes through `change(k)`, and measures delivery. */
async function measure(
  serverPid: number,
  wsUrl: string,
  token: string,
  n: number,
  query: string,
  variables: object,
  change: (k: number) => Promise<number>,
): Promise<Measured> {
  const before = rssKb(serverPid);
  const subs = await subscribers(wsUrl, token, n, query, variables);
  const connected = rssKb(serverPid);
  // A first change proves every subscription is live before timing starts.
  const warm = await change(0);
  await subs.arrived(warm, Date.now());
  const latencies: number[] = [];
  let delivered = 0;
  let triggerMs = 0;
  for (let k = 1; k <= CHANGES; k++) {
    const t0 = Date.now();
    const version = await change(k);
    triggerMs = Math.max(triggerMs, Date.now() - t0);
    const arrived = await subs.arrived(version, t0);
    delivered += arrived.received;
    latencies.push(...arrived.latencies);
  }
  await subs.close();
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    delivered,
    expected: n * CHANGES,
    rssPerSubscriberKb: Math.round((connected - before) / n),
    triggerMs,
  };
}

async function main() {
  const bench = await benchDatabase('fanout');
  const children: ChildProcess[] = [];
  try {
    const file = path.join(bench.dir, 'registry.csv');
    await writeSyntheticEnterprises(20_000, file, 'fanout-bench');
    if (!(await runImport(bench.url, enterpriseImport, file, { mode: ImportMode.INSERT, allowPartial: false })).committed)
      throw new Error('import failed');
    const orm = await openOrm(bench.url, 2);
    const staff = viewerOf(await orm.em.fork().findOneOrFail(User, { username: 'commerce.staff' }), Date.now() / 1000 + 7200);
    const draw = await openDraw(orm.em.fork(), staff, [2]);
    const revealed = await revealDraw(orm.em.fork(), staff, draw.id);
    const db = new pg.Client({ connectionString: bench.url });
    await db.connect();
    const {
      rows: [visit],
    } = await db.query<{ id: number }>('select id from inspection where draw_id = $1 order by id limit 1', [revealed.id]);
    await orm.close();

    const [hubPort, barePort] = [await freePort(18400), await freePort(18500)];
    const hub = await serve(
      ['server/src/main.ts'],
      { DATABASE_URL: bench.url, PORT: String(hubPort), SEED_DEMO: 'false', LOG_LEVEL: 'info', NODE_ENV: 'production' },
      (l) => l.includes('hub ready'),
    );
    const bare = await serve(['bench/servers/bare-ws.ts', String(barePort)], {}, (l) => l === 'ready');
    children.push(hub, bare);
    const gql = async (query: string, variables: object, token?: string) => {
      const res = await fetch(`http://127.0.0.1:${hubPort}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: Record<string, { version: number; token: string }>; errors?: unknown };
      if (!body.data) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const token = (await gql('mutation { login(username: "commerce.staff", password: "demo2026") { token } }', {})).login.token;
    let version = (await db.query<{ version: number }>('select version from inspection where id = $1', [visit.id])).rows[0].version;
    await db.end();
    const hubChange = async (k: number) => {
      const scheduledAt = new Date(Date.UTC(2026, 5, 1, 8, k)).toISOString();
      const { scheduleInspection } = await gql(
        'mutation($id: ID!, $v: Int!, $at: DateTimeISO!) { scheduleInspection(id: $id, version: $v, scheduledAt: $at) { version } }',
        { id: String(visit.id), v: version, at: scheduledAt },
        token,
      );
      version = scheduleInspection.version;
      return version;
    };
    let bareVersion = 0;
    const bareChange = async () => {
      bareVersion++;
      await fetch(`http://127.0.0.1:${barePort}/emit`, { method: 'POST', body: JSON.stringify({ version: bareVersion }) });
      return bareVersion;
    };

    const rows: Record<string, string | number>[] = [];
    let last: { n: number; hub: Measured; bare: Measured } | null = null;
    for (const n of SIZES) {
      const hubRun = await measure(
        hub.pid!,
        `ws://127.0.0.1:${hubPort}/graphql`,
        token,
        n,
        'subscription($id: ID!) { inspectionUpdated(inspectionId: $id) { id status version } }',
        { id: String(visit.id) },
        hubChange,
      );
      const bareRun = await measure(
        bare.pid!,
        `ws://127.0.0.1:${barePort}/graphql`,
        '',
        n,
        'subscription { changed { id status version } }',
        {},
        bareChange,
      );
      rows.push({ subscribers: n, server: 'hub', ...hubRun }, { subscribers: n, server: 'bare graphql-ws', ...bareRun });
      console.log(`${n} subscribers: hub p99 ${hubRun.p99} ms, bare p99 ${bareRun.p99} ms, ratio ${(hubRun.p99 / bareRun.p99).toFixed(2)}`);
      last = { n, hub: hubRun, bare: bareRun };
    }
    console.table(rows);
    if (last) {
      console.log(
        `RESULT subscribers=${last.n} p99_ms=${last.hub.p99} baseline_p99_ms=${last.bare.p99} ratio=${(last.hub.p99 / last.bare.p99).toFixed(2)} ` +
          `rss_per_subscriber_kb=${last.hub.rssPerSubscriberKb}`,
      );
    }
  } finally {
    await stopAll(children);
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
