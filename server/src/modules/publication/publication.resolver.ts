import DataLoader from 'dataloader';
import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Float,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { Public } from '../../graphql/auth.js';
import type { HubContext } from '../../graphql/context.js';
import { parseId } from '../../graphql/ids.js';
import { Connection, PageArgs } from '../../graphql/pagination.js';
import { loadRequiredRef } from '../../shared/refs.js';
import { Role } from '../auth/roles.js';
import { User } from '../auth/user.entity.js';
import { CheckItem } from '../checklist/check-item.entity.js';
import { Department } from '../departments/department.entity.js';
import { decodeEventCursor, encodeEventCursor, visibilityOf } from '../events/event.service.js';
import { EventType, type EventPayloads, type EventRecord } from '../events/event-types.js';
import { ProblemKind, ResultCategory, resultText } from '../inspections/finding.enums.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { DrawType } from '../plans/plan.enums.js';
import { Task } from '../plans/task.entity.js';
import { type PublicItem, recordDepartments } from './public-record.js';
import { Correction, CorrectionStatus, Publication, PublicationVersion } from './publication.entity.js';
import * as publication from './publication.service.js';
import { DueState } from './publication.service.js';

registerEnumType(DueState, {
  name: 'DueState',
  description: '待公示清单的范围',
  valuesConfig: {
    ALL: { description: '全部待公示' },
    DUE_SOON: { description: `即将到期（剩余不超过 ${publication.DUE_SOON_WORKING_DAYS} 个工作日）` },
    OVERDUE: { description: '已逾期' },
  },
});

// ---- the public record's GraphQL shape (no officer anywhere) ------------------------------------

