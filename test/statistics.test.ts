import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { MEASURES } from '../server/src/modules/reporting/measures.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, superuser, TestHub, type Visit } from './support/hub.js';

// A hand-computed fixture on the joint task 2 (commerce leads with 4 items; market 2 and police 1
// are partners): of the N visits drawn, V1 is clean, finalised and published; V2 has a corrected
// problem of commerce (责令改正, now overdue) and a pending one of market referred to tax (now
// overdue), finalised, not published; V3 has one result and is open; the rest are untouched.
let hub: TestHub;
let visits: Visit[];
let n: number;
let population: number;
let teamPlaces: number;

const RECORD = `mutation($i: ID!, $item: ID!, $input: FindingInput!) { recordFinding(inspectionId: $i, itemId: $item, input: $input) { id } }`;
const CLEAN = { results: ['NO_PROBLEM'], followUp: 'NONE', method: 'ON_SITE' };
const ROW = `label key { departmentId departmentName taskId riskClass month resultCategory }
  firmsInScope firmsDrawn visits departmentVisits itemsPlanned itemsChecked visitsFinalised completionRate visitsWithProblem problemRate
  resultCounts { category items } correctionsOrdered correctionsDone correctionsOverdue referralsOpened referralsAccepted referralsClosed
  referralsOverdue published publishedOnTime publicationRate onTimeRate itemsPerVisit visitsSaved teamPlaces officerWorkload`;
const STATS = `query($f: StatisticsFilter!, $g: [StatisticsGroup!]!) { statistics(filter: $f, groupBy: $g) { asOf groupBy rows { ${ROW} } total { ${ROW} } } }`;
const YEAR = { year: 2026, taskIds: [2] };

async function record(visit: Visit, pick: (item: Visit['items'][number], index: number) => object | null) {
  for (const [index, item] of visit.items.entries()) {
    const input = pick(item, index);
    if (input) await (await hub.as(`${item.department.code}.officer`)).ok(RECORD, { i: visit.id, item: item.id, input });
  }
}

beforeAll(async () => {
  hub = await TestHub.start();
  visits = await hub.visitsWithTeam(['commerce.officer', 'market.officer', 'police.officer'], 3);
  const [v1, v2, v3] = visits;
  await record(v1, () => CLEAN);
  await hub.finaliseSubmitted(v1.id, await hub.submit(v1.id));
  const firstOf = (code: string) => (_item: Visit['items'][number], index: number, v: Visit) =>
    v.items.findIndex((i) => i.department.code === code) === index;
  let marketFinding = '';
  for (const [index, item] of v2.items.entries()) {
    const officer = await hub.as(`${item.department.code}.officer`);
    const input = firstOf('commerce')(item, index, v2)
      ? { results: ['PROBLEM_CORRECTED'], followUp: 'ORDER_CORRECTION', followUpDeadline: '2026-12-31', method: 'ON_SITE' }
      : firstOf('market')(item, index, v2)
        ? { results: ['PROBLEM_PENDING'], problemKinds: ['NOT_DISCLOSED'], followUp: 'NOTIFY_DEPARTMENT', method: 'ON_SITE' }
        : CLEAN;
    const { recordFinding } = await officer.ok<{ recordFinding: { id: string } }>(RECORD, { i: v2.id, item: item.id, input });
    if (firstOf('market')(item, index, v2)) marketFinding = recordFinding.id;
  }
  const db = await superuser(hub.databaseUrl);
  const tax = (await db.query(`select id from department where code = 'tax'`)).rows[0].id as number;
  await (
    await hub.as('market.staff')
  ).ok(
    'mutation($f: ID!, $to: ID!) { createReferral(findingId: $f, toDepartmentId: $to, kind: NOTIFY, description: "抄告税务", dueOn: "2026-12-31") { id } }',
    {
      f: marketFinding,
      to: String(tax),
    },
  );
  await hub.finaliseSubmitted(v2.id, await hub.submit(v2.id));
  await record(v3, (_item, index) => (index === v3.items.findIndex((i) => i.department.code === 'commerce') ? CLEAN : null));
  await (await hub.as('commerce.staff')).ok('mutation($ids: [ID!]!) { publishInspections(inspectionIds: $ids) { id } }', { ids: [v1.id] });
  // The deadlines pass: both are now overdue (the statement triggers mark the visit for the rollup).
  await db.query(`update finding set follow_up_deadline = '2026-01-05' where follow_up = 'ORDER_CORRECTION' and inspection_id = $1`, [
    v2.id,
  ]);
  await db.query(`update referral set due_on = '2026-01-05'`);
  // Independent of the rollup: the draw's own record and team table.
  const draw = (await db.query(`select d.id, d.spec from draw d join draw_task dt on dt.draw_id = d.id where dt.task_id = 2`)).rows[0];
  n = Number((await db.query(`select count(*) from inspection where draw_id = $1`, [draw.id])).rows[0].count);
  population = Object.values(draw.spec.tasks[0].strata as Record<string, { size: number }>).reduce((s, x) => s + x.size, 0);
  teamPlaces = Number(
    (
      await db.query(`select count(*) from inspection_officer io join inspection i on i.id = io.inspection_id where i.draw_id = $1`, [
        draw.id,
      ])
    ).rows[0].count,
  );
  await db.end();
});
afterAll(async () => hub?.close());

