import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEventCursor, STREAM_START } from '../server/src/modules/events/event.service.js';
import ExcelJS from 'exceljs';
import { codes, type Session, Subscription, superuser, TestHub } from './support/hub.js';

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

describe('editing a draft task', () => {
  const UPDATE = `mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(id: $id, input: $input) {
    version name ratio { kind text perRiskClass { riskClass percent } } items { id } scopeRegions { name } modes drawType
    partnerships { status department { code } } } }`;

  it('changes every field of the published table, adds a partner who must confirm, and never drops one silently', async () => {
    const staff = await hub.as('commerce.staff');
    const { dept, items, industries } = await ids(staff);
    const commerceItems = await items('commerce');
    const { createPlan: plan } = await staff.ok(CREATE_PLAN, { input: { year: 2028, name: '修改任务测试计划' } });
    const { createTask: task } = await staff.ok(CREATE_TASK, {
      plan: plan.id,
      input: {
        name: '初稿',
        itemIds: commerceItems.slice(0, 1),
        ratio: { kind: 'COUNT', count: 10 },
        partnerDepartmentIds: [dept('market')],
      },
    });
    const { regions } = await staff.ok('{ regions { id name } }');
    const zezhou = regions.find((r: { name: string }) => r.name === '泽州县').id;
    const { events } = await (await hub.as('police.staff')).ok('{ events(first: 500) { endCursor } }');
    const { updateTask } = await staff.ok(UPDATE, {
      id: task.id,
      input: {
        version: 1,
        name: '对报废机动车回收企业的抽查',
        itemIds: commerceItems.slice(1, 3),
        scopeIndustryIds: industries,
        scopeRegionIds: [zezhou],
        ratio: {
          kind: 'PER_RISK_CLASS',
          perRiskClass: [
            { riskClass: 'A_LOW', percent: 3 },
            { riskClass: 'D_HIGH', percent: 20 },
          ],
        },
        modes: ['CITY_DRAWS_CITY_CHECKS', 'CITY_DRAWS_COUNTY_CHECKS'],
        drawType: 'DIRECTED',
        partnerDepartmentIds: [dept('market'), dept('police')],
      },
    });
    expect(updateTask).toEqual({
      version: 2,
      name: '对报废机动车回收企业的抽查',
      ratio: {
        kind: 'PER_RISK_CLASS',
        text: 'A类3%，D类20%',
        perRiskClass: [
          { riskClass: 'A_LOW', percent: 3 },
          { riskClass: 'D_HIGH', percent: 20 },
        ],
      },
      items: commerceItems.slice(1, 3).map((id) => ({ id })),
      scopeRegions: [{ name: '泽州县' }],
      modes: ['CITY_DRAWS_CITY_CHECKS', 'CITY_DRAWS_COUNTY_CHECKS'],
      drawType: 'DIRECTED',
      partnerships: [
        { status: 'PENDING', department: { code: 'market' } },
        { status: 'PENDING', department: { code: 'police' } },
      ],
    });
    // The new partner hears of it, and now has the task to confirm.
    const police = await hub.as('police.staff');
    const { events: seen } = await police.ok('query($a: ID) { events(after: $a, types: [TASK_UPDATED]) { events { payload } } }', {
      a: events.endCursor,
    });
    expect(seen.events.map((e: { payload: { taskId: number } }) => e.payload.taskId)).toContain(Number(task.id));
    expect((await police.ok('{ pendingPartnerships { id } }')).pendingPartnerships).toContainEqual({ id: task.id });

    const dropped = await staff.query(UPDATE, { id: task.id, input: { version: 2, partnerDepartmentIds: [dept('market')] } });
    expect(dropped.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.partnerDepartmentIds' });
    expect(dropped.errors![0].message).toContain('撤回');
    const badRegion = await staff.query(UPDATE, { id: task.id, input: { version: 2, scopeRegionIds: ['99999'] } });
    expect(badRegion.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.scopeRegionIds' });
    expect((await staff.ok('query($id: ID!) { task(id: $id) { version } }', { id: task.id })).task.version).toBe(2);
  });
});

describe('a plan exported as XLSX', () => {
  const TASK_FIELDS = `seq name scopeText riskRuleText riskStratified frequencyPerYear windowFromMonth windowToMonth modes drawType joint
    ratio { kind percent atLeast count perRiskClass { riskClass percent } }
    leadDepartment { code } partnerDepartments { code } items { id } scopeIndustries { id } scopeRegions { id }`;

  it('has the published columns, and import-plan reads it back to the same tasks', async () => {
    const staff = await hub.as('commerce.staff');
    const { dept, items, industries } = await ids(staff);
    const commerceItems = await items('commerce');
    const { regions } = await staff.ok('{ regions { id name } }');
    const region = (name: string) => regions.find((r: { name: string }) => r.name === name).id;
    const name = '晋城市商务局2029年度“双随机、一公开”抽查工作计划';
    const { createPlan: plan } = await staff.ok(CREATE_PLAN, { input: { year: 2029, name } });
    const tasks = [
      {
        name: '对报废机动车回收企业的部门联合抽查',
        itemIds: commerceItems.slice(0, 2),
        scopeText: '全市报废机动车回收拆解企业',
        scopeIndustryIds: industries,
        ratio: { kind: 'PERCENT', percent: 20, atLeast: true },
        riskStratified: true,
        riskRuleText: '根据企业信用风险分类结果，对D类企业按比例递增抽查',
        frequencyPerYear: 1,
        windowFromMonth: 4,
        windowToMonth: 10,
        modes: ['CITY_DRAWS_CITY_CHECKS'],
        drawType: 'UNDIRECTED',
        partnerDepartmentIds: [dept('market')],
      },
      {
        name: '对拍卖企业的抽查',
        itemIds: commerceItems.slice(2, 3),
        scopeText: '',
        scopeIndustryIds: industries,
        scopeRegionIds: [region('泽州县'), region('高平市')],
        ratio: { kind: 'COUNT', count: 12 },
        frequencyPerYear: 2,
        windowFromMonth: 3,
        windowToMonth: 11,
        modes: ['CITY_DRAWS_COUNTY_CHECKS', 'COUNTY_DRAWS_COUNTY_CHECKS'],
        drawType: 'DIRECTED',
      },
      {
        name: '对单用途商业预付卡发卡企业的抽查',
        itemIds: commerceItems.slice(3, 4),
        scopeText: '在本市备案的发卡企业',
        scopeIndustryIds: industries.slice(0, 1),
        ratio: {
          kind: 'PER_RISK_CLASS',
          perRiskClass: [
            { riskClass: 'A_LOW', percent: 2 },
            { riskClass: 'B_GENERAL', percent: 5 },
            { riskClass: 'D_HIGH', percent: 30 },
          ],
        },
        windowFromMonth: 6,
        windowToMonth: 9,
      },
    ];
    for (const input of tasks) await staff.ok(CREATE_TASK, { plan: plan.id, input });
    const market = await hub.as('market.staff');
    const { pendingPartnerships } = await market.ok('{ pendingPartnerships { id plan { id } } }');
    const joint = pendingPartnerships.find((t: { plan: { id: string } }) => t.plan.id === plan.id);
    await market.ok(CONFIRM, { t: joint.id, items: (await items('market')).slice(0, 2) });
    const before = (await staff.ok(`query($id: ID!) { plan(id: $id) { tasks { ${TASK_FIELDS} } } }`, { id: plan.id })).plan.tasks;

    const download = (token: string | null) =>
      fetch(`${hub.url}/api/plans/${plan.id}/export.xlsx`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await download(null)).status).toBe(401);
    const res = await download(staff.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const file = new Uint8Array(await res.arrayBuffer());

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).getCell(1).text).toBe(name);
    expect((sheet.getRow(2).values as string[]).slice(1)).toEqual([
      '序号',
      '抽查任务名称',
      '抽查事项',
      '抽查对象范围',
      '抽查比例及频次',
      '智慧监管要求',
      '抽查起止时间',
      '发起部门',
      '配合部门',
      '抽查模式',
      '抽查类型',
    ]);
    expect(sheet.getRow(3).getCell(1).value).toBe(1); // numbers as numbers
    expect(sheet.getRow(3).getCell(9).text).toBe('晋城市市场监督管理局');
    // A partner's copy holds only the joint task it is in.
    const partnerCopy = new ExcelJS.Workbook();
    await partnerCopy.xlsx.load(await (await download(market.token)).arrayBuffer());
    expect(partnerCopy.worksheets[0].rowCount).toBe(3);

    // Read back: the original is renamed so the import's plan (named by the title) is a new one.
    const db = await superuser(hub.databaseUrl);
    await db.query(`update plan set name = name || '（原稿）' where id = $1`, [plan.id]);
    await db.end();
    const job = await hub.importFile(staff.token!, 'PLAN', 'INSERT', `${name}.xlsx`, Buffer.from(file));
    expect(job.status).toBe('SUCCEEDED');
    const { plans } = await staff.ok(`{ plans(year: 2029) { id name status tasks { ${TASK_FIELDS} } } }`);
    const reread = plans.find((p: { name: string }) => p.name === name);
    expect(reread.status).toBe('DRAFT');
    const sorted = (t: { items: { id: string }[] }) => ({ ...t, items: [...t.items].sort((a, b) => Number(a.id) - Number(b.id)) });
    expect(reread.tasks.map(sorted)).toEqual(before.map(sorted));
  });
});
