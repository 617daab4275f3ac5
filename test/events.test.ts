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

  it('delivers events of transactions that commit out of order, each once, in commit order', async () => {
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
    // T2 is delivered at once: the open T1 holds nothing back.
    let received: string[] = [];
    while (received.at(-1) !== 'T2 (commits first)') received.push((await sub.next()).data!.events.payload.marker);
    // A reader that only remembered the highest row id would now skip T1's event for good.
    await t1.query('commit');
    await insertEvent(t2, 'after both', [Number(dept)]);
    await t1.end();
    await t2.end();
    while (received.at(-1) !== 'after both') received.push((await sub.next()).data!.events.payload.marker);
    received = received.filter((m) => m?.startsWith('T') || m === 'after both');
    expect(received).toEqual(['T2 (commits first)', 'T1 (took its id first, commits last)', 'after both']);
    sub.close();
  });

  it('lets no open transaction hold events back: a long one without events, or one whose event is not committed', async () => {
    const bus = hub.hub.services.events;
    const all = { departmentId: null, types: null };
    const marker = (e: { payload: unknown }) => (e.payload as { marker?: string }).marker;
    const start = await streamHead(bus.pool);

    // A long write that announces nothing yet (as an import copying rows), and an uncommitted event.
    const importing = await superuser(hub.databaseUrl);
    await importing.query('begin');
    await importing.query(`update enterprise set address = address where id <= 1000`);
    const slow = await superuser(hub.databaseUrl);
    await slow.query('begin');
    await insertEvent(slow, 'slow');
    const db = await superuser(hub.databaseUrl);
    await insertEvent(db, 'fast');
    // Read now: 'fast' is visible while both transactions are open; 'slow' is not there yet.
    const whileOpen = await bus.read(all, start, 500);
    expect(whileOpen.map(marker)).toContain('fast');
    expect(whileOpen.map(marker)).not.toContain('slow');

    await slow.query('commit');
    await importing.query('rollback');
    const afterwards = await bus.read(all, { seq: whileOpen.at(-1)!.seq }, 500);
    // The late commit comes after the cursor already handed out: nothing skipped, nothing twice.
    expect(afterwards.map(marker)).toEqual(['slow']);
    for (const c of [importing, slow, db]) await c.end();
  });

  it('delivers every event exactly once while many writers commit concurrently', async () => {
    const bus = hub.hub.services.events;
    const stream = bus.stream({ departmentId: null, types: null, expiresAt: Date.now() / 1000 + 3600 }, await streamHead(bus.pool));
    const writers = await Promise.all(Array.from({ length: 6 }, () => superuser(hub.databaseUrl)));
    const committed = new Set<string>();
    // Six writers at once, each 25 transactions of one to three events; every tenth rolls back.
    await Promise.all(
      writers.map(async (w, wi) => {
        for (let t = 0; t < 25; t++) {
          const markers = Array.from({ length: 1 + ((wi + t) % 3) }, (_, k) => `w${wi}-t${t}-${k}`);
          await w.query('begin');
          for (const m of markers) await insertEvent(w, m);
          const keep = (wi * 25 + t) % 10 !== 7;
          await w.query(keep ? 'commit' : 'rollback');
          if (keep) for (const m of markers) committed.add(m);
        }
      }),
    );
    for (const w of writers) await w.end();
    const ours = (m: string | undefined): m is string => !!m && /^w\d-t\d+-\d$/.test(m);
    const seen: string[] = [];
    const seqs: bigint[] = [];
    while (seen.length < committed.size) {
      const { value } = await stream.next();
      const m = (value.payload as { marker?: string }).marker;
      seqs.push(BigInt(value.seq));
      if (ours(m)) seen.push(m);
      // A rolled-back event arriving would fail here rather than hang the loop.
      if (ours(m)) expect(committed.has(m)).toBe(true);
    }
    await stream.return!();
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(committed);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1])).toBe(true);
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
