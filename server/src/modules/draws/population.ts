import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../core/sql.js';
import { BadInputError } from '../../core/errors.js';
import { RatioKind } from '../plans/plan.enums.js';
import type { Task } from '../plans/task.entity.js';
import type { RiskClass } from '../registry/registry.enums.js';
import { Department, DepartmentLevel } from '../departments/department.entity.js';
import type { PopulationRow, RatioSpec } from './selection.js';
import type { CommittedOfficer, VisitRules } from './visit-rules.js';

/** A firm a draw may select is still in business (SQL over `enterprise e`). */
const DRAWABLE = `e.status in ('OPERATING', 'SUSPENDED')`;

/** The firm was inspected in the year (first parameter) for one of the items (second, int[]) — SQL over `enterprise e`. */
const INSPECTED_FOR_ITEMS = `exists (select 1 from inspection i join inspection_check_item ic on ic.inspection_id = i.id
                                   where i.enterprise_id = e.id and i.year = ? and ic.check_item_id = any(?::int[]))`;

/** A problem was found at the firm (SQL over `enterprise e`) in a finalised visit of the year (parameter): 结果运用. */
const PROBLEM_FOUND_IN = `exists (select 1 from inspection i join finding f on f.inspection_id = i.id
                                  where i.enterprise_id = e.id and i.year = ? and i.status = 'FINALISED'
                                    and f.results && array['PROBLEM_PENDING', 'PROBLEM_CORRECTED'])`;

/**
 * A task's eligible population: firms in its industries and regions that are still operating,
 * less those already inspected this year for one of the task's items; marked when last year's
 * draws inspected them for one of those items (they go to the end of the order). A directed task
 * with a problem year (结果运用) keeps only the firms with a problem found in that year's visits.
 */
export async function taskPopulation(em: EntityManager, task: Task, year: number): Promise<PopulationRow[]> {
  const industries = task.scopeIndustries.getItems().map((i) => i.id);
  const regions = task.scopeRegions.getItems().map((r) => r.id);
  const items = task.items.getItems().map((i) => i.id);
  if (industries.length === 0) {
    throw new BadInputError('taskIds', `任务 ${task.seq}“${task.name}”未设定抽查对象的行业范围，无法确定抽取名录`);
  }
  const rows = await em.getConnection().execute<{ uscc: string; risk_class: RiskClass; drawn_last_year: boolean; region_id: number }[]>(
    `select e.uscc, e.risk_class, ${INSPECTED_FOR_ITEMS} as drawn_last_year, e.region_id
       from enterprise e
      where ${DRAWABLE}
        and e.industry_ids && ?::int[]
        and (cardinality(?::int[]) = 0 or e.region_id = any(?::int[]))
        and not ${INSPECTED_FOR_ITEMS}
        ${task.problemYear ? `and ${PROBLEM_FOUND_IN}` : ''}
      order by e.uscc`,
    [
      year - 1,
      pgArray(items),
      pgArray(industries),
      pgArray(regions),
      pgArray(regions),
      year,
      pgArray(items),
      ...(task.problemYear ? [task.problemYear] : []),
    ],
    'all',
    em.getTransactionContext(),
  );
  return rows.map((r): PopulationRow => [r.uscc, r.risk_class, r.drawn_last_year ? 1 : 0, r.region_id]);
}

/**
 * The officer pool a draw commits to at its opening: every officer of the registry with status,
 * certificate validity, specialties, declared conflicts (by USCC) and last year's visits
 * ("USCC:item") — the reveal decides eligibility from exactly this (visit-rules.ts).
 */
export async function officerPool(em: EntityManager, year: number): Promise<CommittedOfficer[]> {
  const rows = await em.getConnection().execute<
    {
      id: number;
      name: string;
      certificate_no: string;
      department_id: number;
      status: string;
      valid_until: string | null;
      specialties: string[];
      conflicts: string[];
      last_year: string[];
    }[]
  >(
    `select o.id, o.name, o.certificate_no, o.department_id, o.status, to_char(o.certificate_valid_until, 'YYYY-MM-DD') as valid_until,
            o.specialties,
            array(select e.uscc from officer_conflict c join enterprise e on e.id = c.enterprise_id where c.officer_id = o.id order by 1) as conflicts,
            array(select distinct e.uscc || ':' || ic.check_item_id from inspection_officer io
                    join inspection i on i.id = io.inspection_id join enterprise e on e.id = i.enterprise_id
                    join inspection_check_item ic on ic.inspection_id = i.id
                   where io.officer_id = o.id and i.year = ? order by 1) as last_year
       from officer o order by o.certificate_no`,
    [year - 1],
    'all',
    em.getTransactionContext(),
  );
  return rows.map((o) => ({
    id: o.id,
    name: o.name,
    certificateNo: o.certificate_no,
    departmentId: o.department_id,
    status: o.status,
    certificateValidUntil: o.valid_until,
    specialties: [...o.specialties].sort(),
    conflicts: o.conflicts,
    inspectedLastYear: o.last_year,
  }));
}

