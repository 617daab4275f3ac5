import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Public } from '../../graphql/auth.js';
import type { HubContext } from '../../graphql/context.js';
import { parseId } from '../../core/ids.js';
import { Connection, PublicPageArgs } from '../../graphql/pagination.js';
import { loadRequiredRef } from '../../core/refs.js';
import { Role } from '../../core/roles.js';
import { User } from '../auth/user.entity.js';
import { CheckItem } from '../checklist/check-item.entity.js';
import { Department } from '../departments/department.entity.js';
import { decodeEventCursor, encodeEventCursor, viewerFilter } from '../events/event.service.js';
import { EventType, type EventRecord } from '../events/event-types.js';
import { resultText } from '../inspections/finding.enums.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Task } from '../plans/task.entity.js';
import { Correction, CorrectionStatus, Publication } from './publication.entity.js';
import { decideCorrection, listCorrections, requestCorrection } from './corrections.service.js';
import { DueState, publicationDeadline, publicationDue } from './deadlines.service.js';
import { getPublicResult, publicFilterOptions, searchPublicResults } from './public-search.service.js';
import { getPublication, publishInspections } from './publish.service.js';
import { publicationStats } from './stats.service.js';
import { CurrentViewer, viewerIn } from '../../graphql/current-viewer.js';
import type { Viewer } from '../../core/viewer.js';
import { loadersForEvent } from '../../graphql/live.js';
import { mapNodes } from '../../core/paging.js';
import {
  CorrectionChange,
  CorrectionItemInput,
  DepartmentPublicationRate,
  PublicationAction,
  PublicationChange,
  PublicationDueList,
  PublicationStats,
  PublicFilterOptions,
  PublicResult,
  publicResult,
  PublicResultFilter,
  PublicResultVersion,
  rateOf,
  TaskPublicationRate,
  versionOf,
} from './publication.types.js';

/** The public form of publications, their current versions read in one query. */
function publicResults(ctx: HubContext, pubs: Publication[]): Promise<PublicResult[]> {
  return Promise.all(pubs.map(async (p) => publicResult(p, await ctx.loaders.currentVersion(p))));
}

const PublicResultConnection = Connection(PublicResult, 'PublicResult', '公示结果分页列表');

