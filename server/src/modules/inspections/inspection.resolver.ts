import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { HubContext } from '../../graphql/context.js';
import { BadInputError } from '../../graphql/errors.js';
import { parseId } from '../../graphql/ids.js';
import { Connection, PageArgs } from '../../graphql/pagination.js';
import { loadItems, loadRequiredRef } from '../../shared/refs.js';
import { Role } from '../auth/roles.js';
import { CheckItem } from '../checklist/check-item.entity.js';
import { Department } from '../departments/department.entity.js';
import { decodeEventCursor, viewerFilter, visibilityOf } from '../events/event.service.js';
import { EventType, type EventRecord } from '../events/event-types.js';
import { Task } from '../plans/task.entity.js';
import { Enterprise } from '../registry/enterprise.entity.js';
import { Officer } from '../registry/officer.entity.js';
import { Finding } from './finding.entity.js';
import { FindingInput, InspectionFilterArgs } from './inspection.inputs.js';
import { Inspection } from './inspection.entity.js';
import * as inspections from './inspection.service.js';

const InspectionConnection = Connection(Inspection, 'Inspection', '检查分页列表');

type InspectionPayload = { inspectionId: number; taskIds: number[] };

@Resolver(() => Inspection)
export class InspectionResolver {
  @Query(() => InspectionConnection, { description: '本部门参与的检查；执法人员可只看派给自己的（我的检查）' })
  inspections(@Args(() => InspectionFilterArgs) filter: InspectionFilterArgs, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: HubContext) {
    return inspections.listInspections(ctx.em, ctx.viewer!, filter, page);
  }

