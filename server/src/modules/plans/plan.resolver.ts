import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../graphql/context.js';
import type { Viewer } from '../../core/viewer.js';
import { Connection, PageArgs } from '../../graphql/pagination.js';
import { parseId } from '../../core/ids.js';
import { loadItems, loadRequiredRef } from '../../core/refs.js';
import { CheckItem } from '../checklist/check-item.entity.js';
import { Department, Region } from '../departments/department.entity.js';
import { Industry } from '../registry/industry.entity.js';
import { Role } from '../../core/roles.js';
import { CreatePlanInput, CreateTaskInput, PlanFilterArgs, TaskFilterArgs, UpdateTaskInput } from './plan.inputs.js';
import { PartnershipStatus } from './partnership.entity.js';
import * as authoring from './task-authoring.service.js';
import { User } from '../auth/user.entity.js';
import { Plan } from './plan.entity.js';
import * as plans from './plan.service.js';
import { Task } from './task.entity.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';

const TaskConnection = Connection(Task, 'Task', '抽查任务分页列表');

@ObjectType({ description: '计划原文中的一格' })
class SourceCell {
  @Field(() => String, { description: '表头' })
  header!: string;

  @Field(() => String, { description: '原文' })
  text!: string;
}

@ObjectType({ description: '联合任务的一个配合部门及其确认情况' })
class TaskPartner {
  @Field(() => Department, { description: '配合部门' })
  department!: Department;

  @Field(() => PartnershipStatus, { description: '确认状态' })
  status!: PartnershipStatus;

  @Field(() => Date, { nullable: true, description: '确认或撤回时间' })
  decidedAt!: Date | null;

  decidedById!: number | null;

  @Field(() => String, { nullable: true, description: '撤回理由' })
  reason!: string | null;
}

@Resolver(() => TaskPartner)
export class TaskPartnerResolver {
  @FieldResolver(() => User, { nullable: true, description: '确认或撤回的人' })
  decidedBy(@Root() partner: TaskPartner, @Ctx() ctx: HubContext): Promise<User | null> {
    return partner.decidedById == null ? Promise.resolve(null) : ctx.loaders.load(User, partner.decidedById);
  }
}

