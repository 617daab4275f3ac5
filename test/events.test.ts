import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEventCursor, STREAM_START, streamHead } from '../server/src/modules/events/event.service.js';
import { superuser, Subscription, TestHub } from './support/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
  await hub.setPlanStatus(1, 'DRAFT'); // task edits below need a draft plan
});
afterAll(async () => hub?.close());

const FROM_START = encodeEventCursor(STREAM_START);
const EVENTS = `subscription($after: ID, $types: [EventType!]) {
  events(after: $after, types: $types) { cursor seq type departmentIds payload actorId }
}`;
const UPDATE_TASK = `mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(id: $id, input: $input) { id version name } }`;

/** Edits a task as commerce staff (lead of every 2026 task) and returns the new version. */
async function renameTask(id: number, name: string): Promise<number> {
  const staff = await hub.as('commerce.staff');
  const { task } = await staff.ok('query($id: ID!) { task(id: $id) { version } }', { id });
  const { updateTask } = await staff.ok(UPDATE_TASK, { id, input: { version: task.version, name } });
  return updateTask.version;
}

/** Writes an event the way a service does, on a raw connection the test controls. */
async function insertEvent(db: { query: (q: string, v?: unknown[]) => Promise<unknown> }, marker: string, departmentIds: number[] = []) {
  await db.query(`insert into event (type, department_ids, payload) values ('PLAN_APPROVED', $1, $2)`, [departmentIds, { marker }]);
  await db.query(`select pg_notify('hub_events', '')`);
}