const stats = async (username: string, filter: object, groupBy: string[] = []) =>
  (await hub.as(username)).query<{ statistics: any }>(STATS, { f: filter, g: groupBy });

describe('statistics (docs/statistics.md), every measure against the fixture', () => {
  it('totals the task for its lead department', async () => {
    const { data, errors } = await stats('commerce.staff', YEAR);
    expect(errors).toBeUndefined();
    const t = data!.statistics.total;
    expect(n).toBeGreaterThan(3);
    expect(t).toMatchObject({
      label: '合计',
      firmsInScope: population,
      firmsDrawn: n,
      visits: n,
      departmentVisits: 3 * n,
      itemsPlanned: 7 * n,
      itemsChecked: 7 + 7 + 1,
      visitsFinalised: 2,
      completionRate: Math.round((2 / n) * 10000) / 10000,
      visitsWithProblem: 1,
      problemRate: 0.5,
      correctionsOrdered: 1,
      correctionsDone: 0,
      correctionsOverdue: 1,
      referralsOpened: 1,
      referralsAccepted: 0,
      referralsClosed: 0,
      referralsOverdue: 1,
      published: 1,
      publishedOnTime: 1,
      publicationRate: 0.5,
      onTimeRate: 1,
      itemsPerVisit: 7,
      visitsSaved: 2 * n,
      teamPlaces,
    });
    expect(t.resultCounts).toEqual([
      { category: 'NO_PROBLEM', items: 13 },
      { category: 'PROBLEM_PENDING', items: 1 },
      { category: 'PROBLEM_CORRECTED', items: 1 },
      { category: 'ACTIVITY_NOT_FOUND', items: 0 },
      { category: 'CLOSED_OR_LIQUIDATING', items: 0 },
      { category: 'NON_COOPERATION', items: 0 },
    ]);
  });

  it('reads the same figures from the dashboard’s rollup (year only) as from the full one (any filter)', async () => {
    // Every 2026 visit here belongs to task 2: the year alone (stat_summary) and the task filter (stat_cell) must agree.
    for (const groupBy of [[], ['DEPARTMENT'], ['TASK'], ['RISK_CLASS'], ['MONTH'], ['REGION'], ['INDUSTRY']]) {
      const summary = (await stats('commerce.staff', { year: 2026 }, groupBy)).data!.statistics;
      const cells = (await stats('commerce.staff', YEAR, groupBy)).data!.statistics;
      expect(summary.rows).toEqual(cells.rows);
      expect(summary.total).toEqual(cells.total);
    }
  });

  it('splits by department: each its own items, problems, corrections and referrals', async () => {
    const { data } = await stats('commerce.staff', YEAR, ['DEPARTMENT']);
    const by = Object.fromEntries(data!.statistics.rows.map((r: any) => [r.key.departmentName, r]));
    expect(Object.keys(by)).toEqual(['晋城市商务局', '晋城市市场监督管理局', '晋城市公安局']);
    expect(by['晋城市商务局']).toMatchObject({
      visits: n,
      itemsPlanned: 4 * n,
      itemsChecked: 9,
      visitsWithProblem: 1,
      correctionsOrdered: 1,
      referralsOpened: 0,
      visitsSaved: n,
    });
    expect(by['晋城市市场监督管理局']).toMatchObject({
      visits: n,
      itemsPlanned: 2 * n,
      itemsChecked: 4,
      visitsWithProblem: 1,
      correctionsOrdered: 0,
      referralsOpened: 1,
      referralsOverdue: 1,
    });
    expect(by['晋城市公安局']).toMatchObject({ visits: n, itemsPlanned: n, itemsChecked: 2, visitsWithProblem: 0, problemRate: 0 });
    // Visit-level figures are the visit's in every department's row.
    for (const row of data!.statistics.rows) expect(row).toMatchObject({ visitsFinalised: 2, published: 1, firmsInScope: population });
  });

  it('splits by result category, by risk class and by month', async () => {
    const byResult = (await stats('commerce.staff', YEAR, ['RESULT_CATEGORY'])).data!.statistics.rows;
    expect(byResult.map((r: any) => [r.key.resultCategory, r.itemsChecked, r.visits])).toEqual([
      ['NO_PROBLEM', 13, null],
      ['PROBLEM_PENDING', 1, null],
      ['PROBLEM_CORRECTED', 1, null],
    ]);
    const byRisk = (await stats('commerce.staff', YEAR, ['RISK_CLASS'])).data!.statistics.rows;
    expect(byRisk.reduce((s: number, r: any) => s + r.visits, 0)).toBe(n);
    expect(byRisk.reduce((s: number, r: any) => s + r.firmsInScope, 0)).toBe(population);
    const byMonth = (await stats('commerce.staff', YEAR, ['MONTH'])).data!.statistics.rows;
    expect(byMonth.every((r: any) => /^\d{4}-\d{2}$/.test(r.key.month) && r.firmsInScope === null)).toBe(true);
    expect(byMonth.reduce((s: number, r: any) => s + r.visitsFinalised, 0)).toBe(2);
  });
});

