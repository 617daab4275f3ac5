import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Viewer } from '../../core/viewer.js';
import { ReportingOperation } from '../../graphql/auth.js';
import type { HubContext } from '../../graphql/context.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import { MEASURES } from './measures.js';
import { statisticsOptions } from './statistics-scope.js';
import { statistics } from './statistics.service.js';
import { StatisticsFilter, StatisticsGroup, StatisticsMeasure, StatisticsOptions, StatisticsResult } from './statistics.types.js';

@Resolver()
export class StatisticsResolver {
  @ReportingOperation()
  @Query(() => StatisticsResult, {
    description:
      '统计：范围内的检查按所选维度分组的各项指标与合计（定义见 docs/statistics.md）。部门看本部门及其参与的联合检查；双随机工作机构看本行政区划各部门；报表令牌看所属部门。',
  })
  statistics(
    @Arg('filter', () => StatisticsFilter, { description: '统计范围' }) filter: StatisticsFilter,
    @Arg('groupBy', () => [StatisticsGroup], { defaultValue: [], description: '分组维度（可多选，按所列顺序）' })
    groupBy: StatisticsGroup[],
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<StatisticsResult> {
    return statistics(ctx.em, viewer, filter, groupBy);
  }

  @ReportingOperation()
  @Query(() => [StatisticsMeasure], { description: '统计指标的名称与计算方法（统计表、图表和导出共用）' })
  statisticsMeasures(): StatisticsMeasure[] {
    return MEASURES.map((m) => ({ ...m }));
  }

  @ReportingOperation()
  @Query(() => StatisticsOptions, { description: '统计可选的部门、任务、行政区划和行业（查看者范围内）' })
  statisticsOptions(
    @Arg('year', () => Int, { description: '计划年度' }) year: number,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<StatisticsOptions> {
    return statisticsOptions(ctx.em, viewer, year);
  }
}
