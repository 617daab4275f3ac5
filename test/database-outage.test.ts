import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDatabase, migrateDatabase } from '../server/src/db/database.js';
import { type EmbeddedCluster, isPortFree, startEmbeddedPostgres } from '../server/src/db/embedded.js';
import { openOrm } from '../server/src/db/orm.js';
import { seedDemo } from '../server/src/modules/demo/demo.seed.js';
import { Subscription, TestHub } from './support/hub.js';

/**
 * PostgreSQL itself goes away under a running hub (its own cluster here, not the suite's): the
 * hub answers 503, tells every WebSocket to come back later (1013, which clients retry) and
 * serves again once the database is back, where a client resumes with `after`.
 */
let dir: string;
let port: number;
let cluster: EmbeddedCluster;
let hub: TestHub;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-outage-'));
  port = 17500 + Math.floor(Math.random() * 1000);
  while (!(await isPortFree(port))) port++;
  cluster = await startEmbeddedPostgres(dir, port);
  await ensureDatabase(cluster.urlFor('postgres'), 'hub');
  const db = { url: cluster.appUrlFor('hub'), ownerUrl: cluster.urlFor('hub') };
  await migrateDatabase(db);
  const orm = await openOrm(db.url, 2);
  await seedDemo(orm, { enterprises: 300 });
  await orm.close();
  hub = await TestHub.startOn(db.ownerUrl, db.url);
  await hub.setPlanStatus(1, 'DRAFT');
});

afterAll(async () => {
  await hub?.close();
  await cluster?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

const EVENTS = 'subscription($after: ID) { events(after: $after, types: [TASK_UPDATED]) { cursor payload } }';

async function rename(token: string, name: string): Promise<void> {
  const staff = hub.session(token);
  const { task } = await staff.ok('{ task(id: 1) { version } }');
  await staff.ok('mutation($v: Int!, $n: String!) { updateTask(id: 1, input: { version: $v, name: $n }) { id } }', {
    v: task.version,
    n: name,
  });
}

describe('when PostgreSQL goes away and comes back', () => {
  it('answers 503, closes subscriptions with a retryable code, and resumes where the client left off', async () => {
    const staff = await hub.as('commerce.staff');
    const watcher = await hub.watchUntilClosed(staff.token!);
    const live = new Subscription(hub.wsClient(staff.token), EVENTS, {});
    await rename(staff.token!, '停库前');
    const before = (await live.next()).data!.events;
    expect(before.payload.changes.name).toBe('停库前');

    await cluster.stop();
    expect(await watcher.closed).toBe(1013);
    const health = await fetch(`${hub.url}/healthz`);
    expect(health.status).toBe(503);
    const signedIn = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staff.token}` },
      body: JSON.stringify({ query: '{ task(id: 1) { name } }' }),
    });
    expect(signedIn.status).toBe(503);
    expect(((await signedIn.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe(
      'SERVICE_UNAVAILABLE',
    );
    const anonymous = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ publicResults(first: 5) { totalCount } }' }),
    });
    expect(anonymous.status).toBe(503);
    // A new WebSocket meanwhile is asked to come back later too (not 4500, which clients give up on).
    let refused = 0;
    await new Promise<void>((resolve) => {
      const client = hub.wsClient(staff.token, (code) => {
        refused = code;
        resolve();
      });
      new Subscription(client, EVENTS, {});
    });
    expect(refused).toBe(1013);

    cluster = await startEmbeddedPostgres(dir, port);
    // Wait for the state: the hub healthy again.
    while ((await fetch(`${hub.url}/healthz`)).status !== 200);
    await rename(staff.token!, '恢复后');
    const resumed = new Subscription(hub.wsClient(staff.token), EVENTS, { after: before.cursor });
    const next = (await resumed.next()).data!.events;
    expect(next.payload.changes.name).toBe('恢复后');
    resumed.close();
    live.close();
  });
});