/** The visit rules a draw commits to: every department, and each task's lead, partners, modes and items. */
export async function visitRules(em: EntityManager, tasks: Task[]): Promise<VisitRules> {
  const departments = await em.findAll(Department, { orderBy: { id: 'asc' } });
  return {
    departments: departments.map((d) => ({
      id: d.id,
      name: d.name,
      level: d.level === DepartmentLevel.COUNTY ? 'COUNTY' : 'CITY',
      parentId: d.parent?.id ?? null,
      regionId: d.region.id,
    })),
    tasks: tasks.map((t) => ({
      taskId: t.id,
      leadDepartmentId: t.leadDepartment.id,
      partnerDepartmentIds: t.partnerDepartments
        .getItems()
        .map((d) => d.id)
        .sort((a, b) => a - b),
      modes: [...t.modes].sort(),
      items: t.items
        .getItems()
        .map((i) => ({ id: i.id, departmentId: i.department.id, requiredSpecialty: i.requiredSpecialty ?? null }))
        .sort((a, b) => a.id - b.id),
    })),
  };
}

/**
 * The first of the selected firms that is no longer drawable for the task — deregistered, or
 * inspected this year for one of its items since the population was fixed — by the same rules
 * as the population itself; null when all still are.
 */
export async function firstNoLongerDrawable(
  em: EntityManager,
  task: Task,
  year: number,
  usccs: string[],
): Promise<{ uscc: string; name: string } | null> {
  if (usccs.length === 0) return null;
  const [gone] = await em
    .getConnection()
    .execute<{ uscc: string; name: string }[]>(
      `select e.uscc, e.name from enterprise e where e.uscc = any(?::text[]) and (not ${DRAWABLE} or ${INSPECTED_FOR_ITEMS}) limit 1`,
      [pgArray(usccs), year, pgArray(task.items.getItems().map((i) => i.id))],
      'all',
      em.getTransactionContext(),
    );
  return gone ?? null;
}

export function ratioSpecOf(task: Task): RatioSpec {
  const { ratio } = task;
  if (ratio.kind === RatioKind.PERCENT && ratio.percent != null) return { kind: 'PERCENT', percent: ratio.percent };
  if (ratio.kind === RatioKind.COUNT && ratio.count != null) return { kind: 'COUNT', count: ratio.count };
  if (ratio.kind === RatioKind.PER_RISK_CLASS && ratio.perRiskClass) return { kind: 'PER_RISK_CLASS', percents: ratio.perRiskClass };
  throw new BadInputError('taskIds', `任务 ${task.seq}“${task.name}”的抽查比例“${ratio.text}”不可计算，请先在任务中填写比例或户数`);
}

/** A task's population counted by region and risk class ("region|risk" → firms): kept instead of the rows. */
export function populationCounts(rows: PopulationRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [, risk, , region] of rows) counts.set(`${region}|${risk}`, (counts.get(`${region}|${risk}`) ?? 0) + 1);
  return counts;
}

/**
 * Keeps a task's population counts in `stat_population`, in the opening's transaction: the
 * statistics' 名录户数 (firms in scope) — docs/statistics.md.
 */
export async function savePopulationCounts(
  em: EntityManager,
  draw: { id: string; year: number; departmentIds: number[] },
  taskId: number,
  counts: Map<string, number>,
): Promise<void> {
  if (counts.size === 0) return;
  const keys = [...counts.keys()].map((k) => k.split('|'));
  await em.getConnection().execute(
    `insert into stat_population (draw_id, task_id, year, department_ids, region_id, risk_class, firms)
     select ?, ?, ?, ?::int[], u.region, u.risk, u.firms from unnest(?::int[], ?::text[], ?::int[]) as u(region, risk, firms)`,
    [
      draw.id,
      taskId,
      draw.year,
      pgArray(draw.departmentIds),
      pgArray(keys.map((k) => Number(k[0]))),
      pgArray(keys.map((k) => k[1])),
      pgArray([...counts.values()]),
    ],
    'run',
    em.getTransactionContext(),
  );
}