describe('definitions written once', () => {
  it('docs/statistics.md lists every measure with its formula, as statisticsMeasures returns them', async () => {
    const doc = fs.readFileSync(new URL('../docs/statistics.md', import.meta.url), 'utf8');
    const rows = doc.split('\n').map((line) => line.split('|').map((cell) => cell.trim()));
    for (const m of MEASURES) expect(rows).toContainEqual(['', `\`${m.key}\``, m.label, m.formula, expect.any(String), '']);
    const { statisticsMeasures } = await (await hub.as('oversight')).ok('{ statisticsMeasures { key label formula kind } }');
    expect(statisticsMeasures).toEqual(MEASURES.map((m) => ({ ...m })));
  });
});

describe('statistics scope', () => {
  it('a partner sees the joint task; OVERSIGHT sees its region; a department outside sees nothing of it', async () => {
    const lead = (await stats('commerce.staff', YEAR)).data!.statistics.total;
    expect((await stats('police.head', YEAR)).data!.statistics.total).toEqual(lead);
    expect((await stats('oversight', YEAR)).data!.statistics.total).toEqual(lead);
    expect((await stats('oversight', { year: 2026, departmentIds: [6] })).errors).toBeUndefined();
    expect((await stats('zezhou-market.staff', { year: 2026 })).data!.statistics.total.visits).toBe(0);
  });

  it('refuses a filter outside the scope by name, never narrowing it silently', async () => {
    const outside = await stats('zezhou-market.staff', YEAR);
    expect(codes(outside)).toEqual(['FORBIDDEN']);
    expect(outside.errors![0].message).toContain('对报废机动车');
    const otherDepartment = await stats('commerce.staff', { year: 2026, departmentIds: [6] });
    expect(codes(otherDepartment)).toEqual(['FORBIDDEN']);
    expect(otherDepartment.errors![0].message).toContain('晋城市城区市场监督管理局');
    expect(codes(await stats('commerce.witness', YEAR))).toEqual(['FORBIDDEN']);
    expect(codes(await stats('admin', YEAR))).toEqual(['FORBIDDEN']);
  });

  it('names unknown values and bad months', async () => {
    const unknownTask = await stats('commerce.staff', { year: 2026, taskIds: [9999] });
    expect(unknownTask.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'taskIds' });
    expect(unknownTask.errors![0].message).toContain('9999');
    expect((await stats('commerce.staff', { year: 2026, from: '2026-13' })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'from',
    });
    expect((await stats('commerce.staff', { year: 2026, from: '2026-09', to: '2026-03' })).errors![0].extensions).toMatchObject({
      field: 'from',
    });
    expect((await stats('commerce.staff', YEAR, ['TASK', 'TASK'])).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'groupBy',
    });
    expect(codes(await stats('commerce.staff', YEAR, ['NOPE']))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('reporting tokens', () => {
  const CREATE =
    'mutation($n: String!, $e: DateTimeISO!) { createApiToken(name: $n, expiresAt: $e) { token apiToken { id name active } } }';
  const inAMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

  it('a head issues one; a tool reads statistics with it, nothing else; every use is audited; revoked or expired it is refused', async () => {
    expect(codes(await (await hub.as('commerce.staff')).query(CREATE, { n: '月报', e: inAMonth() }))).toEqual(['FORBIDDEN']);
    const head = await hub.as('commerce.head');
    const { createApiToken } = await head.ok(CREATE, { n: '市数据平台月报', e: inAMonth() });
    expect(createApiToken.token).toMatch(/^hubrt_/);
    expect(codes(await head.query(CREATE, { n: '市数据平台月报', e: inAMonth() }))).toEqual(['CONFLICT']);
    expect(codes(await head.query(CREATE, { n: '过去', e: '2020-01-01T00:00:00Z' }))).toEqual(['BAD_USER_INPUT']);

    const tool = hub.session(createApiToken.token);
    const viaToken = await tool.query<{ statistics: any }>(STATS, { f: YEAR, g: [] });
    expect(viaToken.data!.statistics.total).toEqual((await stats('commerce.staff', YEAR)).data!.statistics.total);
    expect(codes(await tool.query('{ plans { id } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await tool.query('mutation { revokeApiToken(id: 1) { id } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await tool.query(STATS, { f: { year: 2026, departmentIds: [6] }, g: [] }))).toEqual(['FORBIDDEN']);
    const xlsx = await fetch(`${hub.url}/api/statistics.xlsx?year=2026&taskIds=2`, {
      headers: { authorization: `Bearer ${createApiToken.token}` },
    });
    expect(xlsx.status).toBe(200);
    const visitList = await fetch(`${hub.url}/api/inspections.xlsx?year=2026`, {
      headers: { authorization: `Bearer ${createApiToken.token}` },
    });
    expect(visitList.status).toBe(403);

    const db = await superuser(hub.databaseUrl);
    const uses = await db.query(`select count(*)::int as n from audit_log where operation = 'useApiToken' and target = $1`, [
      `apiToken=${createApiToken.apiToken.id}`,
    ]);
    expect(uses.rows[0].n).toBe(6);
    const { apiTokens } = await head.ok('{ apiTokens { id uses active lastUsedAt createdBy } }');
    expect(apiTokens[0]).toMatchObject({ id: createApiToken.apiToken.id, uses: 6, active: true, createdBy: '市商务局负责人' });

    await head.ok('mutation($id: ID!) { revokeApiToken(id: $id) { id } }', { id: createApiToken.apiToken.id });
    expect(codes(await tool.query(STATS, { f: YEAR, g: [] }))).toEqual(['UNAUTHENTICATED']);

    const second = (await head.ok(CREATE, { n: '到期测试', e: inAMonth() })).createApiToken;
    await db.query(`update api_token set expires_at = now() - interval '1 minute' where id = $1`, [second.apiToken.id]);
    await db.end();
    expect(codes(await hub.session(second.token).query(STATS, { f: YEAR, g: [] }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('XLSX exports, read back', () => {
  const get = async (username: string, path: string) => {
    const res = await fetch(`${hub.url}${path}`, { headers: { authorization: `Bearer ${(await hub.as(username)).token}` } });
    return { res, book: res.status === 200 ? await new ExcelJS.Workbook().xlsx.load(await res.arrayBuffer()) : null };
  };

  it('a statistics table: Chinese headers, numbers as numbers, rates as percentages, the total last', async () => {
    const { book } = await get('commerce.staff', '/api/statistics.xlsx?year=2026&taskIds=2&groupBy=DEPARTMENT');
    const sheet = book!.getWorksheet('统计表')!;
    const header = sheet.getRow(2).values as unknown[];
    expect(header.slice(1, 5)).toEqual(['部门', '名录户数', '实抽户数', '检查户次']);
    expect(sheet.getRow(3).getCell(1).value).toBe('晋城市商务局');
    expect(sheet.getRow(3).getCell(4).value).toBe(n);
    const rateColumn = header.indexOf('问题发现率');
    expect(sheet.getRow(3).getCell(rateColumn).value).toBe(0.5);
    expect(sheet.getRow(3).getCell(rateColumn).numFmt).toBe('0.0%');
    expect(sheet.getRow(6).getCell(1).value).toBe('合计');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  });

  it('the year-end 汇总表 per department in the layout sent upward', async () => {
    const { book } = await get('commerce.staff', '/api/statistics/summary.xlsx?year=2026');
    const sheet = book!.getWorksheet('晋城市商务局')!;
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([
      '序号',
      '任务名称',
      '应抽户数',
      '实抽户数',
      '已检查',
      '发现问题',
      '责令改正',
      '移送',
      '已公示',
      '公示率',
    ]);
    expect((sheet.getRow(3).values as unknown[]).slice(1)).toEqual([1, '对报废机动车回收拆解企业的部门联合抽查', n, n, 2, 1, 1, 0, 1, 0.5]);
    const market = book!.getWorksheet('晋城市市场监督管理局')!;
    expect(market.getRow(3).getCell(8).value).toBe(1);
  });

  it('a draw’s 抽查名单 and the visits list; a refusal is a clean JSON answer', async () => {
    const db = await superuser(hub.databaseUrl);
    const drawId = (await db.query(`select draw_id from draw_task where task_id = 2`)).rows[0].draw_id as string;
    const usccs = (
      await db.query(`select e.uscc from inspection i join enterprise e on e.id = i.enterprise_id where i.draw_id = $1 order by i.id`, [
        drawId,
      ])
    ).rows.map((r) => r.uscc);
    await db.end();
    const list = await get('market.staff', `/api/draws/${drawId}/list.xlsx`);
    const names = list.book!.getWorksheet('抽查名单')!;
    expect(names.getRow(2).getCell(2).value).toBe('统一社会信用代码');
    expect(names.getColumn(2).values.slice(3)).toEqual(usccs);
    expect(names.getRow(3).getCell(1).value).toBe(1);
    const visitsBook = await get('commerce.staff', '/api/inspections.xlsx?year=2026&taskIds=2');
    expect(visitsBook.res.headers.get('x-export-rows')).toBe(String(n));
    const sheet = visitsBook.book!.getWorksheet('检查清单')!;
    expect(sheet.rowCount).toBe(2 + n);
    const row = sheet.getRow(3 + usccs.indexOf(usccs[1])).values as unknown[];
    expect(row.slice(14, 16)).toEqual(['未发现问题、发现问题待后续处理、发现问题已责令改正', '是']);
    const refused = await get('zezhou-market.staff', `/api/draws/${drawId}/list.xlsx`);
    expect(refused.res.status).toBe(403);
    expect((await refused.res.json()).error.code).toBe('FORBIDDEN');
  });
});

describe('结果运用: a directed task drawn from the firms with a problem found in a year', () => {
  it('draws only them, and the draw record names the year', async () => {
    const staff = await hub.as('commerce.staff');
    const { task } = await staff.ok('{ task(id: 2) { scopeIndustries { id } items { id department { code } } } }');
    const itemIds = task.items
      .filter((i: { department: { code: string } }) => i.department.code === 'commerce')
      .map((i: { id: string }) => i.id);
    const { createPlan: plan } = await staff.ok('mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }', {
      input: { year: 2027, name: '2027年度问题企业复查计划' },
    });
    const CREATE =
      'mutation($plan: ID!, $input: CreateTaskInput!) { createTask(planId: $plan, input: $input) { id drawType problemYear } }';
    const input = {
      name: '对2026年发现问题的报废机动车回收企业复查',
      itemIds,
      scopeIndustryIds: task.scopeIndustries.map((i: { id: string }) => i.id),
      ratio: { kind: 'PERCENT', percent: 100 },
      problemYear: 2026,
    };
    const late = await staff.query(CREATE, { plan: plan.id, input: { ...input, problemYear: 2027 } });
    expect(late.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.problemYear' });
    const undirected = await staff.query(CREATE, { plan: plan.id, input: { ...input, drawType: 'UNDIRECTED' } });
    expect(undirected.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.problemYear' });
    const { createTask } = await staff.ok(CREATE, { plan: plan.id, input });
    expect(createTask).toMatchObject({ drawType: 'DIRECTED', problemYear: 2026 });
    await (await hub.as('commerce.head')).ok('mutation($id: ID!) { approvePlan(id: $id) { status } }', { id: plan.id });

    const { openDraw } = await staff.ok('mutation($t: [ID!]!) { openDraw(taskIds: $t) { id } }', { t: [createTask.id] });
    await hub.witness(openDraw.id);
    const { revealDraw } = await staff.ok('mutation($id: ID!) { revealDraw(drawId: $id) { inspections { enterprise { uscc } } } }', {
      id: openDraw.id,
    });
    const db = await superuser(hub.databaseUrl);
    const problemFirm = (
      await db.query(`select e.uscc from inspection i join enterprise e on e.id = i.enterprise_id where i.id = $1`, [visits[1].id])
    ).rows[0].uscc;
    await db.end();
    // V2 is the only firm of those industries with a problem found in a finalised 2026 visit.
    expect(revealDraw.inspections.map((i: { enterprise: { uscc: string } }) => i.enterprise.uscc)).toEqual([problemFirm]);
    const { publicDrawRecord } = await hub.anonymous.ok('query($id: ID!) { publicDrawRecord(id: $id) }', { id: openDraw.id });
    expect(publicDrawRecord.tasks[0]).toMatchObject({ problemYear: 2026, selected: [{ uscc: problemFirm }] });
    const { drawRecord } = await staff.ok('query($id: ID!) { drawRecord(id: $id) }', { id: openDraw.id });
    expect(drawRecord.tasks[0].problemYear).toBe(2026);
  });
});