/** The public side: no login, published results only. */
@Resolver(() => PublicResult)
export class PublicResultResolver {
  @Public()
  @Query(() => PublicResultConnection, { description: '公示的抽查结果（无需登录），按公示时间倒序；各条件均可选' })
  async publicResults(
    @Args(() => PublicResultFilter) filter: PublicResultFilter,
    @Args(() => PublicPageArgs) page: PublicPageArgs,
    @Ctx() ctx: HubContext,
  ) {
    const found = await searchPublicResults(
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
    return mapNodes(found, (pubs) => publicResults(ctx, pubs));
  }

  @Public()
  @Query(() => PublicResult, { description: '一条公示的抽查结果（无需登录），含各版本' })
  async publicResult(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<PublicResult> {
    const [result] = await publicResults(ctx, [await getPublicResult(ctx.em, parseId('id', id))]);
    return result;
  }

  @Public()
  @Query(() => PublicFilterOptions, { description: '公示页面的筛选项（无需登录）' })
  async publicFilterOptions(@Ctx() ctx: HubContext): Promise<PublicFilterOptions> {
    const { departments, tasks } = await publicFilterOptions(ctx.em);
    return {
      departments: departments.map((d) => ({ id: String(d.id), name: d.name, planName: null })),
      tasks: tasks.map((t) => ({ id: String(t.id), name: t.name, planName: t.plan.getEntity().name })),
    };
  }

  @FieldResolver(() => [PublicResultVersion], { description: '全部版本（首次公示及每次更正），按时间先后' })
  async versions(@Root() result: PublicResult, @Ctx() ctx: HubContext): Promise<PublicResultVersion[]> {
    return (await ctx.loaders.versions(result.publicationId)).map(versionOf);
  }
}

@Resolver(() => Publication)
export class PublicationResolver {
  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => [Publication], { description: '发起部门公示已办结的检查（可批量；任一项不能公示则全部不公示）' })
  publishInspections(
    @Arg('inspectionIds', () => [ID]) inspectionIds: string[],
    @Arg('idempotencyKey', () => String, { nullable: true, description: '客户端生成的幂等键，重试时保持不变：同一批只公示一次' })
    idempotencyKey: string | null,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Publication[]> {
    return publishInspections(
      ctx.em,
      viewer,
      inspectionIds.map((id) => parseId('inspectionIds', id)),
      idempotencyKey,
    );
  }

  @Query(() => Publication, { description: '按编号读取公示记录（本部门参与的检查）' })
  publication(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<Publication> {
    return getPublication(ctx.em, viewer, parseId('id', id));
  }

  @Query(() => PublicationDueList, { description: '待公示清单：已办结未公示的检查及其公示期限（20 个工作日）' })
  publicationDue(
    @Arg('state', () => DueState, { defaultValue: DueState.ALL, description: '全部、即将到期或已逾期' }) state: DueState,
    @Arg('departmentId', () => ID, { nullable: true, description: '部门（默认本部门；只能查本部门）' })
    departmentId: string | null,
    @Arg('first', () => Int, { defaultValue: 100, description: '最多返回条数' }) first: number,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<PublicationDueList> {
    return publicationDue(ctx.em, viewer, departmentId ? parseId('departmentId', departmentId) : null, state, first);
  }

  @Query(() => PublicationStats, { description: '年度公示率（已公示 ÷ 已办结），按部门和任务' })
  async publicationStats(
    @Arg('year', () => Int, { description: '计划年度' }) year: number,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<PublicationStats> {
    const { departments, tasks } = await publicationStats(ctx.em, viewer, year);
    const deptById = new Map((await ctx.em.find(Department, { id: { $in: departments.map((r) => r.id) } })).map((d) => [d.id, d]));
    const taskById = new Map((await ctx.em.find(Task, { id: { $in: tasks.map((r) => r.id) } })).map((t) => [t.id, t]));
    return {
      departments: departments.map((row) =>
        Object.assign(new DepartmentPublicationRate(), rateOf(row), { department: deptById.get(row.id)! }),
      ),
      tasks: tasks.map((row) => Object.assign(new TaskPublicationRate(), rateOf(row), { task: taskById.get(row.id)! })),
    };
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Correction, { description: '业务人员申请更正已公示的本部门事项结果（须说明理由），由本部门负责人审核' })
  requestCorrection(
    @Arg('publicationId', () => ID) publicationId: string,
    @Arg('reason', () => String, { description: '更正理由' }) reason: string,
    @Arg('items', () => [CorrectionItemInput], { description: '要更正的事项及其新结果' }) items: CorrectionItemInput[],
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Correction> {
    return requestCorrection(
      ctx.em,
      viewer,
      parseId('publicationId', publicationId),
      reason,
      items.map((item, i) => ({
        itemId: parseId(`items[${i}].itemId`, item.itemId),
        results: item.results,
        problemKinds: item.problemKinds,
      })),
    );
  }

  @Authorized(Role.HEAD)
  @Mutation(() => Correction, { description: '申请部门负责人批准（公示新版本，标注“已更正”）或驳回更正申请' })
  decideCorrection(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('approve', () => Boolean, { description: '批准为 true，驳回为 false' }) approve: boolean,
    @Arg('note', () => String, { nullable: true, description: '审核意见（驳回时必填）' }) note: string | null,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Correction> {
    return decideCorrection(ctx.em, viewer, parseId('id', id), version, approve, note);
  }

  @Query(() => [Correction], { description: '更正申请：本部门的（可只看待审核的），或一条公示记录的全部' })
  corrections(
    @Arg('status', () => CorrectionStatus, { nullable: true }) status: CorrectionStatus | null,
    @Arg('publicationId', () => ID, { nullable: true }) publicationId: string | null,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Correction[]> {
    return listCorrections(ctx.em, viewer, status, publicationId ? parseId('publicationId', publicationId) : null);
  }

  @Subscription(() => PublicationChange, {
    description: '公示的实时变化（公示、申请更正、批准、驳回），本部门参与的检查；用 after 续传',
    subscribe: ({ args, context }) => {
      const ctx = context as HubContext;
      const { after } = args as { after?: string };
      return ctx.services.events.stream(
        viewerFilter(viewerIn(ctx), [EventType.PUBLICATION_CHANGED]),
        after ? decodeEventCursor(after) : null,
      );
    },
  })
  async publicationChanged(
    @Root() event: EventRecord<EventType.PUBLICATION_CHANGED>,
    @Arg('after', () => ID, { nullable: true, description: '从该事件之后续传' }) _after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<PublicationChange> {
    const { payload } = event;
    const loaders = loadersForEvent(ctx, event);
    return Object.assign(new PublicationChange(), {
      action: payload.action as PublicationAction,
      publication: await loaders.loadOrFail(Publication, payload.publicationId),
      correction: payload.correctionId ? await loaders.loadOrFail(Correction, payload.correctionId) : null,
      cursor: encodeEventCursor(event),
    });
  }

  @FieldResolver(() => PublicResult, { description: '当前公示的内容（与公众看到的相同）' })
  async record(@Root() pub: Publication, @Ctx() ctx: HubContext): Promise<PublicResult> {
    return publicResult(pub, await ctx.loaders.currentVersion(pub));
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
    return Promise.all(
      correction.changes.map(async (c) =>
        Object.assign(new CorrectionChange(), {
          item: await ctx.loaders.loadOrFail(CheckItem, c.itemId),
          results: c.results,
          problemKinds: c.problemKinds,
          resultText: resultText(c.results, c.problemKinds),
        }),
      ),
    );
  }
}

/** The inspection page asks whether (and how) its visit was published. */
@Resolver(() => Inspection)
export class InspectionPublicationResolver {
  @FieldResolver(() => Publication, { nullable: true, description: '公示记录（尚未公示时为空）' })
  publication(@Root() inspection: Inspection, @Ctx() ctx: HubContext): Promise<Publication | null> {
    return ctx.loaders.publication(inspection.id);
  }

  @FieldResolver(() => String, { nullable: true, description: '公示期限（办结后第 20 个工作日；未办结时为空）' })
  publicationDueOn(@Root() inspection: Inspection): string | null {
    return inspection.completedOn ? publicationDeadline(inspection.completedOn).due : null;
  }
}
