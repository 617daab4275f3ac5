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
import { PlanFilterArgs, TaskFilterArgs, UpdateTaskInput } from './plan.inputs.js';
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

  @Authorized(Role.HEAD)
  @Mutation(() => Plan, { description: '部门负责人批准本部门的计划（草稿 → 已批准）' })
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
  @Mutation(() => Task, { description: '修改抽查任务（发起部门）；配合部门实时收到 TASK_UPDATED 事件' })
  updateTask(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateTaskInput) input: UpdateTaskInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Task> {
    return plans.updateTask(ctx.em, viewer, parseId('id', id), input);
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
