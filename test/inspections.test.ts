import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, Subscription, superuser, TestHub } from './support/hub.js';

let hub: TestHub;
let inspectionId: string;
let items: { id: string; code: string; department: { code: string } }[];

const INSPECTION = `query($id: ID!) { inspection(id: $id) { id status version items { id code department { code } } findings { id version item { code } department { code } results } } }`;
const RECORD = `mutation($i: ID!, $item: ID!, $input: FindingInput!) { recordFinding(inspectionId: $i, itemId: $item, input: $input) { id version results problemKinds followUp followUpDeadline department { code } item { code } } }`;
const NO_PROBLEM = { results: ['NO_PROBLEM'], followUp: 'NONE', method: 'ON_SITE' };
const itemOf = (dept: string, n = 0) => items.filter((i) => i.department.code === dept)[n].id;

async function current() {
  return (await (await hub.as('commerce.staff')).ok(INSPECTION, { id: inspectionId })).inspection;
}

beforeAll(async () => {
  hub = await TestHub.start();
  // A real draw, with the demo officers on the first visit's team.
  ({ id: inspectionId } = await hub.visitWithTeam(['commerce.officer', 'market.officer', 'police.officer']));
  ({ items } = await current());
});
afterAll(async () => hub?.close());

describe('a joint inspection in the field', () => {
  it('carries every department’s items for the visit', () => {
    expect(new Set(items.map((i) => i.department.code))).toEqual(new Set(['commerce', 'market', 'police']));
  });

  it('lets only the lead department (staff, head, or its officers on the team) schedule the visit', async () => {
    const SCHEDULE =
      'mutation($id: ID!, $v: Int!, $at: DateTimeISO!) { scheduleInspection(id: $id, version: $v, scheduledAt: $at) { scheduledAt version } }';
    const matrix: [string, string | null][] = [
      ['market.officer', 'FORBIDDEN'], // partner officer on the team
      ['market.staff', 'FORBIDDEN'], // partner department
      ['tax.staff', 'FORBIDDEN'], // not in the visit
      ['commerce.witness', 'FORBIDDEN'], // wrong role
      ['commerce.officer', null], // lead officer on the team
      ['commerce.staff', null],
      ['commerce.head', null],
    ];
    for (const [who, code] of matrix) {
      const { version } = await current();
      const result = await (await hub.as(who)).query(SCHEDULE, { id: inspectionId, v: version, at: '2026-05-10T01:30:00.000Z' });
      expect(codes(result), who).toEqual(code ? [code] : []);
    }
    expect((await current()).version).toBeGreaterThan(1);
  });

  it('lets only a team member start the visit', async () => {
    const START = 'mutation($id: ID!, $v: Int!) { startInspection(id: $id, version: $v) { status } }';
    for (const who of ['commerce.staff', 'commerce.head', 'tax.officer']) {
      const { version } = await current();
      expect(codes(await (await hub.as(who)).query(START, { id: inspectionId, v: version })), who).toEqual(['FORBIDDEN']);
    }
    const { version } = await current();
    expect((await (await hub.as('police.officer')).ok(START, { id: inspectionId, v: version })).startInspection.status).toBe('IN_PROGRESS');
  });

  it('lets officers record only their own department’s items on their own visit', async () => {
    const market = await hub.as('market.officer');
    const cases: [string, string, string][] = [
      ['market.officer', itemOf('commerce'), 'FORBIDDEN'], // another department's item
      ['commerce.staff', itemOf('commerce'), 'FORBIDDEN'], // not an officer
      ['tax.officer', itemOf('commerce'), 'FORBIDDEN'], // department not in the visit
      ['qinshui-industry.officer', itemOf('commerce'), 'FORBIDDEN'],
    ];
    for (const [who, item, code] of cases) {
      expect(codes(await (await hub.as(who)).query(RECORD, { i: inspectionId, item, input: NO_PROBLEM })), who).toEqual([code]);
    }
    const { recordFinding } = await market.ok(RECORD, { i: inspectionId, item: itemOf('market'), input: NO_PROBLEM });
    expect(recordFinding).toMatchObject({ version: 1, results: ['NO_PROBLEM'], department: { code: 'market' } });
    // Recording moved the visit from 已派员 to 检查中.
    expect((await current()).status).toBe('IN_PROGRESS');
  });

  it('checks the result form: exclusive categories, required details', async () => {
    const officer = await hub.as('commerce.officer');
    const cases: [object, string][] = [
      [
        { results: ['NO_PROBLEM', 'PROBLEM_PENDING'], problemKinds: ['NOT_DISCLOSED'], followUp: 'NONE', method: 'ON_SITE' },
        'input.results',
      ],
      [{ results: ['PROBLEM_PENDING'], followUp: 'REFER_CASE_HANDLING', method: 'ON_SITE' }, 'input.problemKinds'],
      [{ results: ['PROBLEM_CORRECTED'], followUp: 'ORDER_CORRECTION', method: 'ON_SITE' }, 'input.followUpDeadline'],
      [{ results: ['NO_PROBLEM'], followUp: 'REFER_CASE_HANDLING', method: 'ON_SITE' }, 'input.followUp'],
      [{ results: ['PROBLEM_CORRECTED'], followUp: 'OTHER', method: 'ON_SITE' }, 'input.notes'],
    ];
    for (const [input, field] of cases) {
      const result = await officer.query(RECORD, { i: inspectionId, item: itemOf('commerce'), input });
      expect(result.errors![0].extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('refuses a stale version with CONFLICT and the current version; nothing is lost', async () => {
    const officer = await hub.as('commerce.officer');
    const item = itemOf('commerce');
    const first = await officer.ok(RECORD, {
      i: inspectionId,
      item,
      input: {
        results: ['PROBLEM_PENDING'],
        problemKinds: ['NOT_DISCLOSED'],
        followUp: 'ORDER_CORRECTION',
        followUpDeadline: '2026-06-30',
        method: 'ON_SITE',
      },
    });
    const edit = await officer.ok(RECORD, { i: inspectionId, item, input: { ...NO_PROBLEM, version: first.recordFinding.version } });
    expect(edit.recordFinding).toMatchObject({ version: 2, results: ['NO_PROBLEM'], followUpDeadline: null });
    const stale = await officer.query(RECORD, { i: inspectionId, item, input: { ...NO_PROBLEM, version: 1 } });
    expect(stale.errors![0].extensions).toEqual({ code: 'CONFLICT', currentVersion: 2 });
    const missingVersion = await officer.query(RECORD, { i: inspectionId, item, input: NO_PROBLEM });
    expect(missingVersion.errors![0].extensions).toEqual({ code: 'CONFLICT', currentVersion: 2 });
  });

  it('applies a change replayed from an offline queue once, by its idempotency key', async () => {
    const officer = await hub.as('market.officer');
    const item = itemOf('market', 1);
    const recorded = (await current()).findings.find(
      (f: { item: { code: string } }) => f.item.code === items.find((i) => i.id === item)!.code,
    );
    const key = `offline-${Date.now()}-a`;
    const change = { ...NO_PROBLEM, version: recorded?.version ?? null, idempotencyKey: key };
    const first = await officer.ok(RECORD, { i: inspectionId, item, input: change });
    const replay = await officer.ok(RECORD, { i: inspectionId, item, input: change });
    expect(replay.recordFinding).toEqual(first.recordFinding);
    const db = await superuser(hub.databaseUrl);
    const { rows } = await db.query(`select count(*)::int as n from event where type = 'FINDING_RECORDED' and payload->>'findingId' = $1`, [
      first.recordFinding.id,
    ]);
    await db.end();
    expect(rows[0].n).toBe(1);
    // The key of one change cannot stand for another.
    const reused = await officer.query(RECORD, {
      i: inspectionId,
      item: itemOf('market', 0),
      input: { ...NO_PROBLEM, idempotencyKey: key },
    });
    expect(reused.errors![0], JSON.stringify(reused.errors)).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' },
    });
    // A change queued offline on a version someone has since changed is a conflict, never an overwrite.
    await officer.ok(RECORD, { i: inspectionId, item, input: { ...NO_PROBLEM, version: first.recordFinding.version } });
    const stale = await officer.query(RECORD, {
      i: inspectionId,
      item,
      input: { ...NO_PROBLEM, version: first.recordFinding.version, idempotencyKey: `offline-${Date.now()}-b` },
    });
    expect(stale.errors![0].extensions).toEqual({ code: 'CONFLICT', currentVersion: first.recordFinding.version + 1 });
  });

  it('shows each department’s findings to the other live, and replays what a client missed', async () => {
    const commerce = await hub.as('commerce.officer');
    const police = await hub.as('police.officer');
    const WATCH = `subscription($id: ID!, $after: ID) { findingRecorded(inspectionId: $id, after: $after) { item { code } department { code } results } }`;
    // Both start from the current end of the stream, so nothing between subscribing and acting is lost.
    const { events } = await commerce.ok('{ events(first: 500) { endCursor } }');
    const commerceWatch = new Subscription(hub.wsClient(commerce.token), WATCH, { id: inspectionId, after: events.endCursor });
    const policeWatch = new Subscription(hub.wsClient(police.token), WATCH, { id: inspectionId, after: events.endCursor });
    await police.ok(RECORD, {
      i: inspectionId,
      item: itemOf('police'),
      input: { results: ['PROBLEM_CORRECTED'], followUp: 'NONE', method: 'ON_SITE' },
    });
    // Earlier findings may be replayed first: read until ours.
    type Seen = { item: { code: string }; department: { code: string }; results: string[] };
    const until = async (sub: Subscription, itemCode: string): Promise<Seen> => {
      for (;;) {
        const finding = (await sub.next()).data!.findingRecorded as Seen;
        if (finding.item.code === itemCode) return finding;
      }
    };
    const policeItem = items.find((i) => i.id === itemOf('police'))!.code;
    expect(await until(commerceWatch, policeItem)).toMatchObject({ department: { code: 'police' }, results: ['PROBLEM_CORRECTED'] });
    const second = itemOf('commerce', 1);
    await commerce.ok(RECORD, { i: inspectionId, item: second, input: NO_PROBLEM });
    const secondCode = items.find((i) => i.id === second)!.code;
    expect(await until(policeWatch, secondCode)).toMatchObject({ department: { code: 'commerce' }, results: ['NO_PROBLEM'] });
    commerceWatch.close();
    policeWatch.close();

    // A client that was away asks inspectionUpdated with its last cursor and gets both changes.
    const resumed = new Subscription(
      hub.wsClient(police.token),
      `subscription($id: ID!, $after: ID) { inspectionUpdated(inspectionId: $id, after: $after) { id findings { item { code } } } }`,
      {
        id: inspectionId,
        after: events.endCursor,
      },
    );
    // Both changes since the cursor come back (and possibly earlier ones the cursor had not yet passed).
    let withBoth = null;
    while (!withBoth) {
      const update = (await resumed.next()).data!.inspectionUpdated;
      expect(update.id).toBe(inspectionId);
      const codes = update.findings.map((f: { item: { code: string } }) => f.item.code);
      if (codes.includes(items.find((i) => i.id === second)!.code) && codes.includes(items.find((i) => i.id === itemOf('police'))!.code))
        withBoth = update;
    }
    resumed.close();
  });

  it('moves through its lifecycle only forwards, by the right people', async () => {
    const lead = await hub.as('commerce.officer');
    let { version } = await current();
    const SUBMIT = 'mutation($id: ID!, $v: Int!) { submitInspection(id: $id, version: $v) { status version } }';
    const FINALISE = 'mutation($id: ID!, $v: Int!) { finaliseInspection(id: $id, version: $v) { status version } }';
    // Not every item has a result yet: the missing ones are named.
    const early = await lead.query(SUBMIT, { id: inspectionId, v: version });
    expect(early.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'findings' });
    expect(early.errors![0].message).toContain('尚未录入结果');
    // Record the rest (each department its own).
    const { findings } = await current();
    const done = new Set(findings.map((f: { item: { code: string } }) => f.item.code));
    for (const item of items.filter((i) => !done.has(i.code))) {
      const who = `${item.department.code}.officer`;
      await (await hub.as(who)).ok(RECORD, { i: inspectionId, item: item.id, input: NO_PROBLEM });
    }
    ({ version } = await current());
    expect(codes(await (await hub.as('market.officer')).query(SUBMIT, { id: inspectionId, v: version }))).toEqual(['FORBIDDEN']);
    expect(codes(await lead.query(SUBMIT, { id: inspectionId, v: version - 1 }))).toEqual(['CONFLICT']);
    const submitted = (await lead.ok(SUBMIT, { id: inspectionId, v: version })).submitInspection;
    expect(submitted.status).toBe('SUBMITTED');
    expect(codes(await lead.query(RECORD, { i: inspectionId, item: itemOf('commerce'), input: { ...NO_PROBLEM, version: 2 } }))).toEqual([
      'CONFLICT',
    ]);
    expect(codes(await (await hub.as('commerce.staff')).query(FINALISE, { id: inspectionId, v: submitted.version }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await (await hub.as('market.head')).query(FINALISE, { id: inspectionId, v: submitted.version }))).toEqual(['FORBIDDEN']);
    const finalised = (await (await hub.as('commerce.head')).ok(FINALISE, { id: inspectionId, v: submitted.version })).finaliseInspection;
    expect(finalised.status).toBe('FINALISED');
    expect(codes(await (await hub.as('commerce.head')).query(FINALISE, { id: inspectionId, v: finalised.version }))).toEqual(['CONFLICT']);
    expect(
      codes(
        await lead.query('mutation($id: ID!, $v: Int!) { startInspection(id: $id, version: $v) { status } }', {
          id: inspectionId,
          v: finalised.version,
        }),
      ),
    ).toEqual(['CONFLICT']);
  });

  it('lists an officer’s own visits (我的检查)', async () => {
    const officer = await hub.as('police.officer');
    const { inspections } = await officer.ok('{ inspections(mine: true) { totalCount nodes { id } } }');
    expect(inspections.nodes.map((n: { id: string }) => n.id)).toContain(inspectionId);
    expect(codes(await (await hub.as('commerce.staff')).query('{ inspections(mine: true) { totalCount } }'))).toEqual(['BAD_USER_INPUT']);
  });
  it('under 市抽县查 lets the county bureau on the team record its city department’s items, and only those', async () => {
    const visit = await hub.countyCheckedVisit();
    // The draw sent 泽州县's bureaus in place of the city departments.
    expect(new Set(visit.drawnDepartments)).toEqual(new Set(['zezhou-industry', 'zezhou-market']));
    const item = (dept: string) => visit.items.find((i) => i.department.code === dept)!.id;
    const countyMarket = await hub.as('zezhou-market.officer');
    const recorded = await countyMarket.ok(RECORD, { i: visit.id, item: item('market'), input: NO_PROBLEM });
    expect(recorded.recordFinding.department.code).toBe('market');
    expect(codes(await countyMarket.query(RECORD, { i: visit.id, item: item('commerce'), input: NO_PROBLEM }))).toEqual(['FORBIDDEN']);
    expect(
      (await (await hub.as('zezhou-industry.officer')).ok(RECORD, { i: visit.id, item: item('commerce'), input: NO_PROBLEM })).recordFinding
        .department.code,
    ).toBe('commerce');

    // The county bureau follows up what it found: its correction list, a referral from it, the follow-up check.
    const second = visit.items.filter((i: { department: { code: string } }) => i.department.code === 'market')[1].id;
    const problem = {
      results: ['PROBLEM_PENDING'],
      problemKinds: ['NOT_DISCLOSED'],
      followUp: 'ORDER_CORRECTION',
      followUpDeadline: '2026-12-31',
      method: 'ON_SITE',
    };
    const { recordFinding: finding } = await countyMarket.ok(RECORD, { i: visit.id, item: second, input: problem });
    const countyStaff = await hub.as('zezhou-market.staff');
    const { rectifications } = await countyStaff.ok('{ rectifications { finding { id } } }');
    expect(rectifications.map((r: { finding: { id: string } }) => r.finding.id)).toContain(finding.id);
    const REFER =
      'mutation($f: ID!, $to: ID!) { createReferral(findingId: $f, toDepartmentId: $to, kind: NOTIFY, description: "抄告", dueOn: "2099-01-31") { fromDepartment { code } } }';
    const db = await superuser(hub.databaseUrl);
    const {
      rows: [tax],
    } = await db.query(`select id from department where code = 'tax'`);
    await db.end();
    expect(codes(await (await hub.as('gaoping-market.staff')).query(REFER, { f: finding.id, to: String(tax.id) }))).toEqual(['FORBIDDEN']);
    expect((await countyStaff.ok(REFER, { f: finding.id, to: String(tax.id) })).createReferral.fromDepartment.code).toBe('zezhou-market');
    const DONE = 'mutation($f: ID!, $v: Int!) { completeFollowUp(findingId: $f, version: $v, doneOn: "2026-12-01") { followUpDone } }';
    expect((await countyMarket.ok(DONE, { f: finding.id, v: finding.version })).completeFollowUp.followUpDone).toBe(true);
  });
});

describe('the visit lists', () => {
  it('put an officer’s day first (我的检查): agreed today or later soonest first, then unagreed, then missed, then closed; paged without repeats', async () => {
    const visits = await hub.visitsWithTeam(['commerce.officer', 'market.officer', 'police.officer'], 3);
    const [a, b, closed] = visits.map((v) => v.id);
    const db = await superuser(hub.databaseUrl);
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
    const agree = (id: string, at: string | null) => db.query(`update inspection set scheduled_at = $2 where id = $1`, [id, at]);
    await db.query(`update inspection set status = 'FINALISED', scheduled_at = $2 where id = $1`, [closed, day(1)]);
    const officer = await hub.as('commerce.officer');
    const agenda = async () => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        type Page = { inspections: { nodes: { id: string }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } };
        const page: Page = await officer.ok<Page>(
          'query($after: String) { inspections(mine: true, first: 2, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } }',
          { after },
        );
        const { inspections } = page;
        seen.push(...inspections.nodes.map((n) => n.id));
        after = inspections.pageInfo.hasNextPage ? inspections.pageInfo.endCursor : null;
      } while (after);
      expect(new Set(seen).size).toBe(seen.length);
      return seen.filter((id) => visits.some((v) => v.id === id));
    };
    await agree(a, day(3));
    await agree(b, day(1));
    expect(await agenda()).toEqual([b, a, closed]);
    await agree(b, null);
    expect(await agenda()).toEqual([a, b, closed]);
    await agree(a, day(-2));
    expect(await agenda()).toEqual([b, a, closed]);
    await db.end();
  });

  it('narrow by firm (name or USCC), region, status and the agreed date, and refuse bad filters by name', async () => {
    const staff = await hub.as('commerce.staff');
    const LIST = `query($search: String, $regionId: ID, $from: String, $to: String, $statuses: [InspectionStatus!]) {
      inspections(first: 100, search: $search, regionId: $regionId, scheduledFrom: $from, scheduledTo: $to, statuses: $statuses) {
        totalCount nodes { id status scheduledAt enterprise { name uscc region { id parent { id } } } } } }`;
    const all = (await staff.ok(LIST, {})).inspections;
    expect(all.totalCount).toBeGreaterThan(1);
    const target = all.nodes.find((n: { id: string }) => n.id === inspectionId);
    const fragment = target.enterprise.name.slice(3, 7);
    const byName = (await staff.ok(LIST, { search: fragment })).inspections.nodes;
    expect(byName.map((n: { id: string }) => n.id)).toContain(inspectionId);
    expect(byName.every((n: { enterprise: { name: string } }) => n.enterprise.name.includes(fragment))).toBe(true);
    expect(
      (await staff.ok(LIST, { search: target.enterprise.uscc.toLowerCase() })).inspections.nodes.map((n: { id: string }) => n.id),
    ).toEqual([inspectionId]);
    // The firm's county, and its city above it, both find it.
    const county = target.enterprise.region;
    for (const regionId of [county.id, county.parent?.id].filter(Boolean)) {
      const inRegion = (await staff.ok(LIST, { regionId })).inspections.nodes.map((n: { id: string }) => n.id);
      expect(inRegion).toContain(inspectionId);
    }
    // The visit was scheduled by an earlier test: its China date bounds it on both sides.
    const day = new Date(new Date(target.scheduledAt).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await staff.ok(LIST, { from: day, to: day })).inspections.nodes.map((n: { id: string }) => n.id)).toEqual([inspectionId]);
    expect((await staff.ok(LIST, { to: '2000-01-01' })).inspections.totalCount).toBe(0);
    const other = target.status === 'ASSIGNED' ? 'SUBMITTED' : 'ASSIGNED';
    expect(
      (await staff.ok(LIST, { statuses: [target.status], search: fragment })).inspections.nodes.map((n: { id: string }) => n.id),
    ).toContain(inspectionId);
    expect(
      (await staff.ok(LIST, { statuses: [other], search: fragment })).inspections.nodes.map((n: { id: string }) => n.id),
    ).not.toContain(inspectionId);
    for (const [variables, field] of [
      [{ from: '2026-02-30' }, 'scheduledFrom'],
      [{ regionId: 'x' }, 'regionId'],
      [{ search: '测'.repeat(101) }, 'search'],
    ] as const) {
      expect((await staff.query(LIST, variables)).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});
