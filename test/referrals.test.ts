import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, superuser, TestHub } from './support/hub.js';

let hub: TestHub;
let visitId: string;
let problem: { id: string; version: number };
let clean: { id: string };
let taxId: string;

const RECORD = `mutation($i: ID!, $item: ID!, $input: FindingInput!) { recordFinding(inspectionId: $i, itemId: $item, input: $input) { id version } }`;
const REFER = `mutation($f: ID!, $to: ID!, $kind: ReferralKind!, $d: String!, $due: String!) {
  createReferral(findingId: $f, toDepartmentId: $to, kind: $kind, description: $d, dueOn: $due) { id version status overdue fromDepartment { code } toDepartment { code } } }`;

beforeAll(async () => {
  hub = await TestHub.start();
  const inspection = await hub.visitWithTeam(['commerce.officer', 'market.officer']);
  visitId = inspection.id;
  const db = await superuser(hub.databaseUrl);
  const { rows } = await db.query(`select id from department where code = 'tax'`);
  taxId = String(rows[0].id);
  await db.end();
  const market = await hub.as('market.officer');
  const [first, second] = inspection.items.filter((i) => i.department.code === 'market');
  problem = (
    await market.ok(RECORD, {
      i: inspection.id,
      item: first.id,
      input: {
        results: ['PROBLEM_PENDING'],
        problemKinds: ['NOT_DISCLOSED'],
        followUp: 'ORDER_CORRECTION',
        followUpDeadline: '2026-01-15',
        method: 'ON_SITE',
      },
    })
  ).recordFinding;
  clean = (
    await market.ok(RECORD, { i: inspection.id, item: second.id, input: { results: ['NO_PROBLEM'], followUp: 'NONE', method: 'ON_SITE' } })
  ).recordFinding;
});
afterAll(async () => hub?.close());

