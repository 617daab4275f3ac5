// Statistics over the visits a reader may see (docs/statistics.md), read from the rollup the
// database keeps (Migration20261202160000: stat_fact → stat_cell, folded before every read).
import type { EntityManager } from '@mikro-orm/postgresql';
import { chinaDate } from '../../core/dates.js';
import { BadInputError, ForbiddenError } from '../../core/errors.js';
import { Role } from '../../core/roles.js';
import { hasRole, type Viewer } from '../../core/viewer.js';
import { RESULT_LABELS, ResultCategory } from '../inspections/finding.enums.js';
import { RISK_CLASS_LABELS, RiskClass } from '../registry/registry.enums.js';
import {
  type StatisticsFilter,
  StatisticsGroup,
  type StatisticsKey,
  type StatisticsResult,
  type StatisticsRow,
} from './statistics.types.js';

const RESULT_COLUMNS: Record<ResultCategory, string> = {
  NO_PROBLEM: 'r_no_problem',
  PROBLEM_PENDING: 'r_problem_pending',
  PROBLEM_CORRECTED: 'r_problem_corrected',
  ACTIVITY_NOT_FOUND: 'r_activity_not_found',
  CLOSED_OR_LIQUIDATING: 'r_closed_or_liquidating',
  NON_COOPERATION: 'r_non_cooperation',
};
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const RISK_ORDER = Object.values(RiskClass);

/**
 * The departments whose visits a reader's statistics cover (design §6): a department's staff,
 * head, officers and its reporting tokens read the visits it takes part in; OVERSIGHT (the 双随机
 * office) reads those of every department of its region and the regions below it.
 */
export async function readerDepartments(em: EntityManager, viewer: Viewer): Promise<number[]> {
  if (viewer.apiTokenId != null) return [viewer.departmentId];
  if (hasRole(viewer, Role.OVERSIGHT)) {
    const rows = await em.getConnection().execute<{ id: number }[]>(
      `with recursive under(id) as (select region_id from department where id = ?
                                     union select r.id from region r join under u on r.parent_id = u.id)
       select d.id from department d join under u on u.id = d.region_id order by d.id`,
      [viewer.departmentId],
    );
    return rows.map((r) => r.id);
  }
  if (hasRole(viewer, Role.STAFF, Role.HEAD, Role.OFFICER)) return [viewer.departmentId];
  throw new ForbiddenError('统计仅对业务人员、部门负责人、执法人员、双随机工作机构和报表令牌开放');
}

/** The departments and tasks a filter may name: refused by name when unknown (BAD_USER_INPUT) or outside the scope (FORBIDDEN). */
async function checkFilter(em: EntityManager, viewer: Viewer, scope: number[], filter: StatisticsFilter, groupBy: StatisticsGroup[]) {
  const conn = em.getConnection();
  const seen = new Set<StatisticsGroup>();
  for (const g of groupBy) {
    if (seen.has(g)) throw new BadInputError('groupBy', `分组维度重复：${g}`);
    seen.add(g);
  }
  if (!Number.isInteger(filter.year) || filter.year < 2000 || filter.year > 2100)
    throw new BadInputError('year', '年度应在 2000–2100 之间');
  for (const field of ['from', 'to'] as const) {
    const value = filter[field];
    if (value != null && !MONTH.test(value)) throw new BadInputError(field, `月份格式应为 YYYY-MM：${value}`);
  }
  if (filter.from && filter.to && filter.from > filter.to)
    throw new BadInputError('from', `起始月份 ${filter.from} 晚于截止月份 ${filter.to}`);
  const unknown = async (table: string, field: string, what: string, ids?: number[]) => {
    if (!ids?.length) return;
    const found = await conn.execute<{ id: number }[]>(`select id from ${table} where id = any(?::int[])`, [`{${ids.join(',')}}`]);
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new BadInputError(field, `不存在的${what}：${missing.join('、')}`);
  };
  await unknown('department', 'departmentIds', '部门', filter.departmentIds);
  await unknown('task', 'taskIds', '抽查任务', filter.taskIds);
  await unknown('region', 'regionIds', '行政区划', filter.regionIds);
  await unknown('industry', 'industryIds', '行业', filter.industryIds);

  const scopeArray = `{${scope.join(',')}}`;
  if (!filter.departmentIds?.length && !filter.regionIds?.length && !filter.taskIds?.length) return;
  const options = await statisticsOptions(em, viewer, filter.year, scope);
  const outsideOf = (ids: number[] | undefined, allowed: Named[]) => (ids ?? []).filter((id) => !allowed.some((a) => a.id === id));
  const departmentsOutside = outsideOf(filter.departmentIds, options.departments);
  if (departmentsOutside.length) throw new ForbiddenError(`部门不在您的统计范围内：${await names(em, 'department', departmentsOutside)}`);
  const regionsOutside = outsideOf(filter.regionIds, options.regions);
  if (regionsOutside.length) throw new ForbiddenError(`行政区划不在您的统计范围内：${await names(em, 'region', regionsOutside)}`);
  if (filter.taskIds?.length) {
    const inScope = await conn.execute<{ id: number }[]>(
      `select t.id from task t where t.id = any(?::int[]) and (t.lead_department_id = any(?::int[])
          or exists (select 1 from task_partner_department tp where tp.task_id = t.id and tp.department_id = any(?::int[])))`,
      [`{${filter.taskIds.join(',')}}`, scopeArray, scopeArray],
    );
    const outside = filter.taskIds.filter((id) => !inScope.some((t) => t.id === id));
    if (outside.length) throw new ForbiddenError(`抽查任务不在您的统计范围内：${await names(em, 'task', outside)}`);
  }
}

