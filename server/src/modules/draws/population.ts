import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError } from '../../graphql/errors.js';
import type { Task } from '../plans/task.entity.js';
import type { RiskClass } from '../registry/registry.enums.js';
import type { RatioSpec, TaskDrawSpec } from './selection.js';

/**
 * A task's eligible population: firms in its industries and regions that are still operating,
 * less those already inspected this year for one of the task's items; marked when last year's
 * draws inspected them for one of those items (they go to the end of the order).
 */
export async function taskPopulation(em: EntityManager, task: Task, year: number): Promise<TaskDrawSpec['population']> {
  const industries = task.scopeIndustries.getItems().map((i) => i.id);
  const regions = task.scopeRegions.getItems().map((r) => r.id);
  const items = task.items.getItems().map((i) => i.id);
  if (industries.length === 0) {
    throw new BadInputError('taskIds', `任务 ${task.seq}“${task.name}”未设定抽查对象的行业范围，无法确定抽取名录`);
  }
  const rows = await em.getConnection().execute<{ uscc: string; risk_class: RiskClass; drawn_last_year: boolean }[]>(
    `select e.uscc, e.risk_class,
            exists (select 1 from inspection i join inspection_check_item ic on ic.inspection_id = i.id
                     where i.enterprise_id = e.id and i.year = ? and ic.check_item_id = any(?::int[])) as drawn_last_year
       from enterprise e
      where e.status in ('OPERATING', 'SUSPENDED')
        and e.industry_ids && ?::int[]
        and (cardinality(?::int[]) = 0 or e.region_id = any(?::int[]))
        and not exists (
          select 1 from inspection i join inspection_check_item ic on ic.inspection_id = i.id
           where i.enterprise_id = e.id and i.year = ? and ic.check_item_id = any(?::int[]))
      order by e.uscc`,
    [year - 1, `{${items.join(',')}}`, `{${industries.join(',')}}`, `{${regions.join(',')}}`, `{${regions.join(',')}}`, year, `{${items.join(',')}}`],
    'all',
    em.getTransactionContext(),
  );
  return rows.map((r) => (r.drawn_last_year ? { uscc: r.uscc, riskClass: r.risk_class, drawnLastYear: true } : { uscc: r.uscc, riskClass: r.risk_class }));
}

export function ratioSpecOf(task: Task): RatioSpec {
  const { ratio } = task;
  if (ratio.kind === 'PERCENT' && ratio.percent != null) return { kind: 'PERCENT', percent: ratio.percent };
  if (ratio.kind === 'COUNT' && ratio.count != null) return { kind: 'COUNT', count: ratio.count };
  if (ratio.kind === 'PER_RISK_CLASS' && ratio.perRiskClass) return { kind: 'PER_RISK_CLASS', percents: ratio.perRiskClass };
  throw new BadInputError('taskIds', `任务 ${task.seq}“${task.name}”的抽查比例“${ratio.text}”不可计算，请先在任务中填写比例或户数`);
}
