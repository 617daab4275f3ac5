import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEventCursor, STREAM_START } from '../server/src/modules/events/event.service.js';
import { chinaDate } from '../server/src/core/dates.js';
import { codes, Subscription, superuser, TestHub, type Visit } from './support/hub.js';

let hub: TestHub;
/** Three finalised visits of task 2 (commerce leads; market and police bring items) and one still open. */
let done: Visit[];
let open: Visit;
const ids: Record<string, string> = {};
const FROM_START = encodeEventCursor(STREAM_START);

const PUBLISH =
  'mutation($ids: [ID!]!) { publishInspections(inspectionIds: $ids) { id status currentVersion dueOn dueProvisional completedOn publishedOn } }';
const PUBLIC = `query($enterprise: String, $departmentId: ID, $taskId: ID, $from: String, $to: String, $first: Int) {
  publicResults(enterprise: $enterprise, departmentId: $departmentId, taskId: $taskId, from: $from, to: $to, first: $first) {
    totalCount nodes { id uscc enterpriseName departments completedOn publishedOn corrected correctedOn correctionReason version
      tasks { planNo planName taskNo taskName drawType } items { itemId department item results resultText corrected } } } }`;
const REQUEST = `mutation($p: ID!, $reason: String!, $items: [CorrectionItemInput!]!) {
  requestCorrection(publicationId: $p, reason: $reason, items: $items) { id status version baseVersion department { code } changes { item { code } resultText } } }`;
const DECIDE = `mutation($id: ID!, $v: Int!, $approve: Boolean!, $note: String) {
  decideCorrection(id: $id, version: $v, approve: $approve, note: $note) { id status resultingVersion decisionNote } }`;

async function publicationOf(visit: Visit): Promise<string> {
  const { inspection } = await (
    await hub.as('commerce.staff')
  ).ok('query($id: ID!) { inspection(id: $id) { publication { id } } }', { id: visit.id });
  return inspection.publication.id;
}

async function usccOf(visit: Visit): Promise<string> {
  const { inspection } = await (
    await hub.as('commerce.staff')
  ).ok('query($id: ID!) { inspection(id: $id) { enterprise { uscc name } } }', { id: visit.id });
  return inspection.enterprise.uscc;
}

beforeAll(async () => {
  hub = await TestHub.start();
  const visits = await hub.visitsWithTeam(['commerce.officer', 'market.officer', 'police.officer'], 4);
  done = visits.slice(0, 3);
  open = visits[3];
  await hub.finalise(done);
  const db = await superuser(hub.databaseUrl);
  for (const { id, code } of (await db.query(`select id, code from department`)).rows) ids[code] = String(id);
  await db.end();
});
afterAll(async () => hub?.close());

