import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { HubContext } from '../../graphql/context.js';
import { BadInputError } from '../../core/errors.js';
import { parseId } from '../../core/ids.js';
import { Connection, PageArgs } from '../../graphql/pagination.js';
import { loadRequiredRef } from '../../core/refs.js';
import { Role } from '../../core/roles.js';
import { CheckItem } from '../checklist/check-item.entity.js';
import { Department } from '../departments/department.entity.js';
import { amendmentRefusal } from '../draws/amend.service.js';
import { Draw } from '../draws/draw.entity.js';
import { decodeEventCursor, viewerFilter } from '../events/event.service.js';
import { loadersForEvent } from '../../graphql/live.js';
import { EventType, type EventRecord } from '../events/event-types.js';
import { Task } from '../plans/task.entity.js';
import { Enterprise } from '../registry/enterprise.entity.js';
import { Officer } from '../registry/officer.entity.js';
import { Finding } from './finding.entity.js';
import { FindingInput, InspectionFilterArgs } from './inspection.inputs.js';
import { Inspection } from './inspection.entity.js';
import * as inspections from './inspection.service.js';
import { CurrentViewer, viewerIn } from '../../graphql/current-viewer.js';
import { inScope, type Viewer } from '../../core/viewer.js';

const InspectionConnection = Connection(Inspection, 'Inspection', '检查分页列表');

// A team amendment changes the visit's team, evidence its record: its pages and lists reload like any other change.
const INSPECTION_EVENTS = [
  EventType.INSPECTION_UPDATED,
  EventType.FINDING_RECORDED,
  EventType.DRAW_TEAM_AMENDED,
  EventType.EVIDENCE_CHANGED,
] as const;
type InspectionEvent = (typeof INSPECTION_EVENTS)[number];

@Resolver(() => Inspection)
export class InspectionResolver {
  @Query(() => InspectionConnection, { description: '本部门参与的检查；执法人员可只看派给自己的（我的检查）' })
  inspections(
    @Args(() => InspectionFilterArgs) filter: InspectionFilterArgs,
    @Args(() => PageArgs) page: PageArgs,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ) {
    return inspections.listInspections(ctx.em, viewer, filter, page);
  }