export interface Named {
  id: number;
  name: string;
}

export interface StatisticsOptions {
  departments: Named[];
  tasks: Named[];
  regions: Named[];
  industries: Named[];
}

/**
 * What a reader may filter by for a year: OVERSIGHT its region's departments and regions; a
 * department itself and the departments it shares tasks with that year, and every region (its
 * firms may be anywhere); the year's tasks it takes part in; every industry.
 */
export async function statisticsOptions(em: EntityManager, viewer: Viewer, year: number, scope?: number[]): Promise<StatisticsOptions> {
  scope ??= await readerDepartments(em, viewer);
  const conn = em.getConnection();
  const scopeArray = `{${scope.join(',')}}`;
  const takingPart = `(t.lead_department_id = any(?::int[]) or exists (select 1 from task_partner_department tp where tp.task_id = t.id and tp.department_id = any(?::int[])))`;
  const oversight = viewer.apiTokenId == null && hasRole(viewer, Role.OVERSIGHT);
  const [departments, tasks, regions, industries] = await Promise.all([
    oversight
      ? conn.execute<Named[]>(`select id, name from department where id = any(?::int[]) order by id`, [scopeArray])
      : conn.execute<Named[]>(
          `select d.id, d.name from department d where d.id = any(?::int[]) or d.id in (
             select x.id from task t join plan p on p.id = t.plan_id,
                    unnest(array[t.lead_department_id] || array(select department_id from task_partner_department where task_id = t.id)) x(id)
              where p.year = ? and ${takingPart}) order by d.id`,
          [scopeArray, year, scopeArray, scopeArray],
        ),
    conn.execute<Named[]>(
      `select t.id, t.name from task t join plan p on p.id = t.plan_id where p.year = ? and ${takingPart} order by t.id`,
      [year, scopeArray, scopeArray],
    ),
    oversight
      ? conn.execute<Named[]>(
          `with recursive under(id) as (select region_id from department where id = ?
                                         union select r.id from region r join under u on r.parent_id = u.id)
           select r.id, r.name from region r join under u on u.id = r.id order by r.id`,
          [viewer.departmentId],
        )
      : conn.execute<Named[]>(`select id, name from region order by id`),
    conn.execute<Named[]>(`select id, name from industry order by id`),
  ]);
  return { departments, tasks, regions, industries };
}

async function names(em: EntityManager, table: string, ids: number[]): Promise<string> {
  const rows = await em
    .getConnection()
    .execute<{ name: string }[]>(`select name from ${table} where id = any(?::int[]) order by id`, [`{${ids.join(',')}}`]);
  return rows.map((r) => r.name).join('、');
}

/** Brings the rollups up to the last committed change (the visits marked since the last read) and the overdue counts to today. */
export async function foldStatistics(em: EntityManager, today: string): Promise<number> {
  const [row] = await em
    .getConnection()
    .execute<{ folded: number }[]>('select folded from stat_fold() folded, stat_overdue_refresh(?::date)', [today]);
  return row.folded;
}

