import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, superuser, TestHub } from './support/hub.js';

let hub: TestHub;
let problem: { id: string; version: number };
let clean: { id: string };
let taxId: string;

const RECORD = `mutation($i: ID!, $item: ID!, $input: FindingInput!) { recordFinding(inspectionId: $i, itemId: $item, input: $input) { id version } }`;
const REFER = `mutation($f: ID!, $to: ID!, $kind: ReferralKind!, $d: String!, $due: String!) {
  createReferral(findingId: $f, toDepartmentId: $to, kind: $kind, description: $d, dueOn: $due) { id version status overdue fromDepartment { code } toDepartment { code } } }`;

beforeAll(async () => {
  hub = await TestHub.start();
  const inspection = await hub.visitWithTeam(['commerce.officer', 'market.officer']);
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

describe('问题线索移送: a loop both sides follow until it closes', () => {
  it('is sent by the finding’s department and received, handled and closed by the other', async () => {
    const market = await hub.as('market.officer');
    expect(
      codes(
        await (await hub.as('commerce.staff')).query(REFER, { f: problem.id, to: taxId, kind: 'NOTIFY', d: '抄告', due: '2026-02-01' }),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(codes(await market.query(REFER, { f: clean.id, to: taxId, kind: 'NOTIFY', d: '无问题', due: '2026-02-01' }))).toEqual([
      'CONFLICT',
    ]);
    expect(
      (await market.query(REFER, { f: problem.id, to: taxId, kind: 'NOTIFY', d: '抄告', due: '2026/02/01' })).errors![0].extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dueOn' });

    const { createReferral } = await market.ok(REFER, {
      f: problem.id,
      to: taxId,
      kind: 'NOTIFY',
      d: '发票开具情况异常，请依职责核查',
      due: '2026-02-01',
    });
    expect(createReferral).toMatchObject({
      status: 'OPEN',
      overdue: true,
      fromDepartment: { code: 'market' },
      toDepartment: { code: 'tax' },
    });

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
    const { events } = await (await hub.as('police.staff')).ok('{ events(types: [REFERRAL_UPDATED]) { events { payload } } }');
    expect(events.events).toEqual([]);
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