  @Query(() => Inspection, { description: '按编号读取检查（参与部门；收到该检查问题线索移送的部门只读）' })
  inspection(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<Inspection> {
    return inspections.readInspection(ctx.em, viewer, parseId('id', id));
  }

  @Authorized(Role.STAFF, Role.HEAD, Role.OFFICER)
  @Mutation(() => Inspection, { description: '登记与企业约定的检查时间（双预约）' })
  scheduleInspection(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('scheduledAt', () => Date, { description: '约定的检查时间（2000 年到 2100 年之间）' }) scheduledAt: Date,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Inspection> {
    return inspections.scheduleInspection(ctx.em, viewer, parseId('id', id), version, scheduledAt);
  }

  @Authorized(Role.OFFICER)
  @Mutation(() => Inspection, { description: '检查组成员开始检查（已派员 → 检查中）' })
  startInspection(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Inspection> {
    return inspections.startInspection(ctx.em, viewer, parseId('id', id), version);
  }

  @Authorized(Role.OFFICER)
  @Mutation(() => Finding, { description: '执法人员录入本部门一项检查事项的结果；其他部门实时收到 findingRecorded' })
  recordFinding(
    @Arg('inspectionId', () => ID) inspectionId: string,
    @Arg('itemId', () => ID) itemId: string,
    @Arg('input', () => FindingInput) input: FindingInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Finding> {
    return inspections.recordFinding(ctx.em, viewer, parseId('inspectionId', inspectionId), parseId('itemId', itemId), input);
  }

  @Authorized(Role.STAFF, Role.HEAD, Role.OFFICER)
  @Mutation(() => Inspection, { description: '发起部门提交检查（每项事项都已录入结果）' })
  submitInspection(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Inspection> {
    return inspections.submitInspection(ctx.em, viewer, parseId('id', id), version);
  }

  // finaliseInspection is in records/record.resolver.ts: finalising also makes the signed record.

  @Authorized(Role.HEAD)
  @Mutation(() => Inspection, { description: '发起部门负责人将已提交的检查退回检查组修改（附退回意见），状态回到检查中' })
  returnInspection(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('comment', () => String, { description: '退回意见（检查组可见）' }) comment: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Inspection> {
    return inspections.returnInspection(ctx.em, viewer, parseId('id', id), version, comment);
  }

  @Subscription(() => Inspection, {
    description: '检查的实时变化（状态、预约、录入结果），载荷与变更操作返回的检查相同；可按检查、任务或部门筛选，用 after 续传',
    subscribe: ({ args, context }) => {
      const ctx = context as HubContext;
      const { inspectionId, taskId, departmentId, after } = args as {
        inspectionId?: string;
        taskId?: string;
        departmentId?: string;
        after?: string;
      };
      const inspection = inspectionId ? parseId('inspectionId', inspectionId) : null;
      const task = taskId ? parseId('taskId', taskId) : null;
      const department = departmentId ? parseId('departmentId', departmentId) : null;
      const filter = viewerFilter(
        viewerIn(ctx),
        [...INSPECTION_EVENTS],
        (e) => (inspection === null || e.payload.inspectionId === inspection) && (task === null || e.payload.taskIds.includes(task)),
      );
      // A department filter narrows what the viewer may see; it never widens it.
      if (department !== null && filter.departmentId !== null && department !== filter.departmentId)
        throw new BadInputError('departmentId', '只能按本部门筛选');
      return ctx.services.events.stream(
        { ...filter, departmentId: department ?? filter.departmentId },
        after ? decodeEventCursor(after) : null,
      );
    },
  })
  inspectionUpdated(
    @Root() event: EventRecord<InspectionEvent>,
    @Arg('inspectionId', () => ID, { nullable: true, description: '只看这项检查' }) _inspectionId: string | null,
    @Arg('taskId', () => ID, { nullable: true, description: '只看这项任务的检查' }) _taskId: string | null,
    @Arg('departmentId', () => ID, { nullable: true, description: '只看该部门参与的检查' }) _departmentId: string | null,
    @Arg('after', () => ID, { nullable: true, description: '从该事件之后续传' }) _after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<Inspection> {
    return loadersForEvent(ctx, event).loadOrFail(Inspection, event.payload.inspectionId);
  }

  @Subscription(() => Finding, {
    description: '一项检查中新录入或修改的检查结果（各部门实时可见），载荷与 recordFinding 返回的相同',
    subscribe: async ({ args, context }) => {
      const ctx = context as HubContext;
      const { inspectionId, after } = args as { inspectionId: string; after?: string };
      const id = parseId('inspectionId', inspectionId);
      await inspections.readInspection(ctx.em, viewerIn(ctx), id);
      return ctx.services.events.stream(
        viewerFilter(viewerIn(ctx), [EventType.FINDING_RECORDED], (e) => e.payload.inspectionId === id),
        after ? decodeEventCursor(after) : null,
      );
    },
  })
  findingRecorded(
    @Root() event: EventRecord<EventType.FINDING_RECORDED>,
    @Arg('inspectionId', () => ID) _inspectionId: string,
    @Arg('after', () => ID, { nullable: true, description: '从该事件之后续传' }) _after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<Finding> {
    return loadersForEvent(ctx, event).loadOrFail(Finding, event.payload.findingId);
  }

  @FieldResolver(() => Enterprise, { description: '被检查企业' })
  enterprise(@Root() inspection: Inspection, @Ctx() ctx: HubContext): Promise<Enterprise> {
    return ctx.loaders.loadOrFail(Enterprise, inspection.enterprise.id);
  }

  @FieldResolver(() => [Officer], { description: '检查组（执法人员）' })
  officers(@Root() inspection: Inspection, @Ctx() ctx: HubContext): Promise<Officer[]> {
    return ctx.loaders.linked(Inspection, 'officers', inspection.id);
  }

  @FieldResolver(() => [CheckItem], { description: '本次上门检查的全部事项（各部门）' })
  items(@Root() inspection: Inspection, @Ctx() ctx: HubContext): Promise<CheckItem[]> {
    return ctx.loaders.linked(Inspection, 'items', inspection.id);
  }

  @FieldResolver(() => [Task], { description: '抽中该企业的任务' })
  tasks(@Root() inspection: Inspection, @Ctx() ctx: HubContext): Promise<Task[]> {
    return ctx.loaders.linked(Inspection, 'tasks', inspection.id);
  }

  @FieldResolver(() => Department, { description: '发起部门' })
  leadDepartment(@Root() inspection: Inspection, @Ctx() ctx: HubContext): Promise<Department> {
    return ctx.loaders.loadOrFail(Department, inspection.leadDepartment.id);
  }

  @FieldResolver(() => [Finding], { description: '已录入的检查结果' })
  findings(@Root() inspection: Inspection, @Ctx() ctx: HubContext): Promise<Finding[]> {
    return ctx.loaders.findings(inspection.id);
  }

  @FieldResolver(() => [ID], { description: '当前用户现在可以录入结果的事项（本部门的，或市抽县查时所对应市级部门的）' })
  async viewerRecordableItemIds(
    @Root() inspection: Inspection,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<string[]> {
    const [items, team, recorder] = await Promise.all([
      ctx.loaders.linked<CheckItem>(Inspection, 'items', inspection.id),
      teamIds(inspection, ctx),
      recorderOf(viewer, ctx),
    ]);
    return items
      .filter((item) => !inspections.recordingRefusal(viewer, inspection, team, recorder, item.department.id))
      .map((item) => String(item.id));
  }

  @FieldResolver(() => Boolean, { description: '当前用户可否登记预约时间' })
  async viewerCanSchedule(@Root() inspection: Inspection, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    return inspections.inspectionCapabilities(viewer, inspection, await teamIds(inspection, ctx)).canSchedule;
  }

  @FieldResolver(() => Boolean, { description: '当前用户可否开始检查' })
  async viewerCanStart(@Root() inspection: Inspection, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    return inspections.inspectionCapabilities(viewer, inspection, await teamIds(inspection, ctx)).canStart;
  }

  @FieldResolver(() => Boolean, { description: '当前用户可否提交检查（每项事项都录入结果后才会成功）' })
  async viewerCanSubmit(@Root() inspection: Inspection, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    return inspections.inspectionCapabilities(viewer, inspection, await teamIds(inspection, ctx)).canSubmit;
  }

  @FieldResolver(() => Boolean, { description: '当前用户可否按抽取规则更换检查组人员（发起部门，检查开始前）' })
  async viewerCanAmendTeam(@Root() inspection: Inspection, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    return !amendmentRefusal(viewer, await ctx.loaders.loadOrFail(Draw, inspection.draw.id), inspection);
  }

  @FieldResolver(() => Boolean, { description: '当前用户的部门是否参与该检查（否：因收到其问题线索移送而只读）' })
  viewerTakesPart(@Root() inspection: Inspection, @CurrentViewer() viewer: Viewer): boolean {
    return inScope(viewer, inspection.departmentIds);
  }

  @FieldResolver(() => Boolean, { description: '当前用户可否退回检查（发起部门负责人，已提交时）' })
  async viewerCanReturn(@Root() inspection: Inspection, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    return inspections.inspectionCapabilities(viewer, inspection, await teamIds(inspection, ctx)).canReturn;
  }

  @FieldResolver(() => Boolean, { description: '当前用户可否办结检查' })
  async viewerCanFinalise(@Root() inspection: Inspection, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    return inspections.inspectionCapabilities(viewer, inspection, await teamIds(inspection, ctx)).canFinalise;
  }
}

async function teamIds(inspection: Inspection, ctx: HubContext): Promise<number[]> {
  return (await ctx.loaders.linked<Officer>(Inspection, 'officers', inspection.id)).map((o) => o.id);
}

/** The viewer's officer record's department (and its city department under 市抽县查), through the loaders. */
async function recorderOf(viewer: Viewer, ctx: HubContext): Promise<inspections.RecorderDepartment | null> {
  const officer = viewer.officerId === null ? null : await ctx.loaders.load(Officer, viewer.officerId);
  if (!officer) return null;
  const department = await ctx.loaders.loadOrFail(Department, officer.department.id);
  return { id: department.id, parentId: department.parent?.id ?? null };
}

@Resolver(() => Finding)
export class FindingResolver {
  @FieldResolver(() => CheckItem, { description: '检查事项' })
  item(@Root() finding: Finding, @Ctx() ctx: HubContext): Promise<CheckItem> {
    return ctx.loaders.loadOrFail(CheckItem, finding.item.id);
  }

  @FieldResolver(() => Department, { description: '录入部门' })
  department(@Root() finding: Finding, @Ctx() ctx: HubContext): Promise<Department> {
    return ctx.loaders.loadOrFail(Department, finding.department.id);
  }

  @FieldResolver(() => Officer, { description: '录入的执法人员' })
  officer(@Root() finding: Finding, @Ctx() ctx: HubContext): Promise<Officer> {
    return ctx.loaders.loadOrFail(Officer, finding.officer.id);
  }

  @FieldResolver(() => Inspection, { description: '所属检查' })
  inspection(@Root() finding: Finding): Promise<Inspection> {
    return loadRequiredRef(finding.inspection);
  }
}
