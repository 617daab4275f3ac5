import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEventCursor, STREAM_START } from '../server/src/modules/events/event.service.js';
import { codes, type Session, Subscription, TestHub } from './support/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(async () => hub?.close());

const CREATE_PLAN = 'mutation($input: CreatePlanInput!) { createPlan(input: $input) { id status year name } }';
const CREATE_TASK = `mutation($plan: ID!, $input: CreateTaskInput!) { createTask(planId: $plan, input: $input) {
  id seq name joint ratio { kind text } items { id department { code } }
  partnerships { status reason department { code } decidedBy { username } } } }`;
const CONFIRM =
  'mutation($t: ID!, $items: [ID!]!) { confirmTaskPartnership(taskId: $t, itemIds: $items) { items { id department { code } } partnerships { status department { code } decidedBy { username } } } }';
const WITHDRAW =
  'mutation($t: ID!, $d: ID!, $r: String!) { withdrawTaskPartner(taskId: $t, departmentId: $d, reason: $r) { joint partnerDepartments { code } partnerships { status reason department { code } } } }';

async function ids(session: Session) {
  const { departments } = await session.ok('{ departments { id code } }');
  const dept = (code: string) => departments.find((d: { code: string }) => d.code === code).id as string;
  const items = async (code: string) =>
    ((await session.ok('query($d: ID) { checkItems(departmentId: $d) { id } }', { d: dept(code) })).checkItems as { id: string }[]).map(
      (i) => i.id,
    );
  const { task } = await session.ok('{ task(id: 2) { scopeIndustries { id } } }');
  return { dept, items, industries: task.scopeIndustries.map((i: { id: string }) => i.id) as string[] };
}