describe('event path', () => {
  it('pushes a task edit to a partner department, with the change', async () => {
    const market = await hub.as('market.staff');
    const sub = new Subscription(hub.wsClient(market.token), EVENTS, { after: FROM_START, types: ['TASK_UPDATED'] });
    const version = await renameTask(1, '对汽车销售企业的部门联合抽查（调整）');
    const { data, errors } = await sub.next();
    expect(errors).toBeUndefined();
    expect(data!.events).toMatchObject({
      type: 'TASK_UPDATED',
      payload: { taskId: 1, planId: 1, version, changes: { name: '对汽车销售企业的部门联合抽查（调整）' } },
    });
    const commerceId = (await (await hub.as('commerce.staff')).ok('{ me { id department { id } } }')).me;
    expect(data!.events.actorId).toBe(commerceId.id);
    expect(data!.events.departmentIds).toContain(commerceId.department.id);
    sub.close();
  });

  it('shows a department only the events in its scope', async () => {
    // Task 1's partners are commerce and market; tax is in none of the 2026 tasks.
    const tax = await hub.as('tax.staff');
    const sub = new Subscription(hub.wsClient(tax.token), EVENTS, { after: FROM_START });
    await renameTask(1, '对汽车销售企业的部门联合抽查（税务不可见）');
    const db = await superuser(hub.databaseUrl);
    await insertEvent(db, 'for-everyone');
    await db.end();
    // The first event tax receives is the one scoped to everyone: task edits never reach it.
    const { data } = await sub.next();
    expect(data!.events.payload).toEqual({ marker: 'for-everyone' });
    const page = await tax.ok('{ events(first: 500) { events { type payload } } }');
    expect(page.events.events.map((e: { payload: { marker?: string } }) => e.payload.marker)).toEqual(['for-everyone']);
    sub.close();
  });

  it('replays every missed event after a reconnect, then goes live', async () => {
    const market = await hub.as('market.staff');
    const first = new Subscription(hub.wsClient(market.token), EVENTS, { after: FROM_START, types: ['TASK_UPDATED'] });
    const before = await renameTask(4, '二手车（重连前）');
    let last;
    do last = (await first.next()).data!.events;
    while (last.payload.taskId !== 4 || last.payload.version !== before);
    first.close();

    // While disconnected: three edits.
    const missed = [await renameTask(2, '报废机动车（一）'), await renameTask(3, '预付卡（一）'), await renameTask(2, '报废机动车（二）')];
    const resumed = new Subscription(hub.wsClient(market.token), EVENTS, { after: last.cursor, types: ['TASK_UPDATED'] });
    const replayed = (await resumed.take(3)).map((r) => r.data!.events.payload);
    expect(replayed.map((p) => [p.taskId, p.version])).toEqual([
      [2, missed[0]],
      [3, missed[1]],
      [2, missed[2]],
    ]);
    const live = await renameTask(4, '二手车（重连后）');
    expect((await resumed.next()).data!.events.payload).toMatchObject({ taskId: 4, version: live });
    resumed.close();
  });

  it('delivers events of transactions that commit out of order, each once', async () => {
    const commerce = await hub.as('commerce.staff');
    const page = await commerce.ok('{ events(first: 500) { endCursor } }');
    const sub = new Subscription(hub.wsClient(commerce.token), EVENTS, { after: page.events.endCursor });
    const { id: dept } = (await commerce.ok('{ me { department { id } } }')).me.department;

    const t1 = await superuser(hub.databaseUrl);
    const t2 = await superuser(hub.databaseUrl);
    await t1.query('begin');
    await insertEvent(t1, 'T1 (took its id first, commits last)', [Number(dept)]);
    await t2.query('begin');
    await insertEvent(t2, 'T2 (commits first)', [Number(dept)]);
    await t2.query('commit');
    // A reader that only remembered the highest id would now skip T1's event for good.
    await t1.query('commit');
    await insertEvent(t2, 'after both', [Number(dept)]);
    await t1.end();
    await t2.end();

    // Events of earlier tests may still arrive first (the read horizon is server-wide): read up to
    // the last marker, then look at this test's three.
    const received: string[] = [];
    while (received.at(-1) !== 'after both') received.push((await sub.next()).data!.events.payload.marker);
    expect(received.filter((m) => m?.startsWith('T') || m === 'after both')).toEqual([
      'T1 (took its id first, commits last)',
      'T2 (commits first)',
      'after both',
    ]);
    sub.close();
  });

  it('never lets a reader pass an event whose transaction is still open', async () => {
    const bus = hub.hub.services.events;
    const all = { departmentId: null, types: null };
    const marker = (e: { payload: unknown }) => (e.payload as { marker?: string }).marker;
    const cursorOf = (e: { tx: string; id: string }) => ({ tx: e.tx, id: e.id });
    const tail = await bus.read(all, STREAM_START, 500);
    const start = tail.length ? cursorOf(tail.at(-1)!) : STREAM_START;

    const t1 = await superuser(hub.databaseUrl);
    const t2 = await superuser(hub.databaseUrl);
    await t1.query('begin');
    await insertEvent(t1, 'slow');
    await t2.query('begin');
    await insertEvent(t2, 'fast');
    await t2.query('commit');
    // T2 has committed, but T1 (older) is open: a read now must not move past T1's event.
    const whileOpen = await bus.read(all, start, 500);
    expect(whileOpen.map(marker)).not.toContain('fast');
    await t1.query('commit');
    await t1.end();
    await t2.end();
    // Other databases' transactions on the same server can hold events back a little longer
    // (the horizon is server-wide): read on until both have arrived.
    const afterwards: Awaited<ReturnType<typeof bus.read>> = [];
    let cursor = whileOpen.length ? cursorOf(whileOpen.at(-1)!) : start;
    while (!afterwards.some((e) => marker(e) === 'fast')) {
      const page = await bus.read(all, cursor, 500);
      afterwards.push(...page);
      if (page.length) cursor = cursorOf(page.at(-1)!);
    }
    const markers = [...whileOpen, ...afterwards].map(marker).filter((m) => m === 'slow' || m === 'fast');
    expect(markers).toEqual(['slow', 'fast']);
  });

  it('orders by transaction id as a number, also where its digits grow (995 before 1007)', async () => {
    const bus = hub.hub.services.events;
    const db = await superuser(hub.databaseUrl);
    // Two old, committed transactions whose ids differ in length: text order would swap them.
    await db.query(
      `insert into event (tx, type, payload) values ('10'::xid8, 'PLAN_APPROVED', '{"marker":"ten"}'), ('9'::xid8, 'PLAN_APPROVED', '{"marker":"nine"}')`,
    );
    await db.end();
    const page = await bus.read({ departmentId: null, types: null }, STREAM_START, 2);
    expect(page.map((e) => e.tx)).toEqual(['9', '10']);
    // A live-only subscription starts at the newest visible event, not at the text-largest one.
    const head = await streamHead(bus.pool);
    expect(BigInt(head.tx)).toBeGreaterThan(10n);
  });

  it('requires a valid token to open a WebSocket', async () => {
    for (const token of [null, 'garbage']) {
      let closeCode = 0;
      const sub = new Subscription(
        hub.wsClient(token, (code) => (closeCode = code)),
        EVENTS,
        {},
      );
      await sub.done;
      expect(closeCode).toBe(4401);
    }
  });

  it('applies the depth limit on the WebSocket too', async () => {
    const market = await hub.as('market.staff');
    const deep =
      '{ me { department { region { parent { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } } } } }';
    const sub = new Subscription(hub.wsClient(market.token), deep);
    await sub.done;
    expect(JSON.stringify(sub.error)).toContain('超过上限');
  });

  it('rejects a malformed cursor, naming the field', async () => {
    const market = await hub.as('market.staff');
    const result = await market.query('{ events(after: "nonsense") { endCursor } }');
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
