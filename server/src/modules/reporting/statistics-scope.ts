// Who may read which statistics, and what a filter may name (design §6): the reader's departments
// and the refusals — unknown values by name (BAD_USER_INPUT), values outside the scope (FORBIDDEN).
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ForbiddenError } from '../../core/errors.js';
import { Role } from '../../core/roles.js';
import { pgArray } from '../../core/sql.js';
import { hasRole, type Viewer } from '../../core/viewer.js';
import type { StatisticsFilter, StatisticsGroup } from './statistics.types.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The regions at or below the department's (parameter: the department id), as `under(id)`. */
const REGIONS_UNDER = `with recursive under(id) as (select region_id from department where id = ?
                                          union select r.id from region r join under u on r.parent_id = u.id)`;

/** A task (alias t) led or partnered by one of the departments (the parameter twice, int[]). */
const TAKES_PART = `(t.lead_department_id = any(?::int[])
                     or exists (select 1 from task_partner_department tp where tp.task_id = t.id and tp.department_id = any(?::int[])))`;

/**
 * The departments whose visits a reader's statistics cover (design §6): a department's staff,
 * head, officers and its reporting tokens read the visits it takes part in; OVERSIGHT (the 双随机
 * office) reads those of every department of its region and the regions below it.
 */
export async function readerDepartments(em: EntityManager, viewer: Viewer): Promise<number[]> {
  if (viewer.apiTokenId != null) return [viewer.departmentId];
  if (hasRole(viewer, Role.OVERSIGHT)) {
    const rows = await em
      .getConnection()
      .execute<{ id: number }[]>(`${REGIONS_UNDER} select d.id from department d join under u on u.id = d.region_id order by d.id`, [
        viewer.departmentId,
      ]);
    return rows.map((r) => r.id);
  }
  if (hasRole(viewer, Role.STAFF, Role.HEAD, Role.OFFICER)) return [viewer.departmentId];
  throw new ForbiddenError('统计仅对业务人员、部门负责人、执法人员、双随机工作机构和报表令牌开放');
}

/** The departments and tasks a filter may name: refused by name when unknown (BAD_USER_INPUT) or outside the scope (FORBIDDEN). */
export async function checkFilter(
  em: EntityManager,
  viewer: Viewer,
  scope: number[],
  filter: StatisticsFilter,
  groupBy: StatisticsGroup[],
) {
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
    const found = await conn.execute<{ id: number }[]>(`select id from ${table} where id = any(?::int[])`, [pgArray(ids)]);
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new BadInputError(field, `不存在的${what}：${missing.join('、')}`);
  };
  await unknown('department', 'departmentIds', '部门', filter.departmentIds);
  await unknown('task', 'taskIds', '抽查任务', filter.taskIds);
  await unknown('region', 'regionIds', '行政区划', filter.regionIds);
  await unknown('industry', 'industryIds', '行业', filter.industryIds);

  const scopeArray = pgArray(scope);
  if (!filter.departmentIds?.length && !filter.regionIds?.length && !filter.taskIds?.length) return;
  const options = await statisticsOptions(em, viewer, filter.year, scope);
  const outsideOf = (ids: number[] | undefined, allowed: Named[]) => (ids ?? []).filter((id) => !allowed.some((a) => a.id === id));
  const departmentsOutside = outsideOf(filter.departmentIds, options.departments);
  if (departmentsOutside.length) throw new ForbiddenError(`部门不在您的统计范围内：${await names(em, 'department', departmentsOutside)}`);
  const regionsOutside = outsideOf(filter.regionIds, options.regions);
  if (regionsOutside.length) throw new ForbiddenError(`行政区划不在您的统计范围内：${await names(em, 'region', regionsOutside)}`);
  if (filter.taskIds?.length) {
    const inScope = await conn.execute<{ id: number }[]>(`select t.id from task t where t.id = any(?::int[]) and ${TAKES_PART}`, [
      pgArray(filter.taskIds),
      scopeArray,
      scopeArray,
    ]);
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
  const scopeArray = pgArray(scope);
  const oversight = viewer.apiTokenId == null && hasRole(viewer, Role.OVERSIGHT);
  const [departments, tasks, regions, industries] = await Promise.all([
    oversight
      ? conn.execute<Named[]>(`select id, name from department where id = any(?::int[]) order by id`, [scopeArray])
      : conn.execute<Named[]>(
          `select d.id, d.name from department d where d.id = any(?::int[]) or d.id in (
             select x.id from task t join plan p on p.id = t.plan_id,
                    unnest(array[t.lead_department_id] || array(select department_id from task_partner_department where task_id = t.id)) x(id)
              where p.year = ? and ${TAKES_PART}) order by d.id`,
          [scopeArray, year, scopeArray, scopeArray],
        ),
    conn.execute<Named[]>(
      `select t.id, t.name from task t join plan p on p.id = t.plan_id where p.year = ? and ${TAKES_PART} order by t.id`,
      [year, scopeArray, scopeArray],
    ),
    oversight
      ? conn.execute<Named[]>(`${REGIONS_UNDER} select r.id, r.name from region r join under u on u.id = r.id order by r.id`, [
          viewer.departmentId,
        ])
      : conn.execute<Named[]>(`select id, name from region order by id`),
    conn.execute<Named[]>(`select id, name from industry order by id`),
  ]);
  return { departments, tasks, regions, industries };
}

async function names(em: EntityManager, table: string, ids: number[]): Promise<string> {
  const rows = await em
    .getConnection()
    .execute<{ name: string }[]>(`select name from ${table} where id = any(?::int[]) order by id`, [pgArray(ids)]);
  return rows.map((r) => r.name).join('、');
}
