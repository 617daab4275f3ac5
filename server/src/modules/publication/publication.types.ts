import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CheckItem } from '../checklist/check-item.entity.js';
import { Department } from '../departments/department.entity.js';
import { ProblemKind, ResultCategory, resultText } from '../inspections/finding.enums.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { DrawType } from '../plans/plan.enums.js';
import { Task } from '../plans/task.entity.js';
import { type PublicItem, recordDepartments } from './public-record.js';
import { Correction, Publication, type PublicationVersion } from './publication.entity.js';
import { DUE_SOON_WORKING_DAYS, DueState } from './deadlines.service.js';
import type { RateRow } from './stats.service.js';

/**
 * The GraphQL shapes of publication: the public record (separate types with no path to an
 * officer — they are all the public sees) and the staff side's lists, rates and changes.
 */

registerEnumType(DueState, {
  name: 'DueState',
  description: '待公示清单的范围',
  valuesConfig: {
    ALL: { description: '全部待公示' },
    DUE_SOON: { description: `即将到期（剩余不超过 ${DUE_SOON_WORKING_DAYS} 个工作日）` },
    OVERDUE: { description: '已逾期' },
  },
});

// ---- the public record's GraphQL shape (no officer anywhere) ------------------------------------

@ObjectType({ description: '公示记录中的抽查任务' })
export class PublicTask {
  @Field(() => String, { description: '抽查计划编号' })
  planNo!: string;

  @Field(() => String, { description: '抽查计划名称' })
  planName!: string;

  @Field(() => String, { description: '抽查任务编号' })
  taskNo!: string;

  @Field(() => String, { description: '抽查任务名称' })
  taskName!: string;

  @Field(() => DrawType, { nullable: true, description: '抽查类型：定向 / 不定向' })
  drawType!: DrawType | null;
}

@ObjectType({ description: '公示记录中一项检查事项的结果' })
export class PublicItemResult {
  @Field(() => ID, { description: '检查事项编号' })
  itemId!: string;

  @Field(() => String, { description: '抽查机关（该事项所属部门）' })
  department!: string;

  @Field(() => String, { description: '抽查类别' })
  category!: string;

  @Field(() => String, { description: '检查事项' })
  item!: string;

  @Field(() => [ResultCategory], { description: '检查结果' })
  results!: ResultCategory[];

  @Field(() => [ProblemKind], { description: '发现问题待后续处理的具体情形' })
  problemKinds!: ProblemKind[];

  @Field(() => String, { description: '检查结果（文字）' })
  resultText!: string;

  @Field(() => Boolean, { description: '本版本是否更正了该事项' })
  corrected!: boolean;
}

export function itemResult(item: PublicItem): PublicItemResult {
  return Object.assign(new PublicItemResult(), {
    itemId: String(item.itemId),
    department: item.department,
    category: item.category,
    item: item.item,
    results: item.results,
    problemKinds: item.problemKinds,
    resultText: resultText(item.results, item.problemKinds),
    corrected: item.corrected ?? false,
  });
}

@ObjectType({ description: '公示记录的一个版本（首次公示或一次更正）' })
export class PublicResultVersion {
  @Field(() => Int, { description: '版本（1 为首次公示）' })
  version!: number;

  @Field(() => String, { description: '生效日期（公示或更正日期）' })
  effectiveOn!: string;

  @Field(() => String, { nullable: true, description: '更正理由（首次公示为空）' })
  reason!: string | null;

  @Field(() => [PublicItemResult], { description: '该版本的各事项结果' })
  items!: PublicItemResult[];
}

export function versionOf(version: PublicationVersion): PublicResultVersion {
  return Object.assign(new PublicResultVersion(), {
    version: version.number,
    effectiveOn: version.effectiveOn,
    reason: version.reason ?? null,
    items: version.record.items.map(itemResult),
  });
}

@ObjectType({ description: '公示的抽查结果（不含执法人员信息）' })
export class PublicResult {
  @Field(() => ID, { description: '公示编号' })
  id!: string;

  @Field(() => [PublicTask], { description: '抽查计划与任务' })
  tasks!: PublicTask[];