// Values below are validated (ints from GraphQL Int, enum members, YYYY-MM), so they are written into the SQL as literals.
const intList = (ids: readonly number[]) => `'{${ids.map((id) => Math.trunc(id)).join(',')}}'::int[]`;
const textList = (values: readonly string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`;

interface Dimension {
  group: StatisticsGroup;
  column: string;
  /** Over stat_cell / stat_fact (alias c). */
  fact: string;
  /** Over stat_summary (alias c), whose `value` holds the dimension's value as text. */
  summary: string;
  /** Over stat_population (alias p), or null when the population is not split that way. */
  population: string | null;
}

const DIMENSIONS: Record<Exclude<StatisticsGroup, 'RESULT_CATEGORY'>, Omit<Dimension, 'group'>> = {
  DEPARTMENT: { column: 'department_id', fact: 'c.department_id', summary: 'c.department_id', population: 'pd.department_id' },
  TASK: { column: 'task_id', fact: 'tk.task_id', summary: 'c.value::int', population: 'p.task_id' },
  REGION: { column: 'region_id', fact: 'c.region_id', summary: 'c.value::int', population: 'p.region_id' },
  INDUSTRY: { column: 'industry_id', fact: 'c.industry_id', summary: 'c.value::int', population: null },
  RISK_CLASS: { column: 'risk_class', fact: 'c.risk_class', summary: 'c.value', population: 'p.risk_class' },
  MONTH: { column: 'month', fact: `to_char(c.month, 'YYYY-MM')`, summary: 'c.value', population: null },
};

function dimensionsOf(groupBy: StatisticsGroup[]): Dimension[] {
  return groupBy.filter((g) => g !== StatisticsGroup.RESULT_CATEGORY).map((g) => ({ group: g, ...DIMENSIONS[g] }));
}

/**
 * The dashboard's shape — at most one dimension besides the department, filtered by year and
 * departments only — is read from stat_summary (a few thousand rows); anything else from stat_cell.
 */
function summaryDimension(dims: Dimension[], filter: StatisticsFilter): string | null {
  const others = dims.filter((d) => d.group !== StatisticsGroup.DEPARTMENT);
  const narrowed =
    filter.taskIds?.length ||
    filter.regionIds?.length ||
    filter.industryIds?.length ||
    filter.riskClasses?.length ||
    filter.from ||
    filter.to;
  if (narrowed || others.length > 1) return null;
  return others[0]?.group ?? 'TOTAL';
}

function factWhere(filter: StatisticsFilter, scope: number[]): string {
  const where = [`c.year = ${Math.trunc(filter.year)}`, `c.visit_department_ids && ${intList(scope)}`];
  if (filter.departmentIds?.length) where.push(`c.visit_department_ids && ${intList(filter.departmentIds)}`);
  if (filter.taskIds?.length) where.push(`c.task_ids && ${intList(filter.taskIds)}`);
  if (filter.regionIds?.length) where.push(`c.region_id = any(${intList(filter.regionIds)})`);
  if (filter.industryIds?.length) where.push(`c.industry_id = any(${intList(filter.industryIds)})`);
  if (filter.riskClasses?.length) where.push(`c.risk_class = any(${textList(filter.riskClasses)})`);
  if (filter.from) where.push(`c.month >= date '${filter.from}-01'`);
  if (filter.to) where.push(`c.month <= date '${filter.to}-01'`);
  return where.join(' and ');
}

type Raw = Record<string, number | string | null>;

/** The SQL of one statistics table; exported for the benchmark, which times exactly what the API runs. */
export function statisticsSql(filter: StatisticsFilter, scope: number[], groupBy: StatisticsGroup[], today: string) {
  const dims = dimensionsOf(groupBy);
  const byDepartment = groupBy.includes(StatisticsGroup.DEPARTMENT);
  // Visit-level measures count each visit once (its primary row) unless the rows are split by department.
  const visitRows = byDepartment ? 'true' : 'c.primary_row';
  const summary = summaryDimension(dims, filter);
  const select = dims.map((d) => `${d.fact} as ${d.column}`);
  const groupCols = dims.map((_, i) => i + 1).join(', ');
  const groupClause = dims.length ? `group by ${groupCols} order by ${groupCols}` : '';
  const hasTask = dims.some((d) => d.column === 'task_id');
  const lateral = hasTask ? 'cross join lateral unnest(c.task_ids) tk(task_id)' : '';
  const taskCondition = hasTask && filter.taskIds?.length ? ` and tk.task_id = any(${intList(filter.taskIds)})` : '';
  const where = factWhere(filter, scope) + taskCondition;
  const sum = (column: string, visitLevel = false) =>
    `coalesce(sum(c.${column})${visitLevel ? ` filter (where ${visitRows})` : ''}, 0)::int`;
  const summaryScope = [
    `c.year = ${Math.trunc(filter.year)}`,
    `c.visit_department_ids && ${intList(scope)}`,
    ...(filter.departmentIds?.length ? [`c.visit_department_ids && ${intList(filter.departmentIds)}`] : []),
  ].join(' and ');
  const measures = [
    `${sum('visits', true)} as visits`,
    `${sum('visits')} as department_visits`,
    `${sum('firms_drawn', true)} as firms_drawn`,
    `${sum('items')} as items`,
    `${sum('findings')} as findings`,
    ...Object.values(RESULT_COLUMNS).map((col) => `${sum(col)} as ${col}`),
    `${byDepartment ? sum('problem') : sum('visit_problem', true)} as problem`,
    `${sum('finalised', true)} as finalised`,
    `${sum('corrections')} as corrections`,
    `${sum('corrections_done')} as corrections_done`,
    `${sum('referrals')} as referrals`,
    `${sum('referrals_accepted')} as referrals_accepted`,
    `${sum('referrals_closed')} as referrals_closed`,
    `${sum('published', true)} as published`,
    `${sum('published_on_time', true)} as published_on_time`,
    `${sum('team')} as team`,
    `${sum('joint')} as joint`,
    `array_agg(distinct c.department_id) as departments`,
  ];
  const cellSql =
    summary === null
      ? `select ${[...select, ...measures].join(', ')} from stat_cell c ${lateral} where ${where} ${groupClause}`
      : `select ${[...dims.map((d) => `${d.summary} as ${d.column}`), ...measures].join(', ')} from stat_summary c
          where c.dim = '${summary}' and ${summaryScope} ${groupClause}`;

  const overdueMeasures = (count: string) => [
    `coalesce(${count} filter (where c.kind = 'CORRECTION'), 0)::int as corrections_overdue`,
    `coalesce(${count} filter (where c.kind = 'REFERRAL'), 0)::int as referrals_overdue`,
  ];
  // Overdue as of today: the dashboard's shape from stat_overdue (kept for the day), anything else from the open items themselves.
  const overdueSql =
    summary === null
      ? `select ${[...select, ...overdueMeasures('count(*)')].join(', ')} from stat_open_due c ${lateral}
          where c.due_on < date '${today}' and ${where} ${groupClause}`
      : `select ${[...dims.map((d) => `${d.summary} as ${d.column}`), ...overdueMeasures('sum(c.n)')].join(', ')} from stat_overdue c
          where c.dim = '${summary}' and ${summaryScope} ${groupClause}`;

  // The population is counted by task, region and risk class at each draw's opening: not by industry or month.
  const populationApplies =
    dims.every((d) => d.population !== null) &&
    !filter.industryIds?.length &&
    !filter.from &&
    !filter.to &&
    !groupBy.includes(StatisticsGroup.RESULT_CATEGORY);
  let populationSql: string | null = null;
  if (populationApplies) {
    const pWhere = [`p.year = ${Math.trunc(filter.year)}`, `p.department_ids && ${intList(scope)}`];
    if (filter.departmentIds?.length) pWhere.push(`p.department_ids && ${intList(filter.departmentIds)}`);
    if (filter.taskIds?.length) pWhere.push(`p.task_id = any(${intList(filter.taskIds)})`);
    if (filter.regionIds?.length) pWhere.push(`p.region_id = any(${intList(filter.regionIds)})`);
    if (filter.riskClasses?.length) pWhere.push(`p.risk_class = any(${textList(filter.riskClasses)})`);
    populationSql = `select ${[...dims.map((d) => `${d.population} as ${d.column}`), 'coalesce(sum(p.firms), 0)::int as firms'].join(', ')}
      from stat_population p join draw d on d.id = p.draw_id and d.cancelled_at is null
      ${byDepartment ? 'cross join lateral unnest(p.department_ids) pd(department_id)' : ''}
     where ${pWhere.join(' and ')} ${groupClause}`;
  }
  return { dims, byDepartment, cellSql, overdueSql, populationSql };
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10000) / 10000 : null);
const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) / 100 : null);

/**
 * `statistics(filter, groupBy)`: one row per group and the total, for the reader's scope. A
 * filter naming something outside the scope is refused, never narrowed silently.
 */
export async function statistics(
  em: EntityManager,
  viewer: Viewer,
  filter: StatisticsFilter,
  groupBy: StatisticsGroup[],
): Promise<StatisticsResult> {
  const scope = await readerDepartments(em, viewer);
  await checkFilter(em, viewer, scope, filter, groupBy);
  const today = chinaDate();
  await foldStatistics(em, today);
  const [grouped, [total]] = await Promise.all([table(em, filter, scope, groupBy, today), table(em, filter, scope, [], today)]);
  return { groupBy, rows: grouped, total: total ?? emptyRow(), asOf: today };
}

async function table(
  em: EntityManager,
  filter: StatisticsFilter,
  scope: number[],
  groupBy: StatisticsGroup[],
  today: string,
): Promise<StatisticsRow[]> {
  const conn = em.getConnection();
  const { dims, byDepartment, cellSql, overdueSql, populationSql } = statisticsSql(filter, scope, groupBy, today);
  const [cells, overdue, population, officers] = await Promise.all([
    conn.execute<Raw[]>(cellSql),
    conn.execute<Raw[]>(overdueSql),
    populationSql ? conn.execute<Raw[]>(populationSql) : Promise.resolve(null),
    conn.execute<{ department_id: number; n: number }[]>(
      `select department_id, count(*)::int as n from officer where status = 'ACTIVE' group by 1`,
    ),
  ]);
  const keyOf = (r: Raw) => dims.map((d) => String(r[d.column])).join('|');
  const overdueBy = new Map(overdue.map((r) => [keyOf(r), r]));
  const populationBy = population ? new Map(population.map((r) => [keyOf(r), Number(r.firms)])) : null;
  const officersOf = new Map(officers.map((o) => [o.department_id, o.n]));
  // Groups with a population but no visit yet (a task drawn, nobody gone) are rows too.
  const cellBy = new Map<string, Raw>(cells.map((r) => [keyOf(r), r]));
  const keys = new Map(cellBy);
  for (const r of population ?? []) if (!keys.has(keyOf(r))) keys.set(keyOf(r), r);
  const labels = await labelsFor(em, dims, [...keys.values()]);

  let rows: StatisticsRow[] = [...keys.entries()].map(([k, raw]) => {
    const c = cellBy.get(k);
    const n = (col: string) => Number(c?.[col] ?? 0);
    const visits = n('visits');
    const departmentVisits = n('department_visits');
    const finalised = n('finalised');
    const published = n('published');
    const team = n('team');
    const departments = (c?.departments as unknown as number[] | undefined) ?? [];
    const pool = departments.reduce((s, d) => s + (officersOf.get(d) ?? 0), 0);
    const key = keyFor(dims, raw, labels);
    return {
      key,
      label: labelOf(dims, key),
      firmsInScope: populationBy ? (populationBy.get(k) ?? 0) : null,
      firmsDrawn: n('firms_drawn'),
      visits,
      departmentVisits,
      itemsPlanned: n('items'),
      itemsChecked: n('findings'),
      visitsFinalised: finalised,
      completionRate: rate(finalised, visits),
      visitsWithProblem: n('problem'),
      problemRate: rate(n('problem'), finalised),
      resultCounts: Object.values(ResultCategory).map((category) => ({ category, items: n(RESULT_COLUMNS[category]) })),
      correctionsOrdered: n('corrections'),
      correctionsDone: n('corrections_done'),
      correctionsOverdue: Number(overdueBy.get(k)?.corrections_overdue ?? 0),
      referralsOpened: n('referrals'),
      referralsAccepted: n('referrals_accepted'),
      referralsClosed: n('referrals_closed'),
      referralsOverdue: Number(overdueBy.get(k)?.referrals_overdue ?? 0),
      published,
      publishedOnTime: n('published_on_time'),
      publicationRate: rate(published, finalised),
      onTimeRate: rate(n('published_on_time'), published),
      itemsPerVisit: ratio(n('items'), visits),
      visitsSaved: byDepartment ? n('joint') : departmentVisits - visits,
      teamPlaces: team,
      officerWorkload: ratio(team, pool),
    };
  });
  rows.sort((a, b) => compareKeys(dims, a.key, b.key));
  if (groupBy.includes(StatisticsGroup.RESULT_CATEGORY)) rows = rows.flatMap(byResult);
  return rows;
}

/** A row split by result category: only the items with that result apply; the other measures are null. */
function byResult(row: StatisticsRow): StatisticsRow[] {
  return row.resultCounts
    .filter((r) => r.items > 0)
    .map((r) => {
      const key = { ...row.key, resultCategory: r.category };
      const out = emptyRow();
      const label = [row.label === '合计' ? null : row.label, RESULT_LABELS[r.category]].filter(Boolean).join(' / ');
      return { ...out, key, label, itemsChecked: r.items, resultCounts: [r] };
    });
}

function emptyRow(): StatisticsRow {
  return {
    key: {},
    label: '合计',
    firmsInScope: null,
    firmsDrawn: null,
    visits: null,
    departmentVisits: null,
    itemsPlanned: null,
    itemsChecked: null,
    visitsFinalised: null,
    completionRate: null,
    visitsWithProblem: null,
    problemRate: null,
    resultCounts: [],
    correctionsOrdered: null,
    correctionsDone: null,
    correctionsOverdue: null,
    referralsOpened: null,
    referralsAccepted: null,
    referralsClosed: null,
    referralsOverdue: null,
    published: null,
    publishedOnTime: null,
    publicationRate: null,
    onTimeRate: null,
    itemsPerVisit: null,
    visitsSaved: null,
    teamPlaces: null,
    officerWorkload: null,
  };
}

type Labels = Record<'department' | 'task' | 'region' | 'industry', Map<number, string>>;

async function labelsFor(em: EntityManager, dims: Dimension[], rows: Raw[]): Promise<Labels> {
  const conn = em.getConnection();
  const ids = (column: string) => [...new Set(rows.map((r) => Number(r[column])))];
  const lookup = async (table: string, column: string) => {
    if (!dims.some((d) => d.column === column)) return new Map<number, string>();
    const found = await conn.execute<{ id: number; name: string }[]>(`select id, name from ${table} where id = any(?::int[])`, [
      `{${ids(column).join(',')}}`,
    ]);
    return new Map(found.map((f) => [f.id, f.name]));
  };
  return {
    department: await lookup('department', 'department_id'),
    task: await lookup('task', 'task_id'),
    region: await lookup('region', 'region_id'),
    industry: await lookup('industry', 'industry_id'),
  };
}

function keyFor(dims: Dimension[], raw: Raw, labels: Labels): StatisticsKey {
  const key: StatisticsKey = {};
  for (const d of dims) {
    const v = raw[d.column];
    if (d.column === 'department_id') Object.assign(key, { departmentId: Number(v), departmentName: labels.department.get(Number(v)) });
    if (d.column === 'task_id') Object.assign(key, { taskId: Number(v), taskName: labels.task.get(Number(v)) });
    if (d.column === 'region_id') Object.assign(key, { regionId: Number(v), regionName: labels.region.get(Number(v)) });
    if (d.column === 'industry_id')
      Object.assign(key, { industryId: Number(v), industryName: labels.industry.get(Number(v)) ?? '未填行业' });
    if (d.column === 'risk_class') key.riskClass = v as RiskClass;
    if (d.column === 'month') key.month = String(v);
  }
  return key;
}

function labelOf(dims: Dimension[], key: StatisticsKey): string {
  if (dims.length === 0) return '合计';
  return dims
    .map((d) =>
      d.column === 'department_id'
        ? key.departmentName
        : d.column === 'task_id'
          ? key.taskName
          : d.column === 'region_id'
            ? key.regionName
            : d.column === 'industry_id'
              ? key.industryName
              : d.column === 'risk_class'
                ? RISK_CLASS_LABELS[key.riskClass!]
                : key.month,
    )
    .join(' / ');
}

function compareKeys(dims: Dimension[], a: StatisticsKey, b: StatisticsKey): number {
  for (const d of dims) {
    const diff =
      d.column === 'risk_class'
        ? RISK_ORDER.indexOf(a.riskClass!) - RISK_ORDER.indexOf(b.riskClass!)
        : d.column === 'month'
          ? a.month!.localeCompare(b.month!)
          : Number(valueOf(a, d.column)) - Number(valueOf(b, d.column));
    if (diff !== 0) return diff;
  }
  return 0;
}

function valueOf(key: StatisticsKey, column: string): number | undefined {
  return column === 'department_id'
    ? key.departmentId
    : column === 'task_id'
      ? key.taskId
      : column === 'region_id'
        ? key.regionId
        : key.industryId;
}