@ObjectType({ description: '公示记录中的抽查任务' })
class PublicTask {
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
class PublicItemResult {
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

function itemResult(item: PublicItem): PublicItemResult {
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
class PublicResultVersion {
  @Field(() => Int, { description: '版本（1 为首次公示）' })
  version!: number;

  @Field(() => String, { description: '生效日期（公示或更正日期）' })
  effectiveOn!: string;

  @Field(() => String, { nullable: true, description: '更正理由（首次公示为空）' })
  reason!: string | null;

  @Field(() => [PublicItemResult], { description: '该版本的各事项结果' })
  items!: PublicItemResult[];
}

function versionOf(version: PublicationVersion): PublicResultVersion {
  return Object.assign(new PublicResultVersion(), {
    version: version.number,
    effectiveOn: version.effectiveOn,
    reason: version.reason ?? null,
    items: version.record.items.map(itemResult),
  });
}

@ObjectType({ description: '公示的抽查结果（不含执法人员信息）' })
class PublicResult {
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

function publicResult(pub: Publication, current: PublicationVersion): PublicResult {
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

/** The current versions of a page of publications, in one query. */
async function publicResults(ctx: HubContext, pubs: Publication[]): Promise<PublicResult[]> {
  const current = await publication.currentVersions(ctx.em, pubs);
  return pubs.map((p) => publicResult(p, current.get(p.id)!));
}

const PublicResultConnection = Connection(PublicResult, 'PublicResult', '公示结果分页列表');

@ArgsType()
class PublicResultFilter {
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
class PublicOption {
  @Field(() => ID, { description: '编号' })
  id!: string;

  @Field(() => String, { description: '名称' })
  name!: string;

  @Field(() => String, { nullable: true, description: '所属计划（任务才有）' })
  planName!: string | null;
}

@ObjectType({ description: '公示页面的筛选项：有公示结果的抽查机关与任务' })
class PublicFilterOptions {
  @Field(() => [PublicOption], { description: '抽查机关' })
  departments!: PublicOption[];

  @Field(() => [PublicOption], { description: '抽查任务' })
  tasks!: PublicOption[];
}

/**
 * Versions of every record a request asks about, in one query: anyone may ask for a page of 100
 * records with their versions, and that must not cost 100 queries.
 */
const versionLoaders = new WeakMap<HubContext, DataLoader<number, PublicationVersion[]>>();
function versionsLoader(ctx: HubContext): DataLoader<number, PublicationVersion[]> {
  let loader = versionLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly number[]) => {
      const versions = await publication.publicVersions(ctx.em, [...ids]);
      return ids.map((id) => versions.filter((v) => v.publication.id === id));
    });
    versionLoaders.set(ctx, loader);
  }
  return loader;
}

/** The public side: no login, published results only. */
@Resolver(() => PublicResult)
export class PublicResultResolver {
  @Public()
  @Query(() => PublicResultConnection, { description: '公示的抽查结果（无需登录），按公示时间倒序；各条件均可选' })
  async publicResults(@Args(() => PublicResultFilter) filter: PublicResultFilter, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: HubContext) {
    const found = await publication.searchPublicResults(
      ctx.em,
      {
        enterprise: filter.enterprise,
        departmentId: filter.departmentId ? parseId('departmentId', filter.departmentId) : null,
        taskId: filter.taskId ? parseId('taskId', filter.taskId) : null,
        from: filter.from,
        to: filter.to,
      },
      page,
    );
    return { ...found, nodes: await publicResults(ctx, found.nodes) };
  }

  @Public()
  @Query(() => PublicResult, { description: '一条公示的抽查结果（无需登录），含各版本' })
  async publicResult(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<PublicResult> {
    const [result] = await publicResults(ctx, [await publication.getPublicResult(ctx.em, parseId('id', id))]);
    return result;
  }

  @Public()
  @Query(() => PublicFilterOptions, { description: '公示页面的筛选项（无需登录）' })
  async publicFilterOptions(@Ctx() ctx: HubContext): Promise<PublicFilterOptions> {
    const { departments, tasks } = await publication.publicFilterOptions(ctx.em);
    return {
      departments: departments.map((d) => ({ id: String(d.id), name: d.name, planName: null })),
      tasks: tasks.map((t) => ({ id: String(t.id), name: t.name, planName: t.plan.getEntity().name })),
    };
  }

  @FieldResolver(() => [PublicResultVersion], { description: '全部版本（首次公示及每次更正），按时间先后' })
  async versions(@Root() result: PublicResult, @Ctx() ctx: HubContext): Promise<PublicResultVersion[]> {
    return (await versionsLoader(ctx).load(result.publicationId)).map(versionOf);
  }
}

// ---- staff side ---------------------------------------------------------------------------------

@ObjectType({ description: '待公示的检查（已办结、尚未公示）' })
class PublicationDueEntry {
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

  @Field(() => Int, { description: '剩余工作日（当天为 0）；已逾期时为逾期的工作日数' })
  workingDays!: number;
}

@ObjectType({ description: '本部门待公示清单' })
class PublicationDueList {
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
class PublicationRate {
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
class DepartmentPublicationRate extends PublicationRate {
  @Field(() => Department, { description: '部门（抽查机关）' })
  department!: Department;
}

@ObjectType({ description: '一项任务的公示率' })
class TaskPublicationRate extends PublicationRate {
  @Field(() => Task, { description: '抽查任务' })
  task!: Task;
}

@ObjectType({ description: '年度公示率统计' })
class PublicationStats {
  @Field(() => [DepartmentPublicationRate], { description: '按部门' })
  departments!: DepartmentPublicationRate[];

  @Field(() => [TaskPublicationRate], { description: '按任务' })
  tasks!: TaskPublicationRate[];
}

function rateOf(row: publication.RateRow) {
  return { finalised: row.finalised, published: row.published, onTime: row.onTime, overdue: row.overdue, rate: row.finalised ? row.published / row.finalised : null };
}

@InputType({ description: '更正一项检查事项的结果' })
class CorrectionItemInput {
  @Field(() => ID, { description: '检查事项编号' })
  itemId!: string;

  @Field(() => [ResultCategory], { description: '更正后的检查结果' })
  results!: ResultCategory[];

  @Field(() => [ProblemKind], { nullable: true, description: '更正后的具体情形（“发现问题待后续处理”时必填）' })
  problemKinds?: ProblemKind[] | null;
}

@ObjectType({ description: '更正申请中一项事项的新结果' })
class CorrectionChange {
  @Field(() => CheckItem, { description: '检查事项' })
  item!: CheckItem;

  @Field(() => [ResultCategory], { description: '更正后的检查结果' })
  results!: ResultCategory[];

  @Field(() => [ProblemKind], { description: '更正后的具体情形' })
  problemKinds!: ProblemKind[];

  @Field(() => String, { description: '更正后的检查结果（文字）' })
  resultText!: string;
}

enum PublicationAction {
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
class PublicationChange {
  @Field(() => PublicationAction, { description: '变化类型' })
  action!: PublicationAction;

  @Field(() => Publication, { description: '公示记录（变化后）' })
  publication!: Publication;

  @Field(() => Correction, { nullable: true, description: '相关的更正申请' })
  correction!: Correction | null;

  @Field(() => ID, { description: '事件游标，重连时传给 after' })
  cursor!: string;
}

@Resolver(() => Publication)
export class PublicationResolver {
  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => [Publication], { description: '发起部门公示已办结的检查（可批量；任一项不能公示则全部不公示）' })
  publishInspections(@Arg('inspectionIds', () => [ID]) inspectionIds: string[], @Ctx() ctx: HubContext): Promise<Publication[]> {
    return publication.publishInspections(ctx.em, ctx.viewer!, inspectionIds.map((id) => parseId('inspectionIds', id)));
  }

  @Query(() => Publication, { description: '按编号读取公示记录（本部门参与的检查）' })
  publication(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<Publication> {
    return publication.getPublication(ctx.em, ctx.viewer!, parseId('id', id));
  }

  @Query(() => PublicationDueList, { description: '待公示清单：已办结未公示的检查及其公示期限（20 个工作日）' })
  publicationDue(
    @Arg('state', () => DueState, { defaultValue: DueState.ALL, description: '全部、即将到期或已逾期' }) state: DueState,
    @Arg('departmentId', () => ID, { nullable: true, description: '部门（默认本部门；仅系统管理员、审计人员可查其他部门）' }) departmentId: string | null,
    @Arg('first', () => Int, { defaultValue: 100, description: '最多返回条数' }) first: number,
    @Ctx() ctx: HubContext,
  ): Promise<PublicationDueList> {
    return publication.publicationDue(ctx.em, ctx.viewer!, departmentId ? parseId('departmentId', departmentId) : null, state, first);
  }

  @Query(() => PublicationStats, { description: '年度公示率（已公示 ÷ 已办结），按部门和任务' })
  async publicationStats(@Arg('year', () => Int, { description: '计划年度' }) year: number, @Ctx() ctx: HubContext): Promise<PublicationStats> {
    const { departments, tasks } = await publication.publicationStats(ctx.em, ctx.viewer!, year);
    const deptById = new Map((await ctx.em.find(Department, { id: { $in: departments.map((r) => r.id) } })).map((d) => [d.id, d]));
    const taskById = new Map((await ctx.em.find(Task, { id: { $in: tasks.map((r) => r.id) } })).map((t) => [t.id, t]));
    return {
      departments: departments.map((row) => Object.assign(new DepartmentPublicationRate(), rateOf(row), { department: deptById.get(row.id)! })),
      tasks: tasks.map((row) => Object.assign(new TaskPublicationRate(), rateOf(row), { task: taskById.get(row.id)! })),
    };
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Correction, { description: '业务人员申请更正已公示的本部门事项结果（须说明理由），由本部门负责人审核' })
  requestCorrection(
    @Arg('publicationId', () => ID) publicationId: string,
    @Arg('reason', () => String, { description: '更正理由' }) reason: string,
    @Arg('items', () => [CorrectionItemInput], { description: '要更正的事项及其新结果' }) items: CorrectionItemInput[],
    @Ctx() ctx: HubContext,
  ): Promise<Correction> {
    return publication.requestCorrection(
      ctx.em,
      ctx.viewer!,
      parseId('publicationId', publicationId),
      reason,
      items.map((item, i) => ({ itemId: parseId(`items[${i}].itemId`, item.itemId), results: item.results, problemKinds: item.problemKinds })),
    );
  }

  @Authorized(Role.HEAD)
  @Mutation(() => Correction, { description: '申请部门负责人批准（公示新版本，标注“已更正”）或驳回更正申请' })
  decideCorrection(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('approve', () => Boolean, { description: '批准为 true，驳回为 false' }) approve: boolean,
    @Arg('note', () => String, { nullable: true, description: '审核意见（驳回时必填）' }) note: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<Correction> {
    return publication.decideCorrection(ctx.em, ctx.viewer!, parseId('id', id), version, approve, note);
  }

  @Query(() => [Correction], { description: '更正申请：本部门的（可只看待审核的），或一条公示记录的全部' })
  corrections(
    @Arg('status', () => CorrectionStatus, { nullable: true }) status: CorrectionStatus | null,
    @Arg('publicationId', () => ID, { nullable: true }) publicationId: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<Correction[]> {
    return publication.listCorrections(ctx.em, ctx.viewer!, status, publicationId ? parseId('publicationId', publicationId) : null);
  }

  @Subscription(() => PublicationChange, {
    description: '公示的实时变化（公示、申请更正、批准、驳回），本部门参与的检查；用 after 续传',
    subscribe: ({ args, context }) => {
      const ctx = context as HubContext;
      const { after } = args as { after?: string };
      return ctx.services.events.stream(
        { departmentId: visibilityOf(ctx.viewer!), types: [EventType.PUBLICATION_CHANGED], expiresAt: ctx.viewer!.expiresAt },
        after ? decodeEventCursor(after) : null,
      );
    },
  })
  async publicationChanged(
    @Root() event: EventRecord,
    @Arg('after', () => ID, { nullable: true, description: '从该事件之后续传' }) _after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<PublicationChange> {
    const payload = event.payload as EventPayloads[EventType.PUBLICATION_CHANGED];
    const em = ctx.em.fork();
    return Object.assign(new PublicationChange(), {
      action: payload.action as PublicationAction,
      publication: await em.findOneOrFail(Publication, { id: payload.publicationId }),
      correction: payload.correctionId ? await em.findOneOrFail(Correction, { id: payload.correctionId }) : null,
      cursor: encodeEventCursor(event),
    });
  }

  @FieldResolver(() => PublicResult, { description: '当前公示的内容（与公众看到的相同）' })
  async record(@Root() pub: Publication, @Ctx() ctx: HubContext): Promise<PublicResult> {
    return publicResult(pub, await publication.currentVersion(ctx.em, pub));
  }

  @FieldResolver(() => Inspection, { description: '检查' })
  inspection(@Root() pub: Publication): Promise<Inspection> {
    return loadRequiredRef(pub.inspection);
  }

  @FieldResolver(() => Department, { description: '公示部门（发起部门）' })
  leadDepartment(@Root() pub: Publication): Promise<Department> {
    return loadRequiredRef(pub.leadDepartment);
  }
}

@Resolver(() => Correction)
export class CorrectionResolver {
  @FieldResolver(() => Publication, { description: '公示记录' })
  publication(@Root() correction: Correction): Promise<Publication> {
    return loadRequiredRef(correction.publication);
  }

  @FieldResolver(() => Department, { description: '申请部门' })
  department(@Root() correction: Correction): Promise<Department> {
    return loadRequiredRef(correction.department);
  }

  @FieldResolver(() => User, { description: '申请人' })
  requestedBy(@Root() correction: Correction): Promise<User> {
    return loadRequiredRef(correction.requestedBy);
  }

  @FieldResolver(() => [CorrectionChange], { description: '更正的事项及新结果' })
  async changes(@Root() correction: Correction, @Ctx() ctx: HubContext): Promise<CorrectionChange[]> {
    const items = new Map((await ctx.em.find(CheckItem, { id: { $in: correction.changes.map((c) => c.itemId) } })).map((i) => [i.id, i]));
    return correction.changes.map((c) =>
      Object.assign(new CorrectionChange(), { item: items.get(c.itemId)!, results: c.results, problemKinds: c.problemKinds, resultText: resultText(c.results, c.problemKinds) }),
    );
  }
}

/** The inspection page asks whether (and how) its visit was published. */
@Resolver(() => Inspection)
export class InspectionPublicationResolver {
  @FieldResolver(() => Publication, { nullable: true, description: '公示记录（尚未公示时为空）' })
  publication(@Root() inspection: Inspection, @Ctx() ctx: HubContext): Promise<Publication | null> {
    return publication.publicationOfInspection(ctx.em, inspection.id);
  }

  @FieldResolver(() => String, { nullable: true, description: '公示期限（办结后第 20 个工作日；未办结时为空）' })
  publicationDueOn(@Root() inspection: Inspection): string | null {
    return inspection.completedOn ? publication.publicationDeadline(inspection.completedOn).due : null;
  }
}