  @Field(() => [String], { description: '抽查机关（有检查事项的各部门）' })
  departments!: string[];

  @Field(() => String, { description: '企业名称' })
  enterpriseName!: string;

  @Field(() => String, { description: '统一社会信用代码' })
  uscc!: string;

  @Field(() => String, { description: '抽查完成日期' })
  completedOn!: string;

  @Field(() => String, { description: '公示日期' })
  publishedOn!: string;

  @Field(() => [PublicItemResult], { description: '各检查事项的当前结果' })
  items!: PublicItemResult[];

  @Field(() => Boolean, { description: '是否已更正' })
  corrected!: boolean;

  @Field(() => String, { nullable: true, description: '最近一次更正日期' })
  correctedOn!: string | null;

  @Field(() => String, { nullable: true, description: '最近一次更正理由' })
  correctionReason!: string | null;

  @Field(() => Int, { description: '当前版本' })
  version!: number;

  publicationId!: number;
}

export function publicResult(pub: Publication, current: PublicationVersion): PublicResult {
  const { record } = current;
  return Object.assign(new PublicResult(), {
    id: String(pub.id),
    publicationId: pub.id,
    tasks: record.tasks.map((t) => Object.assign(new PublicTask(), t)),
    departments: recordDepartments(record).map((d) => d.name),
    enterpriseName: record.enterpriseName,
    uscc: record.uscc,
    completedOn: record.completedOn,
    publishedOn: pub.publishedOn,
    items: record.items.map(itemResult),
    corrected: pub.currentVersion > 1,
    correctedOn: pub.correctedOn ?? null,
    correctionReason: pub.correctionReason ?? null,
    version: pub.currentVersion,
  });
}

@ArgsType()
export class PublicResultFilter {
  @Field(() => String, { nullable: true, description: '企业名称（包含）或统一社会信用代码' })
  enterprise?: string | null;

  @Field(() => ID, { nullable: true, description: '抽查机关' })
  departmentId?: string | null;

  @Field(() => ID, { nullable: true, description: '抽查任务' })
  taskId?: string | null;

  @Field(() => String, { nullable: true, description: '抽查完成日期起（YYYY-MM-DD）' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: '抽查完成日期止（YYYY-MM-DD）' })
  to?: string | null;
}

@ObjectType({ description: '公示页面的筛选项' })
export class PublicOption {
  @Field(() => ID, { description: '编号' })
  id!: string;

  @Field(() => String, { description: '名称' })
  name!: string;

  @Field(() => String, { nullable: true, description: '所属计划（任务才有）' })
  planName!: string | null;
}

@ObjectType({ description: '公示页面的筛选项：有公示结果的抽查机关与任务' })
export class PublicFilterOptions {
  @Field(() => [PublicOption], { description: '抽查机关' })
  departments!: PublicOption[];

  @Field(() => [PublicOption], { description: '抽查任务' })
  tasks!: PublicOption[];
}

// ---- staff side ---------------------------------------------------------------------------------

@ObjectType({ description: '待公示的检查（已办结、尚未公示）' })
export class PublicationDueEntry {
  @Field(() => Inspection, { description: '检查' })
  inspection!: Inspection;

  @Field(() => String, { description: '抽查完成日期' })
  completedOn!: string;

  @Field(() => String, { description: '公示期限' })
  dueOn!: string;

  @Field(() => Boolean, { description: '期限是否为暂定（当年节假日安排尚未公布）' })
  provisional!: boolean;

  @Field(() => Boolean, { description: '是否已逾期' })
  overdue!: boolean;

  @Field(() => Boolean, { description: `是否即将到期（未逾期且剩余不超过 ${DUE_SOON_WORKING_DAYS} 个工作日）` })
  dueSoon!: boolean;

  @Field(() => Int, { description: '剩余工作日（当天为 0）；已逾期时为逾期的工作日数' })
  workingDays!: number;
}

@ObjectType({ description: '本部门待公示清单' })
export class PublicationDueList {
  @Field(() => Boolean, { description: '当前用户可否公示这些检查（该部门的业务人员或负责人）' })
  viewerCanPublish!: boolean;

