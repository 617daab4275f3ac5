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
import { MEASURES } from './measures.js';
import { pgArray } from '../../core/sql.js';

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
  const officers = await em
    .getConnection()
    .execute<{ department_id: number; n: number }[]>(
      `select department_id, count(*)::int as n from officer where status = 'ACTIVE' group by 1`,
    );
  const officersOf = new Map(officers.map((o) => [o.department_id, o.n]));
  const [grouped, [total]] = await Promise.all([
    table(em, filter, scope, groupBy, today, officersOf),
    table(em, filter, scope, [], today, officersOf),
  ]);
  return { groupBy, rows: grouped, total: total ?? emptyRow(), asOf: today };
}

async function table(
  em: EntityManager,
  filter: StatisticsFilter,
  scope: number[],
  groupBy: StatisticsGroup[],
  today: string,
  /** Active officers per department (the workload's denominator). */
  officersOf: Map<number, number>,
): Promise<StatisticsRow[]> {
  const conn = em.getConnection();
  const { dims, byDepartment, cellSql, overdueSql, populationSql } = statisticsSql(filter, scope, groupBy, today);
  const [cells, overdue, population] = await Promise.all([
    conn.execute<Raw[]>(cellSql),
    conn.execute<Raw[]>(overdueSql),
    populationSql ? conn.execute<Raw[]>(populationSql) : Promise.resolve(null),
  ]);
  const keyOf = (r: Raw) => dims.map((d) => String(r[d.column])).join('|');
  const overdueBy = new Map(overdue.map((r) => [keyOf(r), r]));
  const populationBy = population ? new Map(population.map((r) => [keyOf(r), Number(r.firms)])) : null;
  // Groups with a population but no visit yet (a task drawn, nobody gone) are rows too.
  const cellBy = new Map<string, Raw>(cells.map((r) => [keyOf(r), r]));
  const keys = new Map(cellBy);
  for (const r of population ?? []) if (!keys.has(keyOf(r))) keys.set(keyOf(r), r);
  const names = await namesFor(em, dims, [...keys.values()]);

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
    const key = keyFor(dims, raw, names);
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

/** A row with every measure null (docs/statistics.md: a measure that does not apply). */
function emptyRow(): StatisticsRow {
  return {
    key: {},
    label: '合计',
    resultCounts: [],
    ...Object.fromEntries(MEASURES.map((m) => [m.key, null])),
  } as unknown as StatisticsRow;
}

/** How each key column becomes part of a row's key, its label and its order. */
interface KeyPart {
  /** The table naming an id column's values. */
  names?: 'department' | 'task' | 'region' | 'industry';
  set: (key: StatisticsKey, value: Raw[string], name: string | undefined) => void;
  label: (key: StatisticsKey) => string | undefined;
  order: (key: StatisticsKey) => number | string;
}

const KEY_PARTS: Record<string, KeyPart> = {
  department_id: {
    names: 'department',
    set: (k, v, name) => Object.assign(k, { departmentId: Number(v), departmentName: name }),
    label: (k) => k.departmentName,
    order: (k) => k.departmentId!,
  },
  task_id: {
    names: 'task',
    set: (k, v, name) => Object.assign(k, { taskId: Number(v), taskName: name }),
    label: (k) => k.taskName,
    order: (k) => k.taskId!,
  },
  region_id: {
    names: 'region',
    set: (k, v, name) => Object.assign(k, { regionId: Number(v), regionName: name }),
    label: (k) => k.regionName,
    order: (k) => k.regionId!,
  },
  industry_id: {
    names: 'industry',
    set: (k, v, name) => Object.assign(k, { industryId: Number(v), industryName: name ?? '未填行业' }),
    label: (k) => k.industryName,
    order: (k) => k.industryId!,
  },
  risk_class: {
    set: (k, v) => (k.riskClass = v as RiskClass),
    label: (k) => RISK_CLASS_LABELS[k.riskClass!],
    order: (k) => RISK_ORDER.indexOf(k.riskClass!),
  },
  month: { set: (k, v) => (k.month = String(v)), label: (k) => k.month, order: (k) => k.month! },
};

/** The names of the id columns' values in these rows, by column. */
async function namesFor(em: EntityManager, dims: Dimension[], rows: Raw[]): Promise<Map<string, Map<number, string>>> {
  const conn = em.getConnection();
  const named = dims.filter((d) => KEY_PARTS[d.column].names);
  const found = await Promise.all(
    named.map((d) =>
      conn.execute<{ id: number; name: string }[]>(`select id, name from ${KEY_PARTS[d.column].names} where id = any(?::int[])`, [
        pgArray([...new Set(rows.map((r) => Number(r[d.column])))]),
      ]),
    ),
  );
  return new Map(named.map((d, i) => [d.column, new Map(found[i].map((f) => [f.id, f.name]))]));
}

function keyFor(dims: Dimension[], raw: Raw, names: Map<string, Map<number, string>>): StatisticsKey {
  const key: StatisticsKey = {};
  for (const d of dims) KEY_PARTS[d.column].set(key, raw[d.column], names.get(d.column)?.get(Number(raw[d.column])));
  return key;
}

function labelOf(dims: Dimension[], key: StatisticsKey): string {
  return dims.length === 0 ? '合计' : dims.map((d) => KEY_PARTS[d.column].label(key)).join(' / ');
}

function compareKeys(dims: Dimension[], a: StatisticsKey, b: StatisticsKey): number {
  for (const d of dims) {
    const [x, y] = [KEY_PARTS[d.column].order(a), KEY_PARTS[d.column].order(b)];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
