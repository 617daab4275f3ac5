import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isPortFree } from '../server/src/db/embedded.js';
import { encodeEventCursor } from '../server/src/modules/events/event.service.js';
import { DEMO_PASSWORD, superuser, TEST_AUDIT_KEY, TestHub } from './support/hub.js';
import { Instance, until } from './support/instance.js';

/**
 * Two hub processes on one PostgreSQL behind a real HAProxy, as docs/deploy.md runs them. Clients
 * subscribe through the balancer; one instance is killed with SIGKILL (with a reveal and a publish
 * in flight on it) and started again while mutations go on through the other. Every subscriber
 * resumes with `after` and ends with every event exactly once; the reveal and the publish, retried
 * with their idempotency keys, each give one result.
 */
const HAPROXY = '/usr/sbin/haproxy';

async function freePort(from: number): Promise<number> {
  for (let port = from + Math.floor(Math.random() * 2000); ; port++) if (await isPortFree(port)) return port;
}

interface Received {
  seq: string;
  type: string;
}

/** A client that subscribes through the balancer and, whenever its socket ends, subscribes again from its last cursor. */
class ResumingSubscriber {
  received: Received[] = [];
  reconnects = 0;
  private stopped = false;
  private dispose: (() => Promise<void>) | null = null;
  readonly done: Promise<void>;

