import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, superuser, TestHub, type Visit } from './support/hub.js';

let hub: TestHub;
let visit: Visit;
let firm: string;

const TODOS = '{ todos { kind title detail dueOn path } }';
const RECORD = `mutation($i: ID!, $item: ID!, $input: FindingInput!) { recordFinding(inspectionId: $i, itemId: $item, input: $input) { id } }`;
const FIRM = 'query($id: ID!) { inspection(id: $id) { enterprise { name } } }';

type Todo = { kind: string; title: string; detail: string; dueOn: string | null; path: string };
const todosOf = async (username: string): Promise<Todo[]> => (await (await hub.as(username)).ok<{ todos: Todo[] }>(TODOS)).todos;
const about = (todos: Todo[]) => todos.filter((t) => t.title === firm).map((t) => t.kind);

beforeAll(async () => {
  hub = await TestHub.start();
  visit = await hub.visitWithTeam(['commerce.officer', 'market.officer', 'police.officer']);
  firm = (await (await hub.as('commerce.staff')).ok(FIRM, { id: visit.id })).inspection.enterprise.name;
});
afterAll(async () => hub?.close());

describe('待办: what waits for each user, by the rules that let them act', () => {
  it('follows a visit from the team to the head, back to the team, and a referral to the receiving department', async () => {
    expect(about(await todosOf('commerce.officer'))).toEqual(['VISIT']);
    expect((await todosOf('commerce.officer')).find((t) => t.title === firm)!.path).toBe(`/inspections/${visit.id}`);

    const [problemItem, ...rest] = visit.items;
    const officerOf = (item: Visit['items'][number]) => hub.as(`${item.department.code}.officer`);
    await (
      await officerOf(problemItem)
    ).ok(RECORD, {
      i: visit.id,
      item: problemItem.id,
      input: { results: ['PROBLEM_PENDING'], problemKinds: ['NOT_DISCLOSED'], followUp: 'NOTIFY_DEPARTMENT', method: 'ON_SITE' },
    });
    for (const item of rest) {
      await (
        await officerOf(item)
      ).ok(RECORD, { i: visit.id, item: item.id, input: { results: ['NO_PROBLEM'], followUp: 'NONE', method: 'ON_SITE' } });
    }
    expect(about(await todosOf('commerce.staff'))).toContain('SUBMIT');

    const submitted = await hub.submit(visit.id);
    expect(about(await todosOf('commerce.head'))).toContain('FINALISE');
    expect(about(await todosOf('commerce.officer'))).toEqual([]);

    await (
      await hub.as('commerce.head')
    ).ok('mutation($id: ID!, $v: Int!, $c: String!) { returnInspection(id: $id, version: $v, comment: $c) { status } }', {
      id: visit.id,
      v: submitted,
      c: '请补充现场照片',
    });
    const returned = (await todosOf('commerce.officer')).find((t) => t.title === firm)!;
    expect(returned).toMatchObject({ kind: 'RETURNED', detail: '负责人退回修改：请补充现场照片' });
    expect(about(await todosOf('commerce.head'))).not.toContain('FINALISE');

    const db = await superuser(hub.databaseUrl);
    const { rows } = await db.query(`select f.id from finding f where f.inspection_id = $1 and 'PROBLEM_PENDING' = any(f.results)`, [
      visit.id,
    ]);
    const { rows: tax } = await db.query(`select id from department where code = 'tax'`);
    await db.end();
    const due = new Date(Date.now() + 8 * 3600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    await (
      await hub.as(`${problemItem.department.code}.staff`)
    ).ok(
      'mutation($f: ID!, $to: ID!, $due: String!) { createReferral(findingId: $f, toDepartmentId: $to, kind: NOTIFY, description: "抄告", dueOn: $due) { id } }',
      { f: String(rows[0].id), to: String(tax[0].id), due },
    );
    const received = (await todosOf('tax.staff')).find((t) => t.title === firm)!;
    expect(received).toMatchObject({ kind: 'REFERRAL_TO_ACCEPT', dueOn: due, path: '/referrals' });
  });

  it('is for the business roles only', async () => {
    expect(codes(await (await hub.as('auditor')).query(TODOS))).toEqual(['FORBIDDEN']);
    expect(codes(await hub.anonymous.query(TODOS))).toEqual(['UNAUTHENTICATED']);
  });
});
