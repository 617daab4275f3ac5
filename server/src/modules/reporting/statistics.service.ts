// Statistics over the visits a reader may see (docs/statistics.md), read from the rollups the
// database keeps (Migration20261202160000: stat_fact → stat_summary / stat_cell, stat_overdue), folded before every read.
import type { EntityManager } from '@mikro-orm/postgresql';
import { chinaDate } from '../../core/dates.js';
import type { Viewer } from '../../core/viewer.js';
import { RESULT_LABELS, ResultCategory } from '../inspections/finding.enums.js';
import { RISK_CLASS_LABELS, RiskClass } from '../registry/registry.enums.js';
import {
  type StatisticsFilter,
  StatisticsGroup,
  type StatisticsKey,
  type StatisticsResult,
  type StatisticsRow,
} from './statistics.types.js';
import { checkFilter, readerDepartments } from './statistics-scope.js';
import { type Dimension, RESULT_COLUMNS, statisticsSql } from './statistics-sql.js';

const RISK_ORDER = Object.values(RiskClass);

/** Brings the rollups up to the last committed change (the visits marked since the last read) and the overdue counts to today. */
export async function foldStatistics(em: EntityManager, today: string): Promise<number> {
  const [row] = await em
    .getConnection()
    .execute<{ folded: number }[]>('select folded from stat_fold() folded, stat_overdue_refresh(?::date)', [today]);
  return row.folded;
}

type Raw = Record<string, number | string | null>;

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
