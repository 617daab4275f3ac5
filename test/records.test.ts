import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../server/src/modules/registry/uscc.js';
import { codes, TestHub } from './support/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(async () => hub?.close());

let serial = 0;
/** A valid 统一社会信用代码 not used before in this run. */
function freshUscc(): string {
  const first17 = `91140500MA0${String(100000 + ++serial).slice(-6)}`;
  return `${first17}${usccCheckChar(first17)}`;
}

const CREATE_ITEM = `mutation($input: CreateCheckItemInput!) { createCheckItem(input: $input) { id code version department { code } } }`;
const itemInput = (item: string) => ({ year: 2026, category: '对报废机动车回收活动的监督检查', item, kind: 'GENERAL', method: 'ON_SITE' });

/** Ids the matrix and the tests need, read through the API as commerce staff. */
async function fixtures() {
  const staff = await hub.as('commerce.staff');
  const { departments } = await staff.ok('{ departments { id code } }');
  const dept = (code: string) => departments.find((d: { code: string }) => d.code === code).id as string;
  const { checkItems } = await staff.ok('query($d: ID) { checkItems(departmentId: $d) { id usedByTasks } }', { d: dept('commerce') });
  const { checkItems: marketItems } = await staff.ok('query($d: ID) { checkItems(departmentId: $d) { id } }', { d: dept('market') });
  const { officers } = await staff.ok('query($d: [ID!]) { officers(departmentIds: $d, first: 1) { nodes { id } } }', {
    d: [dept('commerce')],
  });
  const { task } = await staff.ok('{ task(id: 2) { scopeIndustries { id } scopeRegions { id } } }');
  const { regions } = await staff.ok('{ regions { id name } }');
  return {
    dept,
    usedItem: checkItems.find((i: { usedByTasks: number }) => i.usedByTasks > 0).id as string,
    commerceItems: checkItems.map((i: { id: string }) => i.id) as string[],
    marketItems: marketItems.map((i: { id: string }) => i.id) as string[],
    officer: officers.nodes[0].id as string,
    industry: task.scopeIndustries[0].id as string,
    region: regions.find((r: { name: string }) => r.name === '泽州县').id as string,
  };
}