describe('一公开: the lead department publishes finalised results', () => {
  it('refuses what is not finalised, and other departments and roles — all or nothing', async () => {
    const staff = await hub.as('commerce.staff');
    const mixed = await staff.query(PUBLISH, { ids: [done[0].id, open.id] });
    expect(codes(mixed)).toEqual(['CONFLICT']);
    expect(mixed.errors![0].message).toContain(`检查 ${open.id} 尚未办结`);
    expect(
      (await staff.ok('query($id: ID!) { inspection(id: $id) { publication { id } } }', { id: done[0].id })).inspection.publication,
    ).toBeNull();
    expect(codes(await (await hub.as('market.staff')).query(PUBLISH, { ids: [done[0].id] }))).toEqual(['FORBIDDEN']);
    expect(codes(await (await hub.as('commerce.officer')).query(PUBLISH, { ids: [done[0].id] }))).toEqual(['FORBIDDEN']);
    expect(codes(await hub.anonymous.query(PUBLISH, { ids: [done[0].id] }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await staff.query(PUBLISH, { ids: ['999999'] }))).toEqual(['NOT_FOUND']);
  });

  it('publishes a batch with the 20-working-day deadline, once', async () => {
    const staff = await hub.as('commerce.staff');
    // From the start of the stream: the subscription may reach the server after the publish commits.
    const watch = new Subscription(
      hub.wsClient((await hub.as('market.staff')).token),
      'subscription($after: ID) { publicationChanged(after: $after) { action publication { id } cursor } }',
      { after: FROM_START },
    );
    const { publishInspections } = await staff.ok(PUBLISH, { ids: [done[0].id, done[1].id] });
    expect(publishInspections).toHaveLength(2);
    const today = chinaDate();
    for (const p of publishInspections) {
      expect(p).toMatchObject({ status: 'PUBLISHED', currentVersion: 1, completedOn: today, publishedOn: today });
      expect(p.dueOn > today).toBe(true);
    }
    expect(codes(await staff.query(PUBLISH, { ids: [done[1].id] }))).toEqual(['CONFLICT']);
    // A partner department's client sees both publications live.
    const seen = new Set<string>();
    while (seen.size < 2) {
      const change = (await watch.next()).data!.publicationChanged;
      expect(change.action).toBe('PUBLISHED');
      seen.add(change.publication.id);
    }
    expect(seen).toEqual(new Set(publishInspections.map((p: { id: string }) => p.id)));
    watch.close();
    // The tax bureau took no part: none of these events reach it.
    const EVENTS = '{ events(types: [PUBLICATION_CHANGED]) { events { type } } }';
    expect((await (await hub.as('market.staff')).ok(EVENTS)).events.events).toHaveLength(2);
    expect((await (await hub.as('tax.staff')).ok(EVENTS)).events.events).toEqual([]);
  });
});

describe('publicResults: anyone, without login, published results only', () => {
  it('shows the public record and nothing about officers', async () => {
    const uscc = await usccOf(done[0]);
    const result = await hub.anonymous.query(PUBLIC, { enterprise: uscc });
    expect(result.errors).toBeUndefined();
    const [record] = result.data!.publicResults.nodes;
    expect(result.data!.publicResults.totalCount).toBe(1);
    expect(record.departments).toEqual(expect.arrayContaining(['晋城市商务局', '晋城市市场监督管理局', '晋城市公安局']));
    expect(record.tasks[0]).toMatchObject({ taskName: expect.stringContaining('报废'), taskNo: expect.stringMatching(/^2026\d{6}$/) });
    expect(record.items).toHaveLength(done[0].items.length);
    for (const item of record.items) expect(item).toMatchObject({ results: ['NO_PROBLEM'], resultText: '未发现问题', corrected: false });
    expect(new Set(record.items.map((i: { department: string }) => i.department))).toEqual(new Set(record.departments));
    // No officer's name or certificate number anywhere in the public answer.
    const db = await superuser(hub.databaseUrl);
    const { rows } = await db.query(
      `select o.name, o.certificate_no from officer o join inspection_officer io on io.officer_id = o.id join inspection i on i.id = io.inspection_id
        where i.id = $1`,
      [done[0].id],
    );
    await db.end();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const text = JSON.stringify(result);
    for (const officer of rows) {
      expect(text).not.toContain(officer.name);
      expect(text).not.toContain(officer.certificate_no);
    }
  });

  it('never shows what is not published', async () => {
    for (const visit of [done[2], open]) {
      const { publicResults } = await hub.anonymous.ok(PUBLIC, { enterprise: await usccOf(visit) });
      expect(publicResults.totalCount).toBe(0);
    }
    const { publicResults } = await hub.anonymous.ok(PUBLIC, {});
    expect(publicResults.totalCount).toBe(2);
  });

  it('filters by name, code (any case or width), department, task and completion dates', async () => {
    const { inspection } = await (
      await hub.as('commerce.staff')
    ).ok('query($id: ID!) { inspection(id: $id) { enterprise { uscc name } } }', { id: done[1].id });
    const total = async (vars: Record<string, unknown>) => (await hub.anonymous.ok(PUBLIC, vars)).publicResults.totalCount;
    expect(await total({ enterprise: inspection.enterprise.name.slice(0, 4) })).toBeGreaterThanOrEqual(1);
    const fullWidth = inspection.enterprise.uscc
      .toLowerCase()
      .replace(/[0-9a-z]/g, (c: string) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(await total({ enterprise: fullWidth })).toBe(1);
    expect(await total({ enterprise: '%' })).toBe(0);
    expect(await total({ departmentId: ids.market })).toBe(2);
    expect(await total({ departmentId: ids.tax })).toBe(0);
    expect(await total({ taskId: '2' })).toBe(2);
    expect(await total({ from: chinaDate(), to: chinaDate() })).toBe(2);
    expect(await total({ to: '2020-01-01' })).toBe(0);
    const bad = await hub.anonymous.query(PUBLIC, { from: '2026/01/01' });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(codes(await hub.anonymous.query(PUBLIC, { first: 1000 }))).toEqual(['BAD_USER_INPUT']);
    // Every record of a page with its versions (one query for all of them on the server).
    const withVersions = await hub.anonymous.ok('{ publicResults(first: 100) { nodes { id versions { version reason } } } }');
    expect(withVersions.publicResults.nodes.map((n: { versions: unknown[] }) => n.versions)).toEqual([
      [{ version: 1, reason: null }],
      [{ version: 1, reason: null }],
    ]);
    const { publicFilterOptions } = await hub.anonymous.ok(
      '{ publicFilterOptions { departments { id name } tasks { id name planName } } }',
    );
    expect(publicFilterOptions.departments.map((d: { id: string }) => d.id).sort()).toEqual([ids.commerce, ids.market, ids.police].sort());
    expect(publicFilterOptions.tasks.map((t: { id: string }) => t.id)).toEqual(['2']);
  });
});

describe('the CSV export of published results', () => {
  it('gives every item of every published record a line, without login, for spreadsheets', async () => {
    const res = await fetch(`${hub.url}/api/public-results.csv?departmentId=${ids.market}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // so that Excel reads UTF-8
    const lines = new TextDecoder().decode(bytes).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '抽查计划编号,抽查计划名称,抽查任务编号,抽查任务名称,抽查类型,抽查机关,企业名称,统一社会信用代码,抽查完成日期,检查事项,检查结果,公示日期,是否更正,更正日期,更正理由',
    );
    expect(lines).toHaveLength(1 + done[0].items.length + done[1].items.length);
    const uscc = await usccOf(done[0]);
    const ofFirst = lines.filter((l) => l.includes(uscc));
    expect(ofFirst).toHaveLength(done[0].items.length);
    expect(ofFirst.every((l) => l.includes(',未发现问题,') && l.endsWith(',否,,'))).toBe(true);
    // Nothing unpublished, and the same field errors as the API.
    expect(await (await fetch(`${hub.url}/api/public-results.csv?enterprise=${await usccOf(done[2])}`)).text()).not.toContain(
      await usccOf(done[2]),
    );
    const bad = await fetch(`${hub.url}/api/public-results.csv?from=2026/01/01`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });
});

describe('deadlines and the publication rate', () => {
  it('lists what is due and overdue, on the Chinese calendar', async () => {
    const staff = await hub.as('commerce.staff');
    const DUE =
      'query($state: DueState) { publicationDue(state: $state) { totalCount overdueCount nodes { inspection { id } completedOn dueOn provisional overdue workingDays } } }';
    const db = await superuser(hub.databaseUrl);
    // A deadline in a year whose holidays are not announced yet counts weekdays and says so.
    await db.query(`update inspection set completed_on = '2099-12-18' where id = $1`, [done[2].id]);
    expect((await staff.ok(DUE, { state: 'ALL' })).publicationDue.nodes).toEqual([
      {
        inspection: { id: done[2].id },
        completedOn: '2099-12-18',
        dueOn: '2100-01-15',
        provisional: true,
        overdue: false,
        workingDays: expect.any(Number),
      },
    ]);
    // The third visit was completed on Monday 5 January 2026: 20 working days later is 2 February.
    await db.query(`update inspection set completed_on = '2026-01-05' where id = $1`, [done[2].id]);
    await db.end();
    const { publicationDue } = await staff.ok(DUE, { state: 'OVERDUE' });
    expect(publicationDue.nodes).toEqual([
      {
        inspection: { id: done[2].id },
        completedOn: '2026-01-05',
        dueOn: '2026-02-02',
        provisional: false,
        overdue: true,
        workingDays: expect.any(Number),
      },
    ]);
    expect(publicationDue.nodes[0].workingDays).toBeGreaterThan(100);
    expect((await staff.ok(DUE, { state: 'DUE_SOON' })).publicationDue.nodes).toEqual([]);
    expect((await (await hub.as('market.staff')).ok(DUE, {})).publicationDue.totalCount).toBe(0); // partners do not publish
    expect(codes(await staff.query(`{ publicationDue(departmentId: "${ids.market}") { totalCount } }`))).toEqual(['FORBIDDEN']);
    // 三员分立: the 审计管理员 reads the audit log, not the departments' work.
    expect(codes(await (await hub.as('auditor')).query(`{ publicationDue(departmentId: "${ids.commerce}") { overdueCount } }`))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('computes published ÷ finalised per department and task, each department its own', async () => {
    const STATS =
      '{ publicationStats(year: 2026) { departments { department { code } finalised published onTime overdue rate } tasks { task { id } finalised published rate } } }';
    const { publicationStats } = await (await hub.as('commerce.head')).ok(STATS);
    expect(publicationStats.departments).toEqual([
      { department: { code: 'commerce' }, finalised: 3, published: 2, onTime: 2, overdue: 1, rate: 2 / 3 },
    ]);
    expect(publicationStats.tasks).toEqual([{ task: { id: '2' }, finalised: 3, published: 2, rate: 2 / 3 }]);
    const market = (await (await hub.as('market.staff')).ok(STATS)).publicationStats;
    expect(market.departments.map((d: { department: { code: string } }) => d.department.code)).toEqual(['market']);
    const tax = (await (await hub.as('tax.staff')).ok(STATS)).publicationStats;
    expect(tax).toEqual({ departments: [], tasks: [] });
    expect(codes(await (await hub.as('auditor')).query(STATS))).toEqual(['FORBIDDEN']);
  });
});

describe('corrections: requested with a reason, decided by the same department’s head, every version kept', () => {
  let publicationId: string;
  let marketItem: { id: string; code: string };
  let correction: { id: string; version: number };

  beforeAll(async () => {
    publicationId = await publicationOf(done[0]);
    marketItem = done[0].items.find((i) => i.department.code === 'market')!;
  });

  it('checks who asks, for which items, and the result form', async () => {
    const items = [{ itemId: marketItem.id, results: ['PROBLEM_PENDING'], problemKinds: ['NOT_DISCLOSED'] }];
    const reason = '录入时勾选错误，经复核应为发现问题待后续处理';
    expect(codes(await (await hub.as('commerce.staff')).query(REQUEST, { p: publicationId, reason, items }))).toEqual(['FORBIDDEN']); // not its item
    expect(codes(await (await hub.as('market.officer')).query(REQUEST, { p: publicationId, reason, items }))).toEqual(['FORBIDDEN']); // role
    expect(codes(await (await hub.as('tax.staff')).query(REQUEST, { p: publicationId, reason, items }))).toEqual(['FORBIDDEN']);
    const market = await hub.as('market.staff');
    const mixed = await market.query(REQUEST, {
      p: publicationId,
      reason,
      items: [{ itemId: marketItem.id, results: ['NO_PROBLEM', 'PROBLEM_PENDING'] }],
    });
    expect(mixed.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'items[0].results' });
    expect(mixed.errors![0].message).toContain('更正事项第 1 项的检查结果');
    const same = await market.query(REQUEST, { p: publicationId, reason, items: [{ itemId: marketItem.id, results: ['NO_PROBLEM'] }] });
    expect(same.errors![0].message).toContain('无需更正');
    expect((await market.query(REQUEST, { p: publicationId, reason: ' ', items })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });

    const { requestCorrection } = await market.ok(REQUEST, { p: publicationId, reason, items });
    expect(requestCorrection).toMatchObject({ status: 'PENDING', baseVersion: 1, department: { code: 'market' } });
    expect(requestCorrection.changes).toEqual([
      { item: { code: marketItem.code }, resultText: '发现问题待后续处理（未按规定公示应当公示的信息）' },
    ]);
    correction = requestCorrection;
    expect(codes(await market.query(REQUEST, { p: publicationId, reason, items }))).toEqual(['CONFLICT']); // one pending at a time
    // Pending changes nothing the public sees.
    expect(
      (await hub.anonymous.ok('query($id: ID!) { publicResult(id: $id) { version corrected } }', { id: publicationId })).publicResult,
    ).toEqual({ version: 1, corrected: false });
  });

  it('is approved only by a head of the requesting department, and publishes a new version marked 已更正', async () => {
    const watch = new Subscription(
      hub.wsClient((await hub.as('commerce.staff')).token),
      'subscription($after: ID) { publicationChanged(after: $after) { action publication { id currentVersion status } correction { id status } } }',
      { after: FROM_START },
    );
    expect(codes(await (await hub.as('commerce.head')).query(DECIDE, { id: correction.id, v: correction.version, approve: true }))).toEqual(
      ['FORBIDDEN'],
    );
    expect(codes(await (await hub.as('market.staff')).query(DECIDE, { id: correction.id, v: correction.version, approve: true }))).toEqual([
      'FORBIDDEN',
    ]);
    const head = await hub.as('market.head');
    expect(codes(await head.query(DECIDE, { id: correction.id, v: correction.version + 1, approve: true }))).toEqual(['CONFLICT']);
    const { decideCorrection } = await head.ok(DECIDE, { id: correction.id, v: correction.version, approve: true, note: '同意更正' });
    expect(decideCorrection).toMatchObject({ status: 'APPROVED', resultingVersion: 2 });
    expect(codes(await head.query(DECIDE, { id: correction.id, v: correction.version + 1, approve: false, note: '再审' }))).toEqual([
      'CONFLICT',
    ]);

    // The lead department's client learns of it live.
    let change;
    do change = (await watch.next()).data!.publicationChanged;
    while (change.action !== 'CORRECTION_APPROVED');
    expect(change).toMatchObject({
      publication: { id: publicationId, currentVersion: 2, status: 'CORRECTED' },
      correction: { id: correction.id, status: 'APPROVED' },
    });
    watch.close();

    const { publicResult } = await hub.anonymous.ok(
      'query($id: ID!) { publicResult(id: $id) { version corrected correctedOn correctionReason items { itemId results corrected } versions { version effectiveOn reason items { itemId results corrected } } } }',
      { id: publicationId },
    );
    expect(publicResult).toMatchObject({
      version: 2,
      corrected: true,
      correctedOn: chinaDate(),
      correctionReason: '录入时勾选错误，经复核应为发现问题待后续处理',
    });
    const current = publicResult.items.find((i: { itemId: string }) => i.itemId === marketItem.id);
    expect(current).toEqual({ itemId: marketItem.id, results: ['PROBLEM_PENDING'], corrected: true });
    expect(publicResult.items.filter((i: { corrected: boolean }) => i.corrected)).toHaveLength(1);
    // Both versions stay, the first exactly as first published.
    expect(publicResult.versions.map((v: { version: number; reason: string | null }) => [v.version, v.reason])).toEqual([
      [1, null],
      [2, '录入时勾选错误，经复核应为发现问题待后续处理'],
    ]);
    expect(publicResult.versions[0].items.find((i: { itemId: string }) => i.itemId === marketItem.id).results).toEqual(['NO_PROBLEM']);
  });

  it('is rejected with a reason, leaving the record as it is', async () => {
    const market = await hub.as('market.staff');
    const { requestCorrection } = await market.ok(REQUEST, {
      p: publicationId,
      reason: '再次核实',
      items: [{ itemId: marketItem.id, results: ['PROBLEM_CORRECTED'] }],
    });
    expect(requestCorrection.baseVersion).toBe(2);
    const head = await hub.as('market.head');
    const noReason = await head.query(DECIDE, { id: requestCorrection.id, v: requestCorrection.version, approve: false });
    expect(noReason.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
    const { decideCorrection } = await head.ok(DECIDE, {
      id: requestCorrection.id,
      v: requestCorrection.version,
      approve: false,
      note: '证据不足',
    });
    expect(decideCorrection).toMatchObject({ status: 'REJECTED', resultingVersion: null, decisionNote: '证据不足' });
    expect(
      (await hub.anonymous.ok('query($id: ID!) { publicResult(id: $id) { version } }', { id: publicationId })).publicResult.version,
    ).toBe(2);
    const { corrections } = await head.ok(`query($p: ID) { corrections(publicationId: $p) { status } }`, { p: publicationId });
    expect(corrections.map((c: { status: string }) => c.status)).toEqual(['REJECTED', 'APPROVED']);
  });

  it('keeps published versions unchangeable in the database itself', async () => {
    const db = await superuser(hub.databaseUrl);
    await expect(db.query(`update publication_version set record = '{}'`)).rejects.toThrow(/不能修改或删除/);
    await expect(db.query(`delete from publication_version`)).rejects.toThrow(/不能修改或删除/);
    await expect(db.query(`delete from publication`)).rejects.toThrow(/不能修改或删除/);
    await db.end();
  });
});
