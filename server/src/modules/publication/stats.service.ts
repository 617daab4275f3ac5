// The publication rate (published ÷ finalised) per department and task.
import type { EntityManager } from '@mikro-orm/postgresql';
import { scopeDepartment, type Viewer } from '../../core/viewer.js';
import { BadInputError } from '../../core/errors.js';
import { chinaDate } from '../../core/dates.js';
import { latestStartWithDeadlineBefore } from './working-days.js';
import { PUBLICATION_WORKING_DAYS } from './deadlines.service.js';

export interface RateRow {
  id: number;
  finalised: number;
  published: number;
  onTime: number;
  overdue: number;
}

/**
 * Published ÷ finalised for one plan year, per department (each 抽查机关 with items in the visits)
 * and per task. A department sees its own row and the tasks it takes part in.
 */
export async function publicationStats(
  em: EntityManager,
  viewer: Viewer,
  year: number,
): Promise<{ departments: RateRow[]; tasks: RateRow[] }> {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new BadInputError('year', '年度无效');
  const scope = scopeDepartment(viewer);
  const all = scope === null;
  const overdueUpTo = latestStartWithDeadlineBefore(chinaDate(), PUBLICATION_WORKING_DAYS);
  const conn = em.getConnection();
  const finalised = `with fin as (
      select i.id, i.completed_on, p.published_on, p.due_on,
             array(select distinct c.department_id from inspection_check_item ic join check_item c on c.id = ic.check_item_id
                    where ic.inspection_id = i.id) as departments
        from inspection i left join publication p on p.inspection_id = i.id
       where i.status = 'FINALISED' and i.year = ? ${all ? '' : 'and i.department_ids @> array[?]::int[]'})`;
  const measures = `count(*)::int as finalised, count(f.published_on)::int as published,
       count(*) filter (where f.published_on <= f.due_on)::int as "onTime",
       count(*) filter (where f.published_on is null and f.completed_on <= ?)::int as overdue`;
  const scoped = all ? [year] : [year, scope];
  const departments = await conn.execute<RateRow[]>(
    `${finalised} select d as id, ${measures} from fin f, unnest(f.departments) d ${all ? '' : 'where d = ?'} group by d order by d`,
    [...scoped, overdueUpTo, ...(all ? [] : [scope])],
  );
  const tasks = await conn.execute<RateRow[]>(
    `${finalised} select it.task_id as id, ${measures} from fin f join inspection_task it on it.inspection_id = f.id group by it.task_id order by it.task_id`,
    [...scoped, overdueUpTo],
  );
  return { departments, tasks };
}
