import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { describeValues } from '../../core/labels.js';
import { ResultCategory } from '../inspections/finding.enums.js';
import { RiskClass } from '../registry/registry.enums.js';
import { MEASURE_BY_KEY, type MeasureKey, type MeasureKind } from './measures.js';

/** What statistics can be grouped by. */
export enum StatisticsGroup {
  DEPARTMENT = 'DEPARTMENT',
  TASK = 'TASK',
  REGION = 'REGION',
  INDUSTRY = 'INDUSTRY',
  RISK_CLASS = 'RISK_CLASS',
  MONTH = 'MONTH',
  RESULT_CATEGORY = 'RESULT_CATEGORY',
}
export const GROUP_LABELS: Record<StatisticsGroup, string> = {
  DEPARTMENT: '部门',
  TASK: '抽查任务',
  REGION: '行政区划（企业所在地）',
  INDUSTRY: '行业（企业主行业）',
  RISK_CLASS: '信用风险分类',
  MONTH: '月份（办结月份，未办结的按开始检查或抽取月份）',
  RESULT_CATEGORY: '检查结果',
};
registerEnumType(StatisticsGroup, {
  name: 'StatisticsGroup',
  description: '统计分组维度',
  valuesConfig: describeValues(GROUP_LABELS),
});

@InputType({ description: '统计范围（各条件同时满足；列表为空或不填表示不限）' })
export class StatisticsFilter {
  @Field(() => Int, { description: '计划年度' })
  year!: number;

  @Field(() => [Int], { nullable: true, description: '这些部门参与的检查（须在查看者的范围内）' })
  departmentIds?: number[];

  @Field(() => [Int], { nullable: true, description: '抽查任务' })
  taskIds?: number[];

  @Field(() => [Int], { nullable: true, description: '企业所在行政区划' })
  regionIds?: number[];

  @Field(() => [Int], { nullable: true, description: '企业主行业' })
  industryIds?: number[];

  @Field(() => [RiskClass], { nullable: true, description: '信用风险分类' })
  riskClasses?: RiskClass[];

  @Field(() => String, { nullable: true, description: '起始月份（YYYY-MM，含）' })
  from?: string;

  @Field(() => String, { nullable: true, description: '截止月份（YYYY-MM，含）' })
  to?: string;
}

@ObjectType({ description: '统计分组的取值（未按该维度分组时为空）' })
export class StatisticsKey {
  @Field(() => Int, { nullable: true, description: '部门编号' })
  departmentId?: number;
  @Field(() => String, { nullable: true, description: '部门' })
  departmentName?: string;
  @Field(() => Int, { nullable: true, description: '抽查任务编号' })
  taskId?: number;
  @Field(() => String, { nullable: true, description: '抽查任务' })
  taskName?: string;
  @Field(() => Int, { nullable: true, description: '行政区划编号' })
  regionId?: number;
  @Field(() => String, { nullable: true, description: '行政区划' })
  regionName?: string;
  @Field(() => Int, { nullable: true, description: '行业编号（0 = 名录中未填行业）' })
  industryId?: number;
  @Field(() => String, { nullable: true, description: '行业' })
  industryName?: string;
  @Field(() => RiskClass, { nullable: true, description: '信用风险分类' })
  riskClass?: RiskClass;
  @Field(() => String, { nullable: true, description: '月份（YYYY-MM）' })
  month?: string;
  @Field(() => ResultCategory, { nullable: true, description: '检查结果' })
  resultCategory?: ResultCategory;
}

@ObjectType({ description: '一种检查结果的事项数' })
export class ResultCount {
  @Field(() => ResultCategory, { description: '检查结果' })
  category!: ResultCategory;
  @Field(() => Int, { description: '事项数' })
  items!: number;
}

const describe = (key: MeasureKey) => `${MEASURE_BY_KEY[key].label}：${MEASURE_BY_KEY[key].formula}`;