  constructor(
    private readonly wsUrl: string,
    private readonly token: string,
    private cursor: string,
  ) {
    this.done = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const client = createClient({
        url: this.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${this.token}` },
        retryAttempts: 0,
        lazy: true,
      });
      this.dispose = () => Promise.resolve(client.dispose());
      await new Promise<void>((resolve) => {
        client.subscribe<{ events: { cursor: string; seq: string; type: string } }>(
          { query: 'subscription($after: ID) { events(after: $after) { cursor seq type } }', variables: { after: this.cursor } },
          {
            next: ({ data }) => {
              if (!data) return;
              this.received.push({ seq: data.events.seq, type: data.events.type });
              this.cursor = data.events.cursor;
            },
            error: () => resolve(),
            complete: () => resolve(),
          },
        );
      });
      await client.dispose();
      if (this.stopped) break;
      this.reconnects++;
      await new Promise((r) => setTimeout(r, 100)); // a pause between attempts while an instance is down
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.dispose?.();
    await this.done;
  }
}

let setup: TestHub;
let lb: ChildProcess;
let lbPort: number;
let a: Instance;
let b: Instance;
let work: string;

beforeAll(async () => {
  // The database: a clone of the seeded template, prepared through the API by an in-process hub —
  // a revealed draw with one visit finalised (to publish), and a draw opened and witnessed (to reveal).
  setup = await TestHub.start();
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-cluster-'));
  const env = {
    DATABASE_URL: setup.appUrl,
    DATABASE_OWNER_URL: setup.databaseUrl,
    AUDIT_KEY: TEST_AUDIT_KEY,
    SEED_DEMO: 'false',
    CLIENT_DIR: '/nonexistent',
    DATA_DIR: work,
    LOG_LEVEL: 'warn',
  };
  a = new Instance(await freePort(26000), env);
  b = new Instance(await freePort(28000), env);
  await Promise.all([a.start(), b.start()]);
  lbPort = await freePort(30000);
  const config = `
global
  log stdout format raw local0 err
defaults
  mode http
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  option redispatch
  retries 3
frontend hub
  bind 127.0.0.1:${lbPort}
  default_backend hubs
backend hubs
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  default-server inter 300ms fall 1 rise 1
  server a 127.0.0.1:${a.port} check
  server b 127.0.0.1:${b.port} check
`;
  await fs.writeFile(path.join(work, 'haproxy.cfg'), config);
  lb = spawn(HAPROXY, ['-f', path.join(work, 'haproxy.cfg'), '-db'], { stdio: 'ignore' });
  await until(async () => (await fetch(`http://127.0.0.1:${lbPort}/healthz`)).status === 200);
}, 180_000);

afterAll(async () => {
  lb?.kill('SIGKILL');
  for (const i of [a, b]) if (i?.child) await i.kill();
  await setup?.close();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

/** A GraphQL call through the balancer (or one instance), retried while the answer is a dropped connection or a 5xx. */
async function call(base: string, token: string, query: string, variables: Record<string, unknown>): Promise<Record<string, any>> {
  for (;;) {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    }).catch(() => null);
    if (res && res.status < 500) {
      const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
      if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
      return body.data!;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('two instances behind HAProxy', { timeout: 300_000 }, () => {
  it('survive a SIGKILL and a restart: every subscriber gets every event once, interrupted reveal and publish give one result each', async () => {
    const lbUrl = `http://127.0.0.1:${lbPort}`;
    // Prepared in-process, before the instances serve clients.
    const [visit] = await setup.visitsWithTeam(['commerce.officer', 'market.officer', 'police.officer'], 1);
    await setup.finalise([visit]);
    const staff = await setup.as('commerce.staff');
    const { openDraw } = await staff.ok<{ openDraw: { id: string } }>('mutation { openDraw(taskIds: [3]) { id } }');
    await setup.witness(openDraw.id);

    const login = await fetch(`${lbUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { login(username: "commerce.staff", password: "${DEMO_PASSWORD}") { token } }` }),
    });
    const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;
    const db = await superuser(setup.databaseUrl);
    const start = (await db.query<{ seq: string }>('select coalesce(max(seq), 0)::text as seq from event')).rows[0].seq;
    const subscribers = Array.from(
      { length: 8 },
      () => new ResumingSubscriber(`ws://127.0.0.1:${lbPort}/graphql`, token, encodeEventCursor({ seq: start })),
    );

    let written = 0;
    const write = async (n: number) => {
      for (let i = 0; i < n; i++, written++) {
        await call(lbUrl, token, 'mutation($id: ID!, $a: String!) { updateEnterprise(id: $id, input: { address: $a }) { id } }', {
          id: 1 + (written % 40),
          a: `集群测试地址 ${written}`,
        });
      }
    };
    await write(20);

    // A reveal and a publish sent to instance A stall on the event table; A is killed under them.
    const lock = await superuser(setup.databaseUrl);
    await lock.query('begin');
    await lock.query('lock table event in access exclusive mode');
    const REVEAL = 'mutation($id: ID!, $key: String) { revealDraw(drawId: $id, idempotencyKey: $key) { id status inspections { id } } }';
    const PUBLISH = 'mutation($ids: [ID!]!, $key: String) { publishInspections(inspectionIds: $ids, idempotencyKey: $key) { id } }';
    const send = (query: string, variables: Record<string, unknown>) =>
      fetch(`${a.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      }).catch(() => null);
    const inflight = [
      send(REVEAL, { id: openDraw.id, key: 'cluster-reveal-1' }),
      send(PUBLISH, { ids: [visit.id], key: 'cluster-publish-1' }),
    ];
    await until(async () => {
      const { rows } = await db.query(
        `select count(*)::int as n from pg_stat_activity where usename = 'hub_app' and wait_event_type = 'Lock' and query ilike 'insert into "event"%'`,
      );
      return rows[0].n >= 2;
    });
    await a.kill();
    await lock.query('rollback');
    await lock.end();
    expect((await Promise.all(inflight)).every((r) => r === null)).toBe(true);

    // Mutations go on through B while A is down.
    await write(20);
    // The retries, through the balancer, with the same keys; then once more: one result each.
    const revealed = (await call(lbUrl, token, REVEAL, { id: openDraw.id, key: 'cluster-reveal-1' })).revealDraw;
    expect((await call(lbUrl, token, REVEAL, { id: openDraw.id, key: 'cluster-reveal-1' })).revealDraw).toEqual(revealed);
    const published = (await call(lbUrl, token, PUBLISH, { ids: [visit.id], key: 'cluster-publish-1' })).publishInspections;
    expect((await call(lbUrl, token, PUBLISH, { ids: [visit.id], key: 'cluster-publish-1' })).publishInspections).toEqual(published);
    expect(revealed.status).toBe('REVEALED');

    await a.start();
    await write(20);

    // Every event written after the start, visible to commerce, reaches every subscriber once.
    const { rows: expected } = await db.query<{ seq: string }>(
      `select seq::text from event where seq > $1
          and (cardinality(department_ids) = 0 or department_ids @> array[(select department_id from app_user where username = 'commerce.staff')])
        order by seq`,
      [start],
    );
    for (const s of subscribers) await until(() => Promise.resolve(s.received.length >= expected.length));
    await Promise.all(subscribers.map((s) => s.stop()));
    for (const s of subscribers) expect(s.received.map((r) => r.seq)).toEqual(expected.map((r) => r.seq));
    // The subscribers on A lost their socket and resumed.
    expect(subscribers.some((s) => s.reconnects > 0)).toBe(true);

    // One reveal, one publication: in the data and in the events.
    const counts = await db.query<{ inspections: number; reveals: number; publications: number; published: number }>(
      `select (select count(*)::int from inspection where draw_id = $1::uuid) as inspections,
              (select count(*)::int from event where type = 'DRAW_REVEALED' and payload->>'drawId' = $1::text) as reveals,
              (select count(*)::int from publication where inspection_id = $2) as publications,
              (select count(*)::int from event where type = 'PUBLICATION_CHANGED' and (payload->>'inspectionId')::int = $2) as published`,
      [openDraw.id, visit.id],
    );
    expect(counts.rows[0]).toEqual({ inspections: revealed.inspections.length, reveals: 1, publications: 1, published: 1 });
    // Both instances ran as the least-privileged role.
    const roles = await db.query<{ usename: string }>(
      `select distinct usename from pg_stat_activity where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()`,
    );
    expect(roles.rows.map((r) => r.usename)).toEqual(['hub_app']);
    await db.end();
  });
});