  @Field(() => Int, { description: '待公示总数' })
  totalCount!: number;

  @Field(() => Int, { description: '其中已逾期' })
  overdueCount!: number;

  @Field(() => Int, { description: '其中即将到期' })
  dueSoonCount!: number;

  @Field(() => [PublicationDueEntry], { description: '按期限排序（最紧急的在前）' })
  nodes!: PublicationDueEntry[];
}

@ObjectType({ description: '公示率' })
export class PublicationRate {
  @Field(() => Int, { description: '已办结' })
  finalised!: number;

  @Field(() => Int, { description: '已公示' })
  published!: number;

  @Field(() => Int, { description: '按期公示（20 个工作日内）' })
  onTime!: number;

  @Field(() => Int, { description: '逾期未公示' })
  overdue!: number;

  @Field(() => Float, { nullable: true, description: '公示率（已公示 ÷ 已办结，0–1；无办结时为空）' })
  rate!: number | null;
}

@ObjectType({ description: '一个部门的公示率' })
export class DepartmentPublicationRate extends PublicationRate {
  @Field(() => Department, { description: '部门（抽查机关）' })
  department!: Department;
}

@ObjectType({ description: '一项任务的公示率' })
export class TaskPublicationRate extends PublicationRate {
  @Field(() => Task, { description: '抽查任务' })
  task!: Task;
}

@ObjectType({ description: '年度公示率统计' })
export class PublicationStats {
  @Field(() => [DepartmentPublicationRate], { description: '按部门' })
  departments!: DepartmentPublicationRate[];

  @Field(() => [TaskPublicationRate], { description: '按任务' })
  tasks!: TaskPublicationRate[];
}

export function rateOf(row: RateRow) {
  return {
    finalised: row.finalised,
    published: row.published,
    onTime: row.onTime,
    overdue: row.overdue,
    rate: row.finalised ? row.published / row.finalised : null,
  };
}

@InputType({ description: '更正一项检查事项的结果' })
export class CorrectionItemInput {
  @Field(() => ID, { description: '检查事项编号' })
  itemId!: string;

  @Field(() => [ResultCategory], { description: '更正后的检查结果' })
  results!: ResultCategory[];

  @Field(() => [ProblemKind], { nullable: true, description: '更正后的具体情形（“发现问题待后续处理”时必填）' })
  problemKinds?: ProblemKind[] | null;
}

@ObjectType({ description: '更正申请中一项事项的新结果' })
export class CorrectionChange {
  @Field(() => CheckItem, { description: '检查事项' })
  item!: CheckItem;

  @Field(() => [ResultCategory], { description: '更正后的检查结果' })
  results!: ResultCategory[];

  @Field(() => [ProblemKind], { description: '更正后的具体情形' })
  problemKinds!: ProblemKind[];

  @Field(() => String, { description: '更正后的检查结果（文字）' })
  resultText!: string;
}

export enum PublicationAction {
  PUBLISHED = 'PUBLISHED',
  CORRECTION_REQUESTED = 'CORRECTION_REQUESTED',
  CORRECTION_APPROVED = 'CORRECTION_APPROVED',
  CORRECTION_REJECTED = 'CORRECTION_REJECTED',
}
registerEnumType(PublicationAction, {
  name: 'PublicationAction',
  description: '公示的变化',
  valuesConfig: {
    PUBLISHED: { description: '已公示' },
    CORRECTION_REQUESTED: { description: '申请更正' },
    CORRECTION_APPROVED: { description: '更正已批准（新版本已公示）' },
    CORRECTION_REJECTED: { description: '更正已驳回' },
  },
});

@ObjectType({ description: '公示的一次变化（publicationChanged 的载荷）' })
export class PublicationChange {
  @Field(() => PublicationAction, { description: '变化类型' })
  action!: PublicationAction;

  @Field(() => Publication, { description: '公示记录（变化后）' })
  publication!: Publication;

  @Field(() => Correction, { nullable: true, description: '相关的更正申请' })
  correction!: Correction | null;

  @Field(() => ID, { description: '事件游标，重连时传给 after' })
  cursor!: string;
}