/** One group's figures; a measure that does not apply to the grouping is null (docs/statistics.md). */
@ObjectType({ description: '一组统计数字（定义见 docs/statistics.md；不适用的为空）' })
export class StatisticsRow {
  @Field(() => StatisticsKey, { description: '分组取值' })
  key!: StatisticsKey;
  @Field(() => String, { description: '分组的名称（各维度取值以“ / ”连接；合计为“合计”）' })
  label!: string;
  @Field(() => Int, { nullable: true, description: describe('firmsInScope') })
  firmsInScope!: number | null;
  @Field(() => Int, { nullable: true, description: describe('firmsDrawn') })
  firmsDrawn!: number | null;
  @Field(() => Int, { nullable: true, description: describe('visits') })
  visits!: number | null;
  @Field(() => Int, { nullable: true, description: describe('departmentVisits') })
  departmentVisits!: number | null;
  @Field(() => Int, { nullable: true, description: describe('itemsPlanned') })
  itemsPlanned!: number | null;
  @Field(() => Int, { nullable: true, description: describe('itemsChecked') })
  itemsChecked!: number | null;
  @Field(() => Int, { nullable: true, description: describe('visitsFinalised') })
  visitsFinalised!: number | null;
  @Field(() => Float, { nullable: true, description: describe('completionRate') })
  completionRate!: number | null;
  @Field(() => Int, { nullable: true, description: describe('visitsWithProblem') })
  visitsWithProblem!: number | null;
  @Field(() => Float, { nullable: true, description: describe('problemRate') })
  problemRate!: number | null;
  @Field(() => [ResultCount], { description: '各检查结果的事项数（官方结果分类）' })
  resultCounts!: ResultCount[];
  @Field(() => Int, { nullable: true, description: describe('correctionsOrdered') })
  correctionsOrdered!: number | null;
  @Field(() => Int, { nullable: true, description: describe('correctionsDone') })
  correctionsDone!: number | null;
  @Field(() => Int, { nullable: true, description: describe('correctionsOverdue') })
  correctionsOverdue!: number | null;
  @Field(() => Int, { nullable: true, description: describe('referralsOpened') })
  referralsOpened!: number | null;
  @Field(() => Int, { nullable: true, description: describe('referralsAccepted') })
  referralsAccepted!: number | null;
  @Field(() => Int, { nullable: true, description: describe('referralsClosed') })
  referralsClosed!: number | null;
  @Field(() => Int, { nullable: true, description: describe('referralsOverdue') })
  referralsOverdue!: number | null;
  @Field(() => Int, { nullable: true, description: describe('published') })
  published!: number | null;
  @Field(() => Int, { nullable: true, description: describe('publishedOnTime') })
  publishedOnTime!: number | null;
  @Field(() => Float, { nullable: true, description: describe('publicationRate') })
  publicationRate!: number | null;
  @Field(() => Float, { nullable: true, description: describe('onTimeRate') })
  onTimeRate!: number | null;
  @Field(() => Float, { nullable: true, description: describe('itemsPerVisit') })
  itemsPerVisit!: number | null;
  @Field(() => Int, { nullable: true, description: describe('visitsSaved') })
  visitsSaved!: number | null;
  @Field(() => Int, { nullable: true, description: describe('teamPlaces') })
  teamPlaces!: number | null;
  @Field(() => Float, { nullable: true, description: describe('officerWorkload') })
  officerWorkload!: number | null;
}

@ObjectType({ description: '统计结果' })
export class StatisticsResult {
  @Field(() => [StatisticsGroup], { description: '分组维度' })
  groupBy!: StatisticsGroup[];
  @Field(() => [StatisticsRow], { description: '各组（按分组取值排序）' })
  rows!: StatisticsRow[];
  @Field(() => StatisticsRow, { description: '合计（范围内全部，不分组）' })
  total!: StatisticsRow;
  @Field(() => String, { description: '逾期的判断日（北京时间，YYYY-MM-DD）' })
  asOf!: string;
}

@ObjectType({ description: '统计指标的定义（与 docs/statistics.md 一致）' })
export class StatisticsMeasure {
  @Field(() => String, { description: 'StatisticsRow 的字段名' })
  key!: string;
  @Field(() => String, { description: '指标名称' })
  label!: string;
  @Field(() => String, { description: '计算方法' })
  formula!: string;
  @Field(() => String, { description: 'count 计数 / rate 比率（0–1） / ratio 比值' })
  kind!: MeasureKind;
}

@ObjectType({ description: '名称与编号' })
export class NamedOption {
  @Field(() => Int, { description: '编号' })
  id!: number;
  @Field(() => String, { description: '名称' })
  name!: string;
}

@ObjectType({ description: '统计可选的筛选项（查看者范围内）' })
export class StatisticsOptions {
  @Field(() => [NamedOption], { description: '部门' })
  departments!: NamedOption[];
  @Field(() => [NamedOption], { description: '该年度的抽查任务' })
  tasks!: NamedOption[];
  @Field(() => [NamedOption], { description: '行政区划' })
  regions!: NamedOption[];
  @Field(() => [NamedOption], { description: '行业' })
  industries!: NamedOption[];
}
