// The SQL of a statistics table: which rollup answers it (stat_summary for the dashboard's shape,
// stat_cell for any filter), how each dimension is read, and the measures' sums (docs/statistics.md).
import { pgArray } from '../../core/sql.js';
import { ResultCategory } from '../inspections/finding.enums.js';
import { type StatisticsFilter, StatisticsGroup } from './statistics.types.js';

export const RESULT_COLUMNS: Record<ResultCategory, string> = {
  NO_PROBLEM: 'r_no_problem',
  PROBLEM_PENDING: 'r_problem_pending',
  PROBLEM_CORRECTED: 'r_problem_corrected',
  ACTIVITY_NOT_FOUND: 'r_activity_not_found',
  CLOSED_OR_LIQUIDATING: 'r_closed_or_liquidating',
  NON_COOPERATION: 'r_non_cooperation',
};

// Values below are validated (ints from GraphQL Int, enum members, YYYY-MM), so they are written into the SQL as literals.
const intList = (ids: readonly number[]) => `'${pgArray(ids.map(Math.trunc))}'::int[]`;
const textList = (values: readonly string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`;

export interface Dimension {
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