describe('a plan written by hand, confirmed by its partners', () => {
  it('goes from a draft with a joint task, through the partners’ confirmation (seen live), to approval and a draw', async () => {
    const staff = await hub.as('commerce.staff');
    const head = await hub.as('commerce.head');
    const market = await hub.as('market.staff');
    const { dept, items, industries } = await ids(staff);
    const commerceItems = await items('commerce');
    const marketItems = await items('market');

    const input = { year: 2027, name: '晋城市商务局2027年度“双随机、一公开”抽查工作计划', documentNo: '晋市商秩函〔2027〕1号' };
    const { createPlan: plan } = await staff.ok(CREATE_PLAN, { input });
    expect(plan).toMatchObject({ status: 'DRAFT', year: 2027 });
    expect((await staff.query(CREATE_PLAN, { input })).errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
    expect(codes(await (await hub.as('commerce.officer')).query(CREATE_PLAN, { input: { ...input, name: '执法人员的计划' } }))).toEqual([
      'FORBIDDEN',
    ]);

    const { events } = await market.ok('{ events(first: 500) { endCursor } }');
    const task = {
      name: '对报废机动车回收企业的部门联合抽查',
      itemIds: commerceItems.slice(0, 2),
      scopeText: '全市报废机动车回收拆解企业',
      scopeIndustryIds: industries,
      ratio: { kind: 'PERCENT', percent: 20, atLeast: true },
      riskStratified: true,
      frequencyPerYear: 1,
      windowFromMonth: 4,
      windowToMonth: 10,
      modes: ['CITY_DRAWS_CITY_CHECKS'],
      drawType: 'UNDIRECTED',
      partnerDepartmentIds: [dept('market'), dept('police')],
    };
    const { createTask } = await staff.ok(CREATE_TASK, { plan: plan.id, input: task });
    expect(createTask).toMatchObject({ seq: 1, joint: true, ratio: { kind: 'PERCENT', text: '不低于20%' } });
    expect(createTask.partnerships).toEqual([
      { status: 'PENDING', reason: null, department: { code: 'market' }, decidedBy: null },
      { status: 'PENDING', reason: null, department: { code: 'police' }, decidedBy: null },
    ]);
    // Market supervision's event stream has the new joint task, waiting for it; what follows arrives live.
    const watch = new Subscription(
      hub.wsClient(market.token),
      'subscription($after: ID) { events(after: $after, types: [TASK_CREATED, TASK_PARTNERSHIP_CHANGED]) { type payload } }',
      { after: events.endCursor ?? encodeEventCursor(STREAM_START) },
    );
    expect((await watch.next()).data!.events).toMatchObject({ type: 'TASK_CREATED', payload: { taskId: Number(createTask.id) } });
    expect((await market.ok('{ pendingPartnerships { id name } }')).pendingPartnerships).toEqual([{ id: createTask.id, name: task.name }]);

    // Not approvable while a partner has not answered; the refusal names them.
    const early = await head.query('mutation($id: ID!) { approvePlan(id: $id) { status } }', { id: plan.id });
    expect(early.errors![0].extensions).toMatchObject({ code: 'CONFLICT', rule: 'PARTNERS_PENDING' });
    expect(early.errors![0].message).toContain('晋城市市场监督管理局');

    // Market supervision confirms with its own items — not commerce's; a stranger may not confirm.
    const foreign = await market.query(CONFIRM, { t: createTask.id, items: [commerceItems[0]] });
    expect(foreign.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'itemIds[0]' });
    expect(codes(await (await hub.as('tax.staff')).query(CONFIRM, { t: createTask.id, items: [marketItems[0]] }))).toEqual(['FORBIDDEN']);
    const { confirmTaskPartnership } = await market.ok(CONFIRM, { t: createTask.id, items: marketItems.slice(0, 1) });
    expect(confirmTaskPartnership.items.map((i: { department: { code: string } }) => i.department.code).sort()).toEqual([
      'commerce',
      'commerce',
      'market',
    ]);
    expect(confirmTaskPartnership.partnerships[0]).toEqual({
      status: 'CONFIRMED',
      department: { code: 'market' },
      decidedBy: { username: 'market.staff' },
    });
    expect((await watch.next()).data!.events).toMatchObject({ type: 'TASK_PARTNERSHIP_CHANGED', payload: { status: 'CONFIRMED' } });
    watch.close();

    // Police does not answer: the lead withdraws it, with a reason; then the head approves.
    expect((await staff.query(WITHDRAW, { t: createTask.id, d: dept('police'), r: ' ' })).errors![0].extensions).toMatchObject({
      field: 'reason',
    });
    const { withdrawTaskPartner } = await staff.ok(WITHDRAW, { t: createTask.id, d: dept('police'), r: '公安部门本年度另行安排专项检查' });
    expect(withdrawTaskPartner.partnerDepartments).toEqual([{ code: 'market' }]);
    expect(withdrawTaskPartner.partnerships).toEqual([
      { status: 'CONFIRMED', reason: null, department: { code: 'market' } },
      { status: 'WITHDRAWN', reason: '公安部门本年度另行安排专项检查', department: { code: 'police' } },
    ]);
    expect((await head.ok('mutation($id: ID!) { approvePlan(id: $id) { status } }', { id: plan.id })).approvePlan.status).toBe('APPROVED');

    // An approved plan's tasks stay as approved.
    expect(codes(await staff.query(CREATE_TASK, { plan: plan.id, input: { ...task, name: '追加' } }))).toEqual(['FORBIDDEN']);
    expect(codes(await staff.query('mutation($id: ID!) { deleteTask(id: $id) }', { id: createTask.id }))).toEqual(['FORBIDDEN']);

    // And it is drawn like any imported task.
    const { openDraw } = await staff.ok('mutation($t: [ID!]!) { openDraw(taskIds: $t) { id status } }', { t: [createTask.id] });
    expect(openDraw.status).toBe('COMMITTED');
  });

  it('names the field of bad input and writes nothing; deletes a draft task', async () => {
    const staff = await hub.as('market.staff');
    const { dept, items } = await ids(staff);
    const { createPlan: plan } = await staff.ok(CREATE_PLAN, { input: { year: 2027, name: '市场监管局2027年度抽查计划' } });
    const good = { name: '对食品销售者的抽查', itemIds: (await items('market')).slice(0, 1), ratio: { kind: 'COUNT', count: 30 } };
    for (const [input, field] of [
      [{ ...good, ratio: { kind: 'PERCENT', percent: 0 } }, 'input.ratio.percent'],
      [{ ...good, ratio: { kind: 'UNSPECIFIED' } }, 'input.ratio.kind'],
      [{ ...good, windowFromMonth: 9, windowToMonth: 3 }, 'input.windowToMonth'],
      [{ ...good, itemIds: (await items('commerce')).slice(0, 1) }, 'input.itemIds[0]'],
      [{ ...good, partnerDepartmentIds: [dept('market')] }, 'input.partnerDepartmentIds'],
      [{ ...good, name: '  ' }, 'input.name'],
    ] as const) {
      const result = await staff.query(CREATE_TASK, { plan: plan.id, input });
      expect([field, result.errors?.[0].extensions]).toEqual([field, expect.objectContaining({ code: 'BAD_USER_INPUT', field })]);
    }
    expect((await staff.ok('query($id: ID!) { plan(id: $id) { tasks { id } } }', { id: plan.id })).plan.tasks).toEqual([]);
    expect(codes(await (await hub.as('commerce.staff')).query(CREATE_TASK, { plan: plan.id, input: good }))).toEqual(['FORBIDDEN']);

    const { createTask } = await staff.ok(CREATE_TASK, { plan: plan.id, input: good });
    expect(createTask).toMatchObject({ joint: false, ratio: { kind: 'COUNT', text: '30户' }, partnerships: [] });
    expect((await staff.ok('mutation($id: ID!) { deleteTask(id: $id) }', { id: createTask.id })).deleteTask).toBe(true);
    expect(codes(await staff.query('query($id: ID!) { task(id: $id) { id } }', { id: createTask.id }))).toEqual(['NOT_FOUND']);
  });
});
