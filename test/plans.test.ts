import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, superuser, TestHub } from './support/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(async () => hub?.close());

const PLAN_TASKS = `{ plans(year: 2026) { name documentNo status department { shortName } tasks {
  seq name itemsText scopeText frequencyPerYear windowFromMonth windowToMonth riskStratified modes drawType joint
  ratio { kind percent atLeast label text }
  leadDepartment { shortName } partnerDepartments { shortName }
  items { code kind method legalBasis } scopeRegions { name } scopeIndustries { name } source { header text } } } }`;

describe('the seeded 2026 commerce plan', () => {
  it('lists its four tasks as published, parsed and in the original text', async () => {
    const { plans } = await (await hub.as('commerce.staff')).ok(PLAN_TASKS);
    expect(plans).toHaveLength(1);
    const [plan] = plans;
    expect(plan).toMatchObject({ documentNo: '晋市商秩函〔2026〕82号', status: 'APPROVED', department: { shortName: '市商务局' } });
    expect(plan.tasks.map((t: { seq: number; name: string }) => [t.seq, t.name])).toEqual([
      [1, '对汽车销售企业的部门联合抽查'],
      [2, '对报废机动车回收拆解企业的部门联合抽查'],
      [3, '对单用途商业预付卡的部门联合抽查'],
      [4, '对二手车交易市场的部门联合抽查'],
    ]);
    const scrap = plan.tasks[1];
    expect(scrap).toMatchObject({
      scopeText: '泽州',
      frequencyPerYear: 1,
      windowFromMonth: 3,
      windowToMonth: 12,
      riskStratified: true,
      modes: ['CITY_DRAWS_CITY_CHECKS'],
      ratio: { kind: 'PERCENT', percent: 50, atLeast: false, label: '50%', text: '50% 1次/年' },
      leadDepartment: { shortName: '市商务局' },
      partnerDepartments: [{ shortName: '市市场监管局' }, { shortName: '市公安局' }],
      scopeRegions: [{ name: '泽州县' }],
      scopeIndustries: [{ name: '报废机动车回收拆解' }],
    });
    // The lead's four items and the partners' own (market supervision, public security): one visit checks them all.
    expect(scrap.items.map((i: { code: string }) => i.code).sort()).toEqual([
      'GA2026-01-1',
      'SJ2026-01-1',
      'SJ2026-01-2',
      'SW2026-03-1',
      'SW2026-03-2',
      'SW2026-03-3',
      'SW2026-03-4',
    ]);
    expect(scrap.items.find((i: { code: string }) => i.code === 'SW2026-03-1')).toMatchObject({
      kind: 'KEY',
      method: 'ON_SITE',
      legalBasis: '《报废机动车回收管理办法》第十九条',
    });
    expect(scrap.source).toContainEqual({ header: '配合部门', text: '市市场监管局 市公安局' });
    expect(plan.tasks[2].items).toHaveLength(9);
  });

  it('shows a partner only the joint tasks it is in', async () => {
    const police = await (await hub.as('police.staff')).ok(PLAN_TASKS);
    expect(police.plans[0].tasks.map((t: { seq: number }) => t.seq)).toEqual([2]);
    const market = await (await hub.as('market.staff')).ok(PLAN_TASKS);
    expect(market.plans[0].tasks).toHaveLength(4);
    // Counted once per task, however many partner rows the join touches.
    expect((await (await hub.as('market.staff')).ok('{ tasks { totalCount nodes { seq } } }')).tasks).toEqual({
      totalCount: 4,
      nodes: [{ seq: 1 }, { seq: 2 }, { seq: 3 }, { seq: 4 }],
    });
    expect((await (await hub.as('police.staff')).ok('{ tasks { totalCount } }')).tasks.totalCount).toBe(1);
  });

  it('hides the plan from a department that has no part in it', async () => {
    const tax = await hub.as('tax.staff');
    expect((await tax.ok('{ plans { id } }')).plans).toEqual([]);
    expect(codes(await tax.query('{ plan(id: 1) { id } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await tax.query('{ task(id: 1) { id } }'))).toEqual(['FORBIDDEN']);
    expect((await tax.ok('{ tasks { totalCount } }')).tasks.totalCount).toBe(0);
  });

  it('keeps the 三员 (system, security and audit administrators) out of the plans', async () => {
    for (const who of ['admin', 'security', 'auditor']) {
      const refused = await (await hub.as(who)).query('{ tasks(year: 2026) { totalCount } }');
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.errors![0].message).toContain('三员分立');
    }
  });
});

describe('updateTask', () => {
  const UPDATE =
    'mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(id: $id, input: $input) { id version windowFromMonth windowToMonth frequencyPerYear } }';
  beforeAll(() => hub.setPlanStatus(1, 'DRAFT'));

  it('refuses to edit a task of an approved plan, naming why', async () => {
    await hub.setPlanStatus(1, 'APPROVED');
    const staff = await hub.as('commerce.staff');
    const { task } = await staff.ok('{ task(id: 3) { version name } }');
    const refused = await staff.query(UPDATE, { id: 3, input: { version: task.version, name: '批准后修改' } });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0].message).toContain('计划已批准');
    expect((await staff.ok('{ task(id: 3) { version name } }')).task).toEqual(task);
    await hub.setPlanStatus(1, 'DRAFT');
  });

  it('lets the lead department edit, and bumps the version', async () => {
    const staff = await hub.as('commerce.staff');
    const { task } = await staff.ok('{ task(id: 3) { version } }');
    const { updateTask } = await staff.ok(UPDATE, { id: 3, input: { version: task.version, windowFromMonth: 4, frequencyPerYear: 2 } });
    expect(updateTask).toEqual({ id: '3', version: task.version + 1, windowFromMonth: 4, windowToMonth: 12, frequencyPerYear: 2 });
  });

  it('refuses a partner department and an officer', async () => {
    for (const who of ['market.staff', 'market.head', 'commerce.officer', 'commerce.witness']) {
      const result = await (await hub.as(who)).query(UPDATE, { id: 3, input: { version: 1, name: '改名' } });
      expect(codes(result), who).toEqual(['FORBIDDEN']);
    }
  });

  it('names the field and the reason for bad input, and writes nothing', async () => {
    const staff = await hub.as('commerce.staff');
    const { task } = await staff.ok('{ task(id: 3) { version windowFromMonth } }');
    const cases: [Record<string, unknown>, string][] = [
      [{ windowFromMonth: 13 }, 'input.windowFromMonth'],
      [{ windowToMonth: 2 }, 'input.windowToMonth'],
      [{ frequencyPerYear: 0 }, 'input.frequencyPerYear'],
      [{ name: '   ' }, 'input.name'],
    ];
    for (const [input, field] of cases) {
      const result = await staff.query(UPDATE, { id: 3, input: { version: task.version, ...input } });
      expect(result.errors![0].extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect((await staff.ok('{ task(id: 3) { version windowFromMonth } }')).task).toEqual(task);
  });

  it('answers a stale version with CONFLICT and the current version', async () => {
    const staff = await hub.as('commerce.staff');
    const { task } = await staff.ok('{ task(id: 4) { version } }');
    await staff.ok(UPDATE, { id: 4, input: { version: task.version, windowToMonth: 11 } });
    const stale = await staff.query(UPDATE, { id: 4, input: { version: task.version, windowToMonth: 10 } });
    expect(stale.errors![0].extensions).toEqual({ code: 'CONFLICT', currentVersion: task.version + 1 });
    expect((await staff.ok('{ task(id: 4) { windowToMonth } }')).task.windowToMonth).toBe(11);
  });
});

describe('approvePlan', () => {
  it('moves a draft to approved once, by a head of the department, and tells the partners', async () => {
    const db = await superuser(hub.databaseUrl);
    await db.query("update plan set status = 'DRAFT', approved_at = null where id = 1");
    await db.end();
    const head = await hub.as('commerce.head');
    expect(codes(await (await hub.as('market.head')).query('mutation { approvePlan(id: 1) { id } }'))).toEqual(['FORBIDDEN']);
    const { approvePlan } = await head.ok('mutation { approvePlan(id: 1) { status approvedAt } }');
    expect(approvePlan.status).toBe('APPROVED');
    expect(codes(await head.query('mutation { approvePlan(id: 1) { id } }'))).toEqual(['CONFLICT']);
    // Read on until it is visible: other databases' transactions on the server can delay events.
    let seen: unknown[] = [];
    while (seen.length === 0)
      seen = (await (await hub.as('police.staff')).ok('{ events(types: [PLAN_APPROVED]) { events { payload } } }')).events.events;
    expect(seen).toEqual([{ payload: { planId: 1, year: 2026, departmentId: expect.any(Number) } }]);
  });
});