@Resolver(() => Plan)
export class PlanResolver {
  @Query(() => [Plan], { description: '年度抽查工作计划：本部门的，以及含本部门配合任务的' })
  plans(@Args(() => PlanFilterArgs) filter: PlanFilterArgs, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<Plan[]> {
    return plans.listPlans(ctx.em, viewer, filter);
  }

  @Query(() => Plan, { description: '按 id 读取计划' })
  plan(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<Plan> {
    return plans.getPlan(ctx.em, viewer, parseId('id', id));
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Plan, { description: '新建本部门的年度计划（草稿）' })
  createPlan(
    @Arg('input', () => CreatePlanInput) input: CreatePlanInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Plan> {
    return authoring.createPlan(ctx.em, viewer, input);
  }

  @Authorized(Role.HEAD)
  @Mutation(() => Plan, { description: '部门负责人批准本部门的计划（草稿 → 已批准）；联合任务须各配合部门已确认或已撤回' })
  approvePlan(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<Plan> {
    return plans.approvePlan(ctx.em, viewer, parseId('id', id));
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Plan, { description: '设定本部门计划的抽取见证规则：揭示前至少需要的见证人数，及是否须有发起部门以外的见证人' })
  setPlanWitnessRule(
    @Arg('id', () => ID) id: string,
    @Arg('witnessesRequired', () => Int, { description: '至少需要的见证人随机串数（1–9）' }) witnessesRequired: number,
    @Arg('fromOtherDepartment', () => Boolean, { description: '是否要求至少一名发起部门以外的见证人' }) fromOtherDepartment: boolean,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Plan> {
    return plans.setPlanWitnessRule(ctx.em, viewer, parseId('id', id), witnessesRequired, fromOtherDepartment);
  }

  @FieldResolver(() => Department, { description: '制定计划的部门' })
  department(@Root() plan: Plan): Promise<Department> {
    return loadRequiredRef(plan.department);
  }

  @FieldResolver(() => Boolean, { description: '当前用户能否在该计划中新增、修改、删除任务（本部门业务人员或负责人，且计划为草稿）' })
  viewerCanEdit(@Root() plan: Plan, @CurrentViewer() viewer: Viewer): boolean {
    return authoring.canEditPlan(viewer, plan);
  }

  @FieldResolver(() => Boolean, { description: '当前用户能否批准该计划（本部门负责人，且计划为草稿）' })
  viewerCanApprove(@Root() plan: Plan, @CurrentViewer() viewer: Viewer): boolean {
    return plans.canApprovePlan(viewer, plan);
  }

  @FieldResolver(() => [Task], { description: '本人可见的任务（配合部门只看到本部门参与的任务）' })
  tasks(@Root() plan: Plan, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<Task[]> {
    return plans.tasksOfPlan(ctx.em, viewer, plan.id);
  }
}

@Resolver(() => Task)
export class TaskResolver {
  @Query(() => TaskConnection, { description: '抽查任务（本部门发起或配合的）' })
  tasks(
    @Args(() => TaskFilterArgs) filter: TaskFilterArgs,
    @Args(() => PageArgs) page: PageArgs,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ) {
    return plans.listTasks(ctx.em, viewer, filter, page);
  }

  @Query(() => Task, { description: '按 id 读取抽查任务' })
  task(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<Task> {
    return plans.getTask(ctx.em, viewer, parseId('id', id));
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Task, { description: '修改草稿计划中的抽查任务（发起部门）；配合部门实时收到 TASK_UPDATED 事件；已批准的计划不能修改' })
  updateTask(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateTaskInput) input: UpdateTaskInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Task> {
    return authoring.updateTask(ctx.em, viewer, parseId('id', id), input);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Task, { description: '在本部门的草稿计划中新增抽查任务；配合部门实时收到，待其确认联合事项' })
  createTask(
    @Arg('planId', () => ID) planId: string,
    @Arg('input', () => CreateTaskInput) input: CreateTaskInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Task> {
    return authoring.createTask(ctx.em, viewer, parseId('planId', planId), input);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Boolean, { description: '删除草稿计划中的抽查任务（已开启过抽取的不能删除）' })
  deleteTask(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    return authoring.deleteTask(ctx.em, viewer, parseId('id', id));
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Task, { description: '联合事项确认：配合部门选定本部门在该联合任务中的检查事项' })
  confirmTaskPartnership(
    @Arg('taskId', () => ID) taskId: string,
    @Arg('itemIds', () => [ID], { description: '本部门的检查事项' }) itemIds: string[],
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Task> {
    return authoring.confirmTaskPartnership(ctx.em, viewer, parseId('taskId', taskId), itemIds);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Task, { description: '发起部门撤回一个配合部门（须说明理由），其检查事项随之移出' })
  withdrawTaskPartner(
    @Arg('taskId', () => ID) taskId: string,
    @Arg('departmentId', () => ID) departmentId: string,
    @Arg('reason', () => String) reason: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Task> {
    return authoring.withdrawTaskPartner(ctx.em, viewer, parseId('taskId', taskId), parseId('departmentId', departmentId), reason);
  }

  @Query(() => [Task], { description: '待本部门确认的联合任务（草稿计划中）' })
  pendingPartnerships(@CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<Task[]> {
    return authoring.pendingPartnerships(ctx.em, viewer);
  }

  @FieldResolver(() => [TaskPartner], { description: '各配合部门的确认情况（由公开计划导入的任务视为已确认）' })
  async partnerships(@Root() task: Task, @Ctx() ctx: HubContext): Promise<TaskPartner[]> {
    const rows = await ctx.loaders.taskPartnerships(task.id);
    const partners = await loadItems(task.partnerDepartments);
    const current = partners.map((d) => {
      const row = rows.find((r) => r.department.id === d.id);
      return Object.assign(new TaskPartner(), {
        department: d,
        status: row?.status ?? PartnershipStatus.CONFIRMED,
        decidedAt: row?.decidedAt ?? null,
        decidedById: row?.decidedBy?.id ?? null,
        reason: null,
      });
    });
    const withdrawn = await Promise.all(
      rows
        .filter((r) => r.status === PartnershipStatus.WITHDRAWN)
        .map(async (r) =>
          Object.assign(new TaskPartner(), {
            department: await loadRequiredRef(r.department),
            status: r.status,
            decidedAt: r.decidedAt ?? null,
            decidedById: r.decidedBy?.id ?? null,
            reason: r.reason ?? null,
          }),
        ),
    );
    return [...current, ...withdrawn];
  }

  @FieldResolver(() => Boolean, { description: '当前用户能否修改、删除该任务、撤回配合部门（发起部门的业务人员或负责人，且计划为草稿）' })
  async viewerCanEdit(@Root() task: Task, @CurrentViewer() viewer: Viewer): Promise<boolean> {
    return authoring.canEditPlan(viewer, await loadRequiredRef(task.plan));
  }

  @FieldResolver(() => Plan, { description: '所属计划' })
  plan(@Root() task: Task): Promise<Plan> {
    return loadRequiredRef(task.plan);
  }

  @FieldResolver(() => Department, { description: '发起部门' })
  leadDepartment(@Root() task: Task): Promise<Department> {
    return loadRequiredRef(task.leadDepartment);
  }

  @FieldResolver(() => [Department], { description: '配合部门' })
  partnerDepartments(@Root() task: Task): Promise<Department[]> {
    return loadItems(task.partnerDepartments);
  }

  @FieldResolver(() => [CheckItem], { description: '抽查事项（对应事项清单）' })
  items(@Root() task: Task): Promise<CheckItem[]> {
    return loadItems(task.items);
  }

  @FieldResolver(() => [Industry], { description: '抽查对象范围：行业' })
  scopeIndustries(@Root() task: Task): Promise<Industry[]> {
    return loadItems(task.scopeIndustries);
  }

  @FieldResolver(() => [Region], { description: '抽查对象范围：区域' })
  scopeRegions(@Root() task: Task): Promise<Region[]> {
    return loadItems(task.scopeRegions);
  }

  @FieldResolver(() => [SourceCell], { description: '计划原文（逐格），与解析后的字段并存' })
  source(@Root() task: Task): SourceCell[] {
    return Object.entries(task.sourceText).map(([header, text]) => Object.assign(new SourceCell(), { header, text }));
  }
}
