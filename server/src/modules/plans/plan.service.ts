import { type FilterQuery, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hasRole, isStaffOf, scopeWhere, type Viewer } from '../../core/viewer.js';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { type ConnectionShape, type PageRequest, paginate } from '../../core/paging.js';
import { parseId } from '../../core/ids.js';
import { escapeLike } from '../../core/sql.js';
import { Role } from '../../core/roles.js';
import { emitEvent } from '../events/event.service.js';
import { EventType } from '../events/event-types.js';
import type { PlanFilterArgs, TaskFilterArgs } from './plan.inputs.js';
import { PlanStatus } from './plan.enums.js';
import { Plan } from './plan.entity.js';
import { Task } from './task.entity.js';
import { PartnershipStatus, TaskPartnership } from './partnership.entity.js';

/** A task takes part for its lead and its partners. */
function tasksOf(department: number): FilterQuery<Task> {
  return { $or: [{ leadDepartment: department }, { partnerDepartments: { id: department } }] };
}

/** Tasks in the viewer's scope: its department leads or partners in them. */
export function visibleTasks(viewer: Viewer): FilterQuery<Task> {
  return scopeWhere(viewer, tasksOf);
}

/** Plans in the viewer's scope: its department's, and plans with a task it partners in. */
export function visiblePlans(viewer: Viewer): FilterQuery<Plan> {
  return scopeWhere<Plan>(viewer, (department) => ({ $or: [{ department }, { tasks: { partnerDepartments: { id: department } } }] }));
}

export async function listPlans(em: EntityManager, viewer: Viewer, filter: PlanFilterArgs): Promise<Plan[]> {
  const where: FilterQuery<Plan>[] = [visiblePlans(viewer)];
  if (filter.year != null) where.push({ year: filter.year });
  if (filter.departmentId != null) where.push({ department: parseId('departmentId', filter.departmentId) });
  return em.find(Plan, { $and: where }, { orderBy: { year: 'desc', id: 'asc' } });
}

export async function getPlan(em: EntityManager, viewer: Viewer, id: number): Promise<Plan> {
  const plan = await em.findOne(Plan, { $and: [{ id }, visiblePlans(viewer)] });
  if (plan) return plan;
  if (await em.count(Plan, { id })) throw new ForbiddenError('该计划既不属于本部门，也不含本部门配合的任务');
  throw new NotFoundError('计划', id);
}

/** The tasks of a plan the viewer may read (a partner sees only the joint tasks it is in). */
export async function tasksOfPlan(em: EntityManager, viewer: Viewer, planId: number): Promise<Task[]> {
  return em.find(Task, { $and: [{ plan: planId }, visibleTasks(viewer)] }, { orderBy: { seq: 'asc' } });
}

export async function listTasks(
  em: EntityManager,
  viewer: Viewer,
  filter: TaskFilterArgs,
  page: PageRequest,
): Promise<ConnectionShape<Task>> {
  const where: FilterQuery<Task>[] = [visibleTasks(viewer)];
  if (filter.planId != null) where.push({ plan: parseId('planId', filter.planId) });
  if (filter.year != null) where.push({ plan: { year: filter.year } });
  if (filter.departmentId != null) {
    where.push(tasksOf(parseId('departmentId', filter.departmentId)));
  }
  if (filter.search?.trim()) where.push({ name: { $ilike: `%${escapeLike(filter.search.trim())}%` } });
  return paginate(em, Task, { $and: where }, page);
}

export async function getTask(em: EntityManager, viewer: Viewer, id: number): Promise<Task> {
  const task = await em.findOne(Task, { $and: [{ id }, visibleTasks(viewer)] });
  if (task) return task;
  if (await em.count(Task, { id })) throw new ForbiddenError('本部门既不是该任务的发起部门，也不是配合部门');
  throw new NotFoundError('抽查任务', id);
}

export function checkMonth(field: string, value: number | null | undefined): void {
  if (value != null && (!Number.isInteger(value) || value < 1 || value > 12)) {
    throw new BadInputError(field, '应为 1 到 12 之间的整数');
  }
}

/**
 * The plan's witness rule for its draws (design §4): how many witness strings a reveal needs and
 * whether one must come from a department other than the drawing one. Set by the plan's
 * department; a draw commits to the rule when it opens, so a later change affects later draws only.
 */
export async function setPlanWitnessRule(
  em: EntityManager,
  viewer: Viewer,
  id: number,
  witnessesRequired: number,
  fromOtherDepartment: boolean,
): Promise<Plan> {
  if (!Number.isInteger(witnessesRequired) || witnessesRequired < 1 || witnessesRequired > 9) {
    throw new BadInputError('witnessesRequired', '应为 1 到 9 之间的整数');
  }
  return em.transactional(async (tx) => {
    const plan = await tx.findOne(Plan, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!plan) throw new NotFoundError('计划', id);
    if (!isStaffOf(viewer, plan.department.id)) throw new ForbiddenError('只有本部门的业务人员或负责人可以设定见证规则');
    plan.witnessesRequired = witnessesRequired;
    plan.witnessFromOtherDepartment = fromOtherDepartment;
    await tx.flush();
    await emitEvent(
      tx,
      EventType.PLAN_WITNESS_RULE_SET,
      [plan.department.id],
      { planId: plan.id, witnessesRequired, fromOtherDepartment },
      viewer.userId,
    );
    return plan;
  });
}

/** A HEAD of the plan's department approves a draft plan; every department in its tasks is told. */
/** A plan is approved by a HEAD of its department. */
function isHeadOfPlan(viewer: Viewer, plan: Plan): boolean {
  return plan.department.id === viewer.departmentId && hasRole(viewer, Role.HEAD);
}

/** Whether the viewer may approve the plan now (pending partners are the server's refusal to show). */
export function canApprovePlan(viewer: Viewer, plan: Plan): boolean {
  return plan.status === PlanStatus.DRAFT && isHeadOfPlan(viewer, plan);
}

export async function approvePlan(em: EntityManager, viewer: Viewer, id: number): Promise<Plan> {
  return em.transactional(async (tx) => {
    const plan = await tx.findOne(Plan, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!plan) throw new NotFoundError('计划', id);
    if (!isHeadOfPlan(viewer, plan)) throw new ForbiddenError('只有本部门负责人可以批准计划');
    if (plan.status !== PlanStatus.DRAFT) throw new ConflictError('计划已批准，不能重复批准');
    // 联合事项确认: every partner of a hand-written joint task has confirmed, or the lead withdrew it.
    const pending = await tx.find(
      TaskPartnership,
      { task: { plan: plan.id }, status: PartnershipStatus.PENDING },
      { populate: ['task', 'department'] },
    );
    if (pending.length) {
      throw new ConflictError(
        `还有配合部门未确认联合事项：${pending.map((p) => `任务 ${p.task.getEntity().seq}（${p.department.getEntity().name}）`).join('、')}；请等待确认或撤回该配合部门（说明理由）`,
        { rule: 'PARTNERS_PENDING' },
      );
    }
    plan.status = PlanStatus.APPROVED;
    plan.approvedAt = new Date();
    const tasks = await tx.find(Task, { plan }, { populate: ['partnerDepartments'] });
    await tx.flush();
    const involved = tasks.flatMap((t) => [t.leadDepartment.id, ...t.partnerDepartments.getItems().map((d) => d.id)]);
    await emitEvent(
      tx,
      EventType.PLAN_APPROVED,
      [plan.department.id, ...involved],
      {
        planId: plan.id,
        year: plan.year,
        departmentId: plan.department.id,
      },
      viewer.userId,
    );
    return plan;
  });
}
