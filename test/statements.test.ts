import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEventCursor, STREAM_START } from '../server/src/modules/events/event.service.js';
import { Subscription, superuser, TestHub, type Visit } from './support/hub.js';
import { statementsOf as countStatements } from './support/statements.js';

const FROM_START = encodeEventCursor(STREAM_START);

/**
 * Lists cost a fixed number of SQL statements per page, never one per row: every statement the
 * hub sends through MikroORM during one request is counted (the token check included).
 */
let hub: TestHub;
let visits: Visit[];

/** The statements the hub sent while `run` ran. */
const statementsOf = (run: () => Promise<unknown>) => countStatements(hub.orm, run);

beforeAll(async () => {
  hub = await TestHub.start();
  visits = await hub.visitsWithTeam(['commerce.officer', 'market.officer', 'police.officer'], 3);
  await hub.finalise(visits);
  const staff = await hub.as('commerce.staff');
  // The commerce plan's other tasks, drawn together: a page of about 100 visits to list.
  const { openDraw } = await staff.ok<{ openDraw: { id: string } }>('mutation { openDraw(taskIds: [1, 3, 4]) { id } }');
  await hub.witness(openDraw.id);
  await staff.ok('mutation($id: ID!) { revealDraw(drawId: $id) { id } }', { id: openDraw.id });
  const { publishInspections } = await staff.ok<{ publishInspections: { id: string }[] }>(
    'mutation($ids: [ID!]!) { publishInspections(inspectionIds: $ids) { id } }',
    {
      ids: visits.map((v) => v.id),
    },
  );
  // Market supervision asks to correct its item of each record; the rest of the 100 are copies made directly.
  const market = await hub.as('market.staff');
  for (const [i, pub] of publishInspections.entries()) {
    const item = visits[i].items.find((it) => it.department.code === 'market')!;
    await market.ok(
      'mutation($p: ID!, $items: [CorrectionItemInput!]!) { requestCorrection(publicationId: $p, reason: "录入有误", items: $items) { id } }',
      {
        p: pub.id,
        items: [{ itemId: item.id, results: ['PROBLEM_PENDING'], problemKinds: ['NOT_DISCLOSED'] }],
      },
    );
  }
  const db = await superuser(hub.databaseUrl);
  await db.query(`insert into correction (publication_id, department_id, reason, changes, status, base_version, requested_by_id, requested_at, decision_note)
                  select publication_id, department_id, reason || g, changes, 'REJECTED', base_version, requested_by_id, requested_at, '重复申请'
                    from correction, generate_series(1, 33) g`);
  await db.end();
});
afterAll(async () => hub?.close());

describe('statements per request', () => {
  it('a page of visits with firm, tasks, team and findings costs at most 6, whatever its size', async () => {
    const staff = await hub.as('commerce.staff');
    const query = `{ inspections(first: 100) { nodes { id status enterprise { name uscc } tasks { id name } officers { id name certificateNo }
                     findings { id results notes } } } }`;
    let page: { inspections: { nodes: { enterprise: unknown; findings: unknown[]; officers: unknown[] }[] } } | undefined;
    const statements = await statementsOf(async () => {
      page = await staff.ok(query);
    });
    const nodes = page!.inspections.nodes;
    expect(nodes.length).toBeGreaterThanOrEqual(90); // every visit of the 2026 commerce plan
    expect(nodes.filter((n) => n.findings.length > 0).length).toBe(3);
    expect(nodes.every((n) => n.officers.length >= 2 && n.enterprise)).toBe(true);
    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(6);
  });

  it('100 corrections with their records and changed items cost at most 6', async () => {
    const market = await hub.as('market.staff');
    const query = `{ corrections { id status reason department { name } publication { id record { enterpriseName uscc items { item resultText } } }
                     changes { item { code item } resultText } } }`;
    let list: { corrections: { publication: { record: { items: unknown[] } }; changes: unknown[] }[] } | undefined;
    const statements = await statementsOf(async () => {
      list = await market.ok(query);
    });
    expect(list!.corrections).toHaveLength(102);
    expect(list!.corrections.every((c) => c.publication.record.items.length > 0 && c.changes.length === 1)).toBe(true);
    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(6);
  });

  it('an event is resolved once for all its subscribers, not once per subscriber', async () => {
    const staff = await hub.as('commerce.staff');
    // A visit still open (the drawn commerce plan's, not the finalised ones).
    const { inspections } = await staff.ok('{ inspections(first: 1, statuses: [ASSIGNED]) { nodes { id version } } }');
    const { id } = inspections.nodes[0];
    let { version } = inspections.nodes[0];
    const SCHEDULE =
      'mutation($id: ID!, $v: Int!, $at: DateTimeISO!) { scheduleInspection(id: $id, version: $v, scheduledAt: $at) { version } }';
    const change = async (minute: number) => {
      version = (await staff.ok(SCHEDULE, { id, v: version, at: new Date(Date.UTC(2026, 5, 1, 8, minute)).toISOString() }))
        .scheduleInspection.version;
      return version;
    };
    // The same change with nobody watching: what the mutation itself costs.
    const alone = (await statementsOf(() => change(1))).length;

    const watchers = Array.from(
      { length: 20 },
      () =>
        new Subscription(
          hub.wsClient(staff.token),
          'subscription($id: ID!, $after: ID) { inspectionUpdated(inspectionId: $id, after: $after) { id version enterprise { name } officers { name } } }',
          { id, after: FROM_START },
        ),
    );
    // A first change proves every subscription is running before anything is counted: each
    // subscriber gets two messages, the earlier change (replayed) and this one (replayed or live).
    const first = await change(2);
    for (const w of watchers) expect((await w.take(2))[1].data?.inspectionUpdated.version).toBe(first);
    const watched = await statementsOf(async () => {
      const next = await change(3);
      for (const w of watchers)
        expect((await w.next()).data?.inspectionUpdated).toMatchObject({ version: next, officers: expect.any(Array) });
    });
    watchers.forEach((w) => w.close());
    // The visit, its firm and its team are read once for the 20 deliveries.
    expect(watched.length - alone, watched.join('\n')).toBeLessThanOrEqual(3);
  });
});