/** A China date this many days from today (YYYY-MM-DD). */
function daysFromToday(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

describe('问题线索移送: a loop both sides follow until it closes', () => {
  it('is sent by the finding’s department and received, handled and closed by the other', async () => {
    const market = await hub.as('market.officer');
    expect(
      codes(
        await (
          await hub.as('commerce.staff')
        ).query(REFER, { f: problem.id, to: taxId, kind: 'NOTIFY', d: '抄告', due: daysFromToday(30) }),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(codes(await market.query(REFER, { f: clean.id, to: taxId, kind: 'NOTIFY', d: '无问题', due: daysFromToday(30) }))).toEqual([
      'CONFLICT',
    ]);
    expect(
      (await market.query(REFER, { f: problem.id, to: taxId, kind: 'NOTIFY', d: '抄告', due: '2026/02/01' })).errors![0].extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dueOn' });
    // A deadline already past, and the sender's own department, are refused by name.
    expect(
      (await market.query(REFER, { f: problem.id, to: taxId, kind: 'NOTIFY', d: '抄告', due: daysFromToday(-1) })).errors![0].extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dueOn' });
    const { me } = await market.ok('{ me { department { id } } }');
    expect(
      (await market.query(REFER, { f: problem.id, to: me.department.id, kind: 'NOTIFY', d: '抄告', due: daysFromToday(30) })).errors![0]
        .extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toDepartmentId' });

    const { createReferral } = await market.ok(REFER, {
      f: problem.id,
      to: taxId,
      kind: 'NOTIFY',
      d: '发票开具情况异常，请依职责核查',
      due: daysFromToday(30),
    });
    expect(createReferral).toMatchObject({
      status: 'OPEN',
      overdue: false,
      fromDepartment: { code: 'market' },
      toDepartment: { code: 'tax' },
    });
    // One open referral per finding and receiving department.
    expect(
      (await market.query(REFER, { f: problem.id, to: taxId, kind: 'NOTIFY', d: '再次抄告', due: daysFromToday(30) })).errors![0]
        .extensions,
    ).toMatchObject({ code: 'CONFLICT', referralId: createReferral.id });
    // Time passes: the deadline is behind us.
    const db = await superuser(hub.databaseUrl);
    await db.query(`update referral set due_on = '2026-02-01' where id = $1`, [createReferral.id]);
    await db.end();

    const tax = await hub.as('tax.staff');
    const inbox = await tax.ok('{ referrals(box: INBOX, overdueOnly: true) { id overdue finding { results } inspection { id } } }');
    expect(inbox.referrals).toEqual([
      expect.objectContaining({ id: createReferral.id, overdue: true, finding: { results: ['PROBLEM_PENDING'] } }),
    ]);
    const outbox = await (await hub.as('market.staff')).ok('{ referrals(box: OUTBOX) { id status } }');
    expect(outbox.referrals).toEqual([{ id: createReferral.id, status: 'OPEN' }]);

    const ACCEPT = 'mutation($id: ID!, $v: Int!) { acceptReferral(id: $id, version: $v) { status version } }';
    const CLOSE = 'mutation($id: ID!, $v: Int!, $r: String!) { closeReferral(id: $id, version: $v, result: $r) { status result version } }';
    expect(codes(await (await hub.as('market.staff')).query(ACCEPT, { id: createReferral.id, v: createReferral.version }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await (await hub.as('tax.officer')).query(ACCEPT, { id: createReferral.id, v: createReferral.version }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await tax.query(CLOSE, { id: createReferral.id, v: createReferral.version, r: '已处理' }))).toEqual(['CONFLICT']);
    const { acceptReferral } = await tax.ok(ACCEPT, { id: createReferral.id, v: createReferral.version });
    expect(acceptReferral.status).toBe('ACCEPTED');
    expect((await tax.query(CLOSE, { id: createReferral.id, v: createReferral.version, r: '已处理' })).errors![0].extensions).toMatchObject(
      { code: 'CONFLICT', currentVersion: acceptReferral.version },
    );
    const { closeReferral } = await tax.ok(CLOSE, { id: createReferral.id, v: acceptReferral.version, r: '已责令补开发票并处罚款' });
    expect(closeReferral).toMatchObject({ status: 'CLOSED', result: '已责令补开发票并处罚款' });
    expect((await tax.ok('{ referrals(box: INBOX, overdueOnly: true) { id } }')).referrals).toEqual([]);

    // Both departments saw every step as an event.
    // (Reading on until the last one is visible: other databases on the server can delay events.)
    for (const who of ['market.staff', 'tax.staff']) {
      let statuses: string[] = [];
      while (statuses.length < 3) {
        const { events } = await (await hub.as(who)).ok('{ events(types: [REFERRAL_UPDATED]) { events { payload } } }');
        statuses = events.events.map((e: { payload: { status: string } }) => e.payload.status);
      }
      expect(statuses).toEqual(['OPEN', 'ACCEPTED', 'CLOSED']);
    }
    // Police, a department of the visit, follows the finding's mark; a department outside it sees nothing.
    const police = await (await hub.as('police.staff')).ok('{ events(types: [REFERRAL_UPDATED]) { events { payload } } }');
    expect(police.events.events).toHaveLength(3);
    const { events } = await (await hub.as('chengqu-market.staff')).ok('{ events(types: [REFERRAL_UPDATED]) { events { payload } } }');
    expect(events.events).toEqual([]);
    // Closed, the loop may open again to the same department.
    const again = await market.ok(REFER, { f: problem.id, to: taxId, kind: 'NOTIFY', d: '复查仍未改正', due: daysFromToday(10) });
    expect(again.createReferral.status).toBe('OPEN');
  });

  it('lets the receiving department read the finding and its visit, and marks the finding for everyone on it', async () => {
    const VISIT = `query($id: ID!) { inspection(id: $id) { id viewerCanSubmit viewerCanFinalise viewerTakesPart
      findings { id results referrals { status toDepartment { code } } } } }`;
    const tax = await hub.as('tax.staff');
    const read = (await tax.ok(VISIT, { id: visitId })).inspection;
    expect(read).toMatchObject({ id: visitId, viewerCanSubmit: false, viewerCanFinalise: false, viewerTakesPart: false });
    const referred = read.findings.find((f: { id: string }) => f.id === problem.id);
    expect(referred.referrals.map((r: { status: string }) => r.status)).toEqual(['CLOSED', 'OPEN']);
    // Read only: it records nothing on the visit.
    expect(codes(await tax.query('mutation($id: ID!) { submitInspection(id: $id, version: 1) { id } }', { id: visitId }))).toEqual([
      'FORBIDDEN',
    ]);
    // A department with no referral of it still cannot open the visit.
    expect(codes(await (await hub.as('chengqu-market.staff')).query(VISIT, { id: visitId }))).toEqual(['FORBIDDEN']);
    // The visit's own departments see the marks (已移送 → 已办结 / 已移送).
    const commerce = (await (await hub.as('commerce.staff')).ok(VISIT, { id: visitId })).inspection;
    expect(commerce.viewerTakesPart).toBe(true);
    expect(commerce.findings.find((f: { id: string }) => f.id === problem.id).referrals).toEqual([
      { status: 'CLOSED', toDepartment: { code: 'tax' } },
      { status: 'OPEN', toDepartment: { code: 'tax' } },
    ]);
  });
});

describe('review: a head returns a submitted visit with a comment', () => {
  it('reopens it for the team, who read why, correct it and submit again', async () => {
    const [visit] = await hub.visitsWithTeam(['commerce.officer', 'market.officer', 'police.officer'], 1);
    for (const item of visit.items) {
      await (
        await hub.as(`${item.department.code}.officer`)
      ).ok(RECORD, {
        i: visit.id,
        item: item.id,
        input: { results: ['NO_PROBLEM'], followUp: 'NONE', method: 'ON_SITE' },
      });
    }
    const lead = await hub.as('commerce.officer');
    const VERSION = 'query($id: ID!) { inspection(id: $id) { version status returnComment returnedAt viewerCanReturn } }';
    const SUBMIT = 'mutation($id: ID!, $v: Int!) { submitInspection(id: $id, version: $v) { version status } }';
    const RETURN =
      'mutation($id: ID!, $v: Int!, $c: String!) { returnInspection(id: $id, version: $v, comment: $c) { version status returnComment } }';
    const { submitInspection } = await lead.ok(SUBMIT, { id: visit.id, v: (await lead.ok(VERSION, { id: visit.id })).inspection.version });
    const head = await hub.as('commerce.head');
    expect((await head.ok(VERSION, { id: visit.id })).inspection.viewerCanReturn).toBe(true);
    expect((await lead.ok(VERSION, { id: visit.id })).inspection.viewerCanReturn).toBe(false);
    // Only the lead's head, only with a reason.
    expect(codes(await (await hub.as('market.head')).query(RETURN, { id: visit.id, v: submitInspection.version, c: '补充' }))).toEqual([
      'FORBIDDEN',
    ]);
    expect((await head.query(RETURN, { id: visit.id, v: submitInspection.version, c: '  ' })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'comment',
    });
    const { returnInspection } = await head.ok(RETURN, {
      id: visit.id,
      v: submitInspection.version,
      c: '现场照片不清，请补充说明检查方式',
    });
    expect(returnInspection).toMatchObject({ status: 'IN_PROGRESS', returnComment: '现场照片不清，请补充说明检查方式' });
    // The team reads why, may record again and submits anew; the head finalises.
    const seen = (await (await hub.as('market.officer')).ok(VERSION, { id: visit.id })).inspection;
    expect(seen).toMatchObject({
      status: 'IN_PROGRESS',
      returnComment: '现场照片不清，请补充说明检查方式',
      returnedAt: expect.any(String),
    });
    const marketItem = visit.items.find((i) => i.department.code === 'market')!;
    const { inspection } = await lead.ok('query($id: ID!) { inspection(id: $id) { findings { version item { id } } } }', { id: visit.id });
    const earlier = inspection.findings.find((f: { item: { id: string } }) => f.item.id === marketItem.id);
    await (
      await hub.as('market.officer')
    ).ok(RECORD, {
      i: visit.id,
      item: marketItem.id,
      input: {
        results: ['NO_PROBLEM'],
        followUp: 'NONE',
        method: 'DOCUMENTARY',
        notes: '已补充：书面核查营业执照与台账',
        version: earlier.version,
      },
    });
    const resubmitted = (await lead.ok(SUBMIT, { id: visit.id, v: (await lead.ok(VERSION, { id: visit.id })).inspection.version }))
      .submitInspection;
    expect(resubmitted.status).toBe('SUBMITTED');
    const done = await head.ok('mutation($id: ID!, $v: Int!) { finaliseInspection(id: $id, version: $v) { status } }', {
      id: visit.id,
      v: resubmitted.version,
    });
    expect(done.finaliseInspection.status).toBe('FINALISED');
    expect(codes(await head.query(RETURN, { id: visit.id, v: resubmitted.version + 1, c: '再退回' }))).toEqual(['CONFLICT']);
  });
});

describe('责令改正: due list, overdue flags, the follow-up check', () => {
  it('lists open orders of the department by deadline and takes them off when checked', async () => {
    const staff = await hub.as('market.staff');
    const LIST = '{ rectifications { overdue finding { id followUpDeadline followUpDone } } }';
    expect((await staff.ok(LIST)).rectifications).toEqual([
      { overdue: true, finding: { id: problem.id, followUpDeadline: '2026-01-15', followUpDone: false } },
    ]);
    expect((await (await hub.as('commerce.staff')).ok(LIST)).rectifications).toEqual([]);

    const DONE =
      'mutation($f: ID!, $v: Int!, $d: String!) { completeFollowUp(findingId: $f, version: $v, doneOn: $d, notes: "复查已改正") { followUpDone followUpDoneOn notes } }';
    expect(codes(await (await hub.as('commerce.officer')).query(DONE, { f: problem.id, v: problem.version, d: '2026-01-20' }))).toEqual([
      'FORBIDDEN',
    ]);
    const { completeFollowUp } = await (await hub.as('market.officer')).ok(DONE, { f: problem.id, v: problem.version, d: '2026-01-20' });
    expect(completeFollowUp).toEqual({ followUpDone: true, followUpDoneOn: '2026-01-20', notes: '复查：复查已改正' });
    expect((await staff.ok(LIST)).rectifications).toEqual([]);
    expect(codes(await (await hub.as('market.officer')).query(DONE, { f: problem.id, v: problem.version + 1, d: '2026-01-21' }))).toEqual([
      'CONFLICT',
    ]);
  });
});