describe('who may keep which records, plans and partnerships (permission matrix)', () => {
  const PERSONAS = ['commerce.staff', 'commerce.head', 'commerce.officer', 'market.staff', 'admin', 'auditor'] as const;
  type F = Awaited<ReturnType<typeof fixtures>>;
  let f: F;
  let draftPlan: string;
  beforeAll(async () => {
    f = await fixtures();
    const { createPlan } = await (
      await hub.as('commerce.staff')
    ).ok('mutation { createPlan(input: { year: 2027, name: "权限矩阵用计划" }) { id } }');
    draftPlan = createPlan.id;
  });
  const staff = () => hub.as('commerce.staff');
  const freshItem = async () => (await (await staff()).ok(CREATE_ITEM, { input: itemInput(`矩阵事项 ${++serial}`) })).createCheckItem;
  const freshTask = async (partners: string[] = []) =>
    (
      await (
        await staff()
      ).ok('mutation($p: ID!, $input: CreateTaskInput!) { createTask(planId: $p, input: $input) { id version } }', {
        p: draftPlan,
        input: {
          name: `矩阵任务 ${++serial}`,
          itemIds: [f.commerceItems[0]],
          ratio: { kind: 'COUNT', count: 5 },
          partnerDepartmentIds: partners,
        },
      })
    ).createTask;

  // operation, query, variables (made fresh for each persona), then for each persona: allowed or FORBIDDEN.
  const MATRIX: [string, string, () => Promise<Record<string, unknown>>, ('ok' | 'FORBIDDEN')[]][] = [
    [
      'createCheckItem (own department)',
      CREATE_ITEM,
      () => Promise.resolve({ input: itemInput(`新事项 ${++serial}`) }),
      ['ok', 'ok', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'updateCheckItem (commerce’s item)',
      'mutation($id: ID!, $v: Int!) { updateCheckItem(id: $id, input: { version: $v, target: "报废机动车回收拆解企业" }) { id } }',
      async () => {
        const item = await freshItem();
        return { id: item.id, v: item.version };
      },
      ['ok', 'ok', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'retireCheckItem (commerce’s item)',
      'mutation($id: ID!) { retireCheckItem(id: $id, reason: "法规已废止") { id } }',
      async () => ({ id: (await freshItem()).id }),
      ['ok', 'ok', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'deleteCheckItem (commerce’s unused item)',
      'mutation($id: ID!) { deleteCheckItem(id: $id) }',
      async () => ({ id: (await freshItem()).id }),
      ['ok', 'ok', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'createEnterprise (shared registry)',
      'mutation($u: String!, $i: ID!, $r: ID!) { createEnterprise(input: { uscc: $u, name: "矩阵测试有限公司", industryIds: [$i], regionId: $r, riskClass: B_GENERAL, riskClassReason: "新设立", riskClassSource: "登记信息" }) { id } }',
      () => Promise.resolve({ u: freshUscc(), i: f.industry, r: f.region }),
      ['ok', 'ok', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'updateEnterprise (shared registry)',
      'mutation($a: String!) { updateEnterprise(id: 1, input: { address: $a }) { id } }',
      () => Promise.resolve({ a: `泽州县金村镇 ${++serial} 号` }),
      ['ok', 'ok', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'createOfficer (own department)',
      'mutation($c: String!) { createOfficer(input: { certificateNo: $c, name: "矩阵测试员" }) { id } }',
      () => Promise.resolve({ c: `JZ-T${++serial}` }),
      ['ok', 'ok', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'updateOfficer (commerce’s officer)',
      'mutation($id: ID!, $s: [String!]!) { updateOfficer(id: $id, input: { specialties: $s }) { id } }',
      () => Promise.resolve({ id: f.officer, s: ['报废机动车', `专长${++serial}`] }),
      ['ok', 'ok', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'createPlan (own department)',
      'mutation($n: String!) { createPlan(input: { year: 2027, name: $n }) { id } }',
      () => Promise.resolve({ n: `矩阵计划 ${++serial}` }),
      ['ok', 'ok', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'createTask (commerce’s draft plan)',
      'mutation($p: ID!, $i: ID!) { createTask(planId: $p, input: { name: "矩阵新增任务", itemIds: [$i], ratio: { kind: PERCENT, percent: 5 } }) { id } }',
      () => Promise.resolve({ p: draftPlan, i: f.commerceItems[0] }),
      ['ok', 'ok', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'updateTask (commerce’s draft task)',
      'mutation($id: ID!, $v: Int!) { updateTask(id: $id, input: { version: $v, windowFromMonth: 5 }) { id } }',
      async () => {
        const task = await freshTask();
        return { id: task.id, v: task.version };
      },
      ['ok', 'ok', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'deleteTask (commerce’s draft task)',
      'mutation($id: ID!) { deleteTask(id: $id) }',
      async () => ({ id: (await freshTask()).id }),
      ['ok', 'ok', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'confirmTaskPartnership (market is the partner)',
      'mutation($t: ID!, $i: [ID!]!) { confirmTaskPartnership(taskId: $t, itemIds: $i) { id } }',
      async () => ({ t: (await freshTask([f.dept('market')])).id, i: [f.marketItems[0]] }),
      ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'FORBIDDEN'],
    ],
    [
      'approvePlan (commerce’s draft)',
      'mutation($id: ID!) { approvePlan(id: $id) { id } }',
      async () => ({
        id: (
          await (
            await staff()
          ).ok('mutation($n: String!) { createPlan(input: { year: 2027, name: $n }) { id } }', { n: `待批 ${++serial}` })
        ).createPlan.id,
      }),
      ['FORBIDDEN', 'ok', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ],
  ];

  it.each(MATRIX)('%s', async (_name, query, variables, expected) => {
    for (const [k, persona] of PERSONAS.entries()) {
      const result = await (await hub.as(persona)).query(query, await variables());
      expect([persona, result.errors ? codes(result) : 'ok']).toEqual([persona, expected[k] === 'ok' ? 'ok' : ['FORBIDDEN']]);
    }
  });
});

describe('check items kept record by record', () => {
  it('numbers a new item, refuses a duplicate code and another department’s edit, and tells its department live', async () => {
    const staff = await hub.as('commerce.staff');
    const { createCheckItem: item } = await staff.ok(CREATE_ITEM, { input: itemInput('检查回收企业的回收证明开具情况') });
    expect(item.code).toMatch(/^2026-S-\d+$/);
    const duplicate = await staff.query(CREATE_ITEM, { input: { ...itemInput('重复编码'), code: item.code } });
    expect(duplicate.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.code' });
    const blank = await staff.query(CREATE_ITEM, { input: { ...itemInput('  '), item: '  ' } });
    expect(blank.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.item' });
    const UPDATE =
      'mutation($id: ID!, $v: Int!, $t: String) { updateCheckItem(id: $id, input: { version: $v, item: $t }) { item version } }';
    expect(codes(await (await hub.as('market.staff')).query(UPDATE, { id: item.id, v: item.version, t: '越权' }))).toEqual(['FORBIDDEN']);
    const { updateCheckItem } = await staff.ok(UPDATE, { id: item.id, v: item.version, t: '检查回收证明的开具与存档' });
    expect(updateCheckItem).toEqual({ item: '检查回收证明的开具与存档', version: item.version + 1 });
    const stale = await staff.query(UPDATE, { id: item.id, v: item.version, t: '旧版本' });
    expect(stale.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: item.version + 1 });
    const { events } = await staff.ok('{ events(types: [RECORD_CHANGED], first: 100) { events { payload } } }');
    expect(events.events.map((e: { payload: { id: number; action: string } }) => [e.payload.id, e.payload.action])).toEqual(
      expect.arrayContaining([
        [Number(item.id), 'CREATED'],
        [Number(item.id), 'UPDATED'],
      ]),
    );
    const { events: marketEvents } = await (
      await hub.as('police.staff')
    ).ok('{ events(types: [RECORD_CHANGED], first: 100) { events { payload } } }');
    expect(marketEvents.events.filter((e: { payload: { kind: string } }) => e.payload.kind === 'CHECK_ITEM')).toEqual([]);
  });

  it('fixes an item an approved plan uses, retires it instead of deleting, and offers a retired item to no new task', async () => {
    const staff = await hub.as('commerce.staff');
    const f = await fixtures();
    const { checkItems } = await staff.ok('query($d: ID) { checkItems(departmentId: $d) { id version item } }', { d: f.dept('commerce') });
    const used = checkItems.find((i: { id: string }) => i.id === f.usedItem);
    const content = await staff.query(
      'mutation($id: ID!, $v: Int!) { updateCheckItem(id: $id, input: { version: $v, item: "改写" }) { id } }',
      {
        id: used.id,
        v: used.version,
      },
    );
    expect(codes(content)).toEqual(['FORBIDDEN']);
    expect(content.errors![0].message).toContain('停用后新建');
    await staff.ok(
      'mutation($id: ID!, $v: Int!) { updateCheckItem(id: $id, input: { version: $v, requiredSpecialty: "报废机动车" }) { requiredSpecialty } }',
      {
        id: used.id,
        v: used.version,
      },
    );
    const deleted = await staff.query('mutation($id: ID!) { deleteCheckItem(id: $id) }', { id: used.id });
    expect(codes(deleted)).toEqual(['FORBIDDEN']);
    expect(deleted.errors![0].message).toContain('只能停用');

    const { retireCheckItem } = await staff.ok(
      'mutation($id: ID!) { retireCheckItem(id: $id, reason: "并入新事项") { retiredAt retireReason } }',
      {
        id: used.id,
      },
    );
    expect(retireCheckItem.retireReason).toBe('并入新事项');
    expect(codes(await staff.query('mutation($id: ID!) { retireCheckItem(id: $id, reason: "再次") { id } }', { id: used.id }))).toEqual([
      'CONFLICT',
    ]);
    const listed = async (includeRetired: boolean) =>
      (
        await staff.ok('query($d: ID, $r: Boolean) { checkItems(departmentId: $d, includeRetired: $r) { id } }', {
          d: f.dept('commerce'),
          r: includeRetired,
        })
      ).checkItems.map((i: { id: string }) => i.id);
    expect(await listed(false)).not.toContain(used.id);
    expect(await listed(true)).toContain(used.id);
    // The tasks that used it keep it.
    const { checkItems: after } = await staff.ok(
      'query($d: ID) { checkItems(departmentId: $d, includeRetired: true) { id usedByTasks } }',
      {
        d: f.dept('commerce'),
      },
    );
    expect(after.find((i: { id: string }) => i.id === used.id).usedByTasks).toBeGreaterThan(0);
    const { createPlan } = await staff.ok('mutation { createPlan(input: { year: 2027, name: "停用事项测试计划" }) { id } }');
    const refused = await staff.query(
      'mutation($p: ID!, $i: [ID!]!) { createTask(planId: $p, input: { name: "用停用事项", itemIds: $i, ratio: { kind: COUNT, count: 3 } }) { id } }',
      { p: createPlan.id, i: [used.id] },
    );
    expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.itemIds[0]' });
    expect(refused.errors![0].message).toContain('已停用');
  });
});

describe('enterprises kept record by record', () => {
  const HISTORY = `query($u: String!) { enterprise(uscc: $u) { riskClass status address riskClassHistory {
    fromClass toClass channel source reason changedBy { username } } } }`;

  it('creates a firm, keeps every risk-class change with who, why and the source, and writes nothing for bad input', async () => {
    const staff = await hub.as('market.staff');
    const f = await fixtures();
    const uscc = freshUscc();
    const CREATE = 'mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) { id uscc riskClass } }';
    const input = {
      uscc,
      name: '晋城市测试报废机动车回收有限公司',
      industryIds: [f.industry],
      regionId: f.region,
      riskClass: 'B_GENERAL',
      riskClassReason: '新设立企业',
      riskClassSource: '登记注册信息',
    };
    const bad: [Record<string, unknown>, string][] = [
      [{ uscc: '91140500MA0000000X' }, 'input.uscc'],
      [{ industryIds: [] }, 'input.industryIds'],
      [{ regionId: '999999' }, 'input.regionId'],
      [{ riskClassReason: ' ' }, 'input.riskClassReason'],
    ];
    for (const [change, field] of bad) {
      const result = await staff.query(CREATE, { input: { ...input, ...change } });
      expect(result.errors![0].extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const { createEnterprise } = await staff.ok(CREATE, { input });
    expect(createEnterprise).toMatchObject({ uscc, riskClass: 'B_GENERAL' });
    expect((await staff.query(CREATE, { input })).errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.uscc' });

    const UPDATE = 'mutation($id: ID!, $input: EnterpriseFieldsInput!) { updateEnterprise(id: $id, input: $input) { riskClass status } }';
    const noReason = await staff.query(UPDATE, { id: createEnterprise.id, input: { riskClass: 'D_HIGH', status: 'SUSPENDED' } });
    expect(noReason.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.riskClassReason' });
    expect((await staff.ok(HISTORY, { u: uscc })).enterprise).toMatchObject({ riskClass: 'B_GENERAL', status: 'OPERATING' });

    const commerce = await hub.as('commerce.staff');
    await commerce.ok(UPDATE, {
      id: createEnterprise.id,
      input: {
        riskClass: 'D_HIGH',
        riskClassReason: '被列入经营异常名录',
        riskClassSource: '省企业信用风险分类管理系统 2026年第四季度结果',
        address: '泽州县南村镇',
      },
    });
    const { enterprise } = await staff.ok(HISTORY, { u: uscc });
    expect(enterprise).toMatchObject({ riskClass: 'D_HIGH', address: '泽州县南村镇' });
    expect(enterprise.riskClassHistory).toEqual([
      {
        fromClass: 'B_GENERAL',
        toClass: 'D_HIGH',
        channel: 'MANUAL',
        source: '省企业信用风险分类管理系统 2026年第四季度结果',
        reason: '被列入经营异常名录',
        changedBy: { username: 'commerce.staff' },
      },
      {
        fromClass: null,
        toClass: 'B_GENERAL',
        channel: 'CREATED',
        source: '登记注册信息',
        reason: '新设立企业',
        changedBy: { username: 'market.staff' },
      },
    ]);
    expect(
      codes(await (await hub.as('commerce.officer')).query(UPDATE, { id: createEnterprise.id, input: { status: 'REVOKED' } })),
    ).toEqual(['FORBIDDEN']);
  });

  it('records a risk class changed by an import as a history row naming the file and the importer', async () => {
    const staff = await hub.as('market.staff');
    const f = await fixtures();
    const uscc = freshUscc();
    await staff.ok(
      'mutation($u: String!, $i: ID!, $r: ID!) { createEnterprise(input: { uscc: $u, name: "导入测试有限公司", industryIds: [$i], regionId: $r, riskClass: A_LOW, riskClassReason: "初次分类", riskClassSource: "登记" }) { id } }',
      { u: uscc, i: f.industry, r: f.region },
    );
    const { industries } = await staff.ok('{ industries { id name } }');
    const industryName = industries.find((i: { id: string }) => i.id === f.industry).name;
    const csv = `统一社会信用代码,企业名称,行业,所属区域,信用风险分类\n${uscc},导入测试有限公司,${industryName},泽州县,C\n`;
    const job = await hub.importFile(staff.token!, 'ENTERPRISE', 'UPSERT', '风险分类更新.csv', csv);
    expect(job.status).toBe('SUCCEEDED');
    const { enterprise } = await staff.ok(HISTORY, { u: uscc });
    expect(enterprise.riskClass).toBe('C_ELEVATED');
    expect(enterprise.riskClassHistory[0]).toMatchObject({
      fromClass: 'A_LOW',
      toClass: 'C_ELEVATED',
      channel: 'IMPORT',
      changedBy: { username: 'market.staff' },
    });
    expect(enterprise.riskClassHistory[0].source).toBe('风险分类更新.csv');
  });
});

describe('officers kept record by record', () => {
  it('adds an officer to the department, refuses another department’s edit and a bad date, and never draws an expired certificate', async () => {
    const staff = await hub.as('commerce.staff');
    const CREATE =
      'mutation($input: CreateOfficerInput!) { createOfficer(input: $input) { id certificateNo department { code } viewerCanEdit } }';
    const { createOfficer } = await staff.ok(CREATE, {
      input: { certificateNo: 'JC-2026-901', name: '新入职', specialties: ['报废机动车'] },
    });
    expect(createOfficer).toMatchObject({ department: { code: 'commerce' }, viewerCanEdit: true });
    expect((await staff.query(CREATE, { input: { certificateNo: 'JC-2026-901', name: '重复' } })).errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'input.certificateNo',
    });
    const UPDATE =
      'mutation($id: ID!, $input: OfficerFieldsInput!) { updateOfficer(id: $id, input: $input) { status certificateValidUntil } }';
    expect(codes(await (await hub.as('market.staff')).query(UPDATE, { id: createOfficer.id, input: { status: 'INACTIVE' } }))).toEqual([
      'FORBIDDEN',
    ]);
    const badDate = await staff.query(UPDATE, { id: createOfficer.id, input: { certificateValidUntil: '2026-02-30' } });
    expect(badDate.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.certificateValidUntil' });

    // Every commerce officer but one keeps a valid certificate; that one's expired yesterday.
    const { officers } = await staff.ok(
      'query($d: [ID!]) { officers(departmentIds: $d, statuses: [ACTIVE], first: 100) { nodes { id name } } }',
      { d: [(await fixtures()).dept('commerce')] },
    );
    const expired = officers.nodes[0];
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(
      (await staff.ok(UPDATE, { id: expired.id, input: { certificateValidUntil: yesterday } })).updateOfficer.certificateValidUntil,
    ).toBe(yesterday);
    const visits = await hub.visitsWithTeam(null, 0);
    expect(visits).toEqual([]);
    const { inspections } = await staff.ok('{ inspections(first: 500) { nodes { officers { id department { code } } } } }');
    const drawn = inspections.nodes.flatMap((v: { officers: { id: string; department: { code: string } }[] }) => v.officers);
    expect(drawn.filter((o: { department: { code: string } }) => o.department.code === 'commerce').length).toBeGreaterThan(0);
    expect(drawn.map((o: { id: string }) => o.id)).not.toContain(expired.id);
  });
});