  @Query(() => Inspection, { description: '按编号读取检查' })
  inspection(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<Inspection> {
    return inspections.getInspection(ctx.em, ctx.viewer!, parseId('id', id));
  }

  @Authorized(Role.STAFF, Role.HEAD, Role.OFFICER)
  @Mutation(() => Inspection, { description: '登记与企业约定的检查时间（双预约）' })
  scheduleInspection(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('scheduledAt', () => Date) scheduledAt: Date,
    @Ctx() ctx: HubContext,
  ): Promise<Inspection> {
    return inspections.scheduleInspection(ctx.em, ctx.viewer!, parseId('id', id), version, scheduledAt);
  }

  @Authorized(Role.OFFICER)
  @Mutation(() => Inspection, { description: '检查组成员开始检查（已派员 → 检查中）' })
  startInspection(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() ctx: HubContext): Promise<Inspection> {
    return inspections.startInspection(ctx.em, ctx.viewer!, parseId('id', id), version);
  }

  @Authorized(Role.OFFICER)
  @Mutation(() => Finding, { description: '执法人员录入本部门一项检查事项的结果；其他部门实时收到 findingRecorded' })
  recordFinding(
    @Arg('inspectionId', () => ID) inspectionId: string,
    @Arg('itemId', () => ID) itemId: string,
    @Arg('input', () => FindingInput) input: FindingInput,
    @Ctx() ctx: HubContext,
  ): Promise<Finding> {
    return inspections.recordFinding(ctx.em, ctx.viewer!, parseId('inspectionId', inspectionId), parseId('itemId', itemId), input);
  }

  @Authorized(Role.STAFF, Role.HEAD, Role.OFFICER)
  @Mutation(() => Inspection, { description: '发起部门提交检查（每项事项都已录入结果）' })
  submitInspection(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() ctx: HubContext): Promise<Inspection> {
    return inspections.submitInspection(ctx.em, ctx.viewer!, parseId('id', id), version);
  }

  @Authorized(Role.HEAD)
  @Mutation(() => Inspection, { description: '发起部门负责人办结检查；此后结果不再改变' })
  finaliseInspection(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() ctx: HubContext): Promise<Inspection> {
    return inspections.finaliseInspection(ctx.em, ctx.viewer!, parseId('id', id), version);
  }

  @Subscription(() => Inspection, {
    description: '检查的实时变化（状态、预约、录入结果），载荷与变更操作返回的检查相同；可按检查、任务或部门筛选，用 after 续传',
    subscribe: ({ args, context }) => {
      const ctx = context as HubContext;
      const { inspectionId, taskId, departmentId, after } = args as { inspectionId?: string; taskId?: string; departmentId?: string; after?: string };
      const inspection = inspectionId ? parseId('inspectionId', inspectionId) : null;
      const task = taskId ? parseId('taskId', taskId) : null;
      const department = departmentId ? parseId('departmentId', departmentId) : null;
      const scope = visibilityOf(ctx.viewer!);
      // A department filter narrows what the viewer may see; it never widens it.
      if (department !== null && scope !== null && department !== scope) throw new BadInputError('departmentId', '只能按本部门筛选');
      return ctx.services.events.stream(
        {
          departmentId: department ?? scope,
          types: [EventType.INSPECTION_UPDATED, EventType.FINDING_RECORDED],
          expiresAt: ctx.viewer!.expiresAt,
          match: (e) => {
            const p = e.payload as InspectionPayload;
            return (inspection === null || p.inspectionId === inspection) && (task === null || p.taskIds.includes(task));
          },
        },
        after ? decodeEventCursor(after) : null,
      );
    },
  })
  async inspectionUpdated(
    @Root() event: EventRecord,
    @Arg('inspectionId', () => ID, { nullable: true, description: '只看这项检查' }) _inspectionId: string | null,
    @Arg('taskId', () => ID, { nullable: true, description: '只看这项任务的检查' }) _taskId: string | null,
    @Arg('departmentId', () => ID, { nullable: true, description: '只看该部门参与的检查' }) _departmentId: string | null,
    @Arg('after', () => ID, { nullable: true, description: '从该事件之后续传' }) _after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<Inspection> {
    return ctx.em.fork().findOneOrFail(Inspection, { id: (event.payload as InspectionPayload).inspectionId });
  }

  @Subscription(() => Finding, {
    description: '一项检查中新录入或修改的检查结果（各部门实时可见），载荷与 recordFinding 返回的相同',
    subscribe: async ({ args, context }) => {
      const ctx = context as HubContext;
      const { inspectionId, after } = args as { inspectionId: string; after?: string };
      const id = parseId('inspectionId', inspectionId);
      await inspections.getInspection(ctx.em, ctx.viewer!, id);
      return ctx.services.events.stream(
        viewerFilter(ctx.viewer!, [EventType.FINDING_RECORDED], (e) => (e.payload as InspectionPayload).inspectionId === id),
        after ? decodeEventCursor(after) : null,
      );
    },
  })
  findingRecorded(
    @Root() event: EventRecord,
    @Arg('inspectionId', () => ID) _inspectionId: string,
    @Arg('after', () => ID, { nullable: true, description: '从该事件之后续传' }) _after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<Finding> {
    return ctx.em.fork().findOneOrFail(Finding, { id: (event.payload as { findingId: number }).findingId });
  }

  @FieldResolver(() => Enterprise, { description: '被检查企业' })
  enterprise(@Root() inspection: Inspection): Promise<Enterprise> {
    return loadRequiredRef(inspection.enterprise);
  }

  @FieldResolver(() => [Officer], { description: '检查组（执法人员）' })
  officers(@Root() inspection: Inspection): Promise<Officer[]> {
    return loadItems(inspection.officers);
  }

  @FieldResolver(() => [CheckItem], { description: '本次上门检查的全部事项（各部门）' })
  items(@Root() inspection: Inspection): Promise<CheckItem[]> {
    return loadItems(inspection.items);
  }

  @FieldResolver(() => [Task], { description: '抽中该企业的任务' })
  tasks(@Root() inspection: Inspection): Promise<Task[]> {
    return loadItems(inspection.tasks);
  }

  @FieldResolver(() => Department, { description: '发起部门' })
  leadDepartment(@Root() inspection: Inspection): Promise<Department> {
    return loadRequiredRef(inspection.leadDepartment);
  }

  @FieldResolver(() => [Finding], { description: '已录入的检查结果' })
  findings(@Root() inspection: Inspection, @Ctx() ctx: HubContext): Promise<Finding[]> {
    return ctx.em.find(Finding, { inspection: inspection.id }, { orderBy: { id: 'asc' } });
  }
}

@Resolver(() => Finding)
export class FindingResolver {
  @FieldResolver(() => CheckItem, { description: '检查事项' })
  item(@Root() finding: Finding): Promise<CheckItem> {
    return loadRequiredRef(finding.item);
  }

  @FieldResolver(() => Department, { description: '录入部门' })
  department(@Root() finding: Finding): Promise<Department> {
    return loadRequiredRef(finding.department);
  }

  @FieldResolver(() => Officer, { description: '录入的执法人员' })
  officer(@Root() finding: Finding): Promise<Officer> {
    return loadRequiredRef(finding.officer);
  }

  @FieldResolver(() => Inspection, { description: '所属检查' })
  inspection(@Root() finding: Finding): Promise<Inspection> {
    return loadRequiredRef(finding.inspection);
  }
}
