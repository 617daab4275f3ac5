import { LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ChangeSet } from '../../core/change-set.js';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { parseIds } from '../../core/ids.js';
import { loadItems } from '../../core/refs.js';
import { isStaffOf, type Viewer } from '../../core/viewer.js';
import { User } from '../auth/user.entity.js';
import { CheckItem } from '../checklist/check-item.entity.js';
import { Department, Region } from '../departments/department.entity.js';
import { Draw } from '../draws/draw.entity.js';
import { emitEvent } from '../events/event.service.js';
import { EventType } from '../events/event-types.js';
import { Industry } from '../registry/industry.entity.js';
import { RiskClass } from '../registry/registry.enums.js';
import { Plan } from './plan.entity.js';
import { DrawType, Mode, PlanStatus, RatioKind } from './plan.enums.js';
import { checkMonth } from './plan.service.js';
import { PartnershipStatus, TaskPartnership } from './partnership.entity.js';
import { Ratio } from './ratio.embeddable.js';
import { Task } from './task.entity.js';

/**
 * Plans written by hand: a department's clerk creates a draft plan and its tasks with every field
 * of the published tables; each partner department confirms a joint task by choosing its own
 * check items (联合事项确认), or the lead withdraws it with a reason; the head approves only when
 * no partner is pending (plan.service.ts approvePlan).
 */

export interface PlanInput {
  year: number;
  name: string;
  documentNo?: string | null;
}

export interface RatioInput {
  kind: RatioKind;
  percent?: number | null;
  atLeast?: boolean | null;
  count?: number | null;
  perRiskClass?: { riskClass: RiskClass; percent: number }[] | null;
}

export interface TaskInput {
  name: string;
  itemIds: string[];
  scopeText?: string | null;
  scopeIndustryIds?: string[] | null;
  scopeRegionIds?: string[] | null;
  ratio: RatioInput;
  riskStratified?: boolean | null;
  riskRuleText?: string | null;
  frequencyPerYear?: number | null;
  windowFromMonth?: number | null;
  windowToMonth?: number | null;
  modes?: Mode[] | null;
  drawType?: DrawType | null;
  problemYear?: number | null;
  partnerDepartmentIds?: string[] | null;
}

/**
 * 结果运用: a task may draw only the firms with a problem found in an earlier year's visits — a
 * directed (定向) draw by definition. 0 clears it (an update). Returns the draw type to keep.
 */
function checkProblemYear(
  problemYear: number | null | undefined,
  planYear: number,
  drawType: DrawType | null | undefined,
): DrawType | null | undefined {
  if (problemYear == null || problemYear === 0) return drawType;
  if (!Number.isInteger(problemYear) || problemYear < 2000 || problemYear >= planYear) {
    throw new BadInputError('input.problemYear', `应为早于计划年度（${planYear}）的年度`);
  }
  if (drawType === DrawType.UNDIRECTED) throw new BadInputError('input.problemYear', '按问题企业抽取是定向抽查，不能选“不定向”');
  return DrawType.DIRECTED;
}

export async function createPlan(em: EntityManager, viewer: Viewer, input: PlanInput): Promise<Plan> {
  if (!isStaffOf(viewer, viewer.departmentId)) throw new ForbiddenError('只有业务人员或部门负责人可以新建计划');
  const name = input.name?.trim() ?? '';
  if (!name || name.length > 255) throw new BadInputError('input.name', '不能为空，且不超过 255 个字');
  if (!Number.isInteger(input.year) || input.year < 2020 || input.year > 2100)
    throw new BadInputError('input.year', '应为 2020 到 2100 之间的年度');
  const documentNo = input.documentNo?.trim() || undefined;
  if (documentNo && documentNo.length > 64) throw new BadInputError('input.documentNo', '不能超过 64 个字符');
  return em.transactional(async (tx) => {
    if (await tx.count(Plan, { department: viewer.departmentId, year: input.year, name })) {
      throw new ConflictError(`本部门 ${input.year} 年度已有同名计划：${name}`, { field: 'input.name' });
    }
    const plan = new Plan(ref(tx.getReference(Department, viewer.departmentId)), input.year, name);
    plan.documentNo = documentNo;
    tx.persist(plan);
    await tx.flush();
    await emitEvent(
      tx,
      EventType.PLAN_CREATED,
      [viewer.departmentId],
      { planId: plan.id, year: plan.year, departmentId: viewer.departmentId },
      viewer.userId,
    );
    return plan;
  });
}

/** The ratio as the published tables state it, checked; its text written as they would write it. */
function ratioOf(input: RatioInput): Ratio {
  const percent = (field: string, value: number | null | undefined) => {
    if (value == null || !(value > 0 && value <= 100)) throw new BadInputError(field, '应为大于 0、不超过 100 的百分比');
    return value;
  };
  switch (input.kind) {
    case RatioKind.PERCENT: {
      const ratio = new Ratio(RatioKind.PERCENT, '');
      ratio.percent = percent('input.ratio.percent', input.percent);
      ratio.atLeast = input.atLeast ?? false;
      ratio.text = `${ratio.atLeast ? '不低于' : ''}${ratio.percent}%`;
      return ratio;
    }
    case RatioKind.COUNT: {
      if (input.count == null || !Number.isInteger(input.count) || input.count < 1)
        throw new BadInputError('input.ratio.count', '应为正整数（户）');
      const ratio = new Ratio(RatioKind.COUNT, `${input.count}户`);
      ratio.count = input.count;
      return ratio;
    }
    case RatioKind.PER_RISK_CLASS: {
      const rows = input.perRiskClass ?? [];
      if (rows.length === 0) throw new BadInputError('input.ratio.perRiskClass', '请填写各信用风险分类的比例');
      const byClass: Partial<Record<RiskClass, number>> = {};
      for (const [i, row] of rows.entries()) byClass[row.riskClass] = percent(`input.ratio.perRiskClass[${i}].percent`, row.percent);
      const ratio = new Ratio(
        RatioKind.PER_RISK_CLASS,
        Object.entries(byClass)
          .map(([r, p]) => `${r[0]}类${p}%`)
          .join('，'),
      );
      ratio.perRiskClass = byClass;
      return ratio;
    }
    default:
      throw new BadInputError('input.ratio.kind', '手工编写的任务须给出比例、固定户数或各信用风险分类的比例');
  }
}

/** Whether the viewer may add, edit and delete the plan's tasks: its department's STAFF/HEAD, while a draft. */
export function canEditPlan(viewer: Viewer, plan: Plan): boolean {
  return plan.status === PlanStatus.DRAFT && isStaffOf(viewer, plan.department.id);
}

/** A draft plan of the viewer's department, locked; tasks change only while it is a draft. */
async function draftPlan(tx: EntityManager, viewer: Viewer, planId: number, action: string): Promise<Plan> {
  const plan = await tx.findOne(Plan, { id: planId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!plan) throw new NotFoundError('计划', planId);
  if (!isStaffOf(viewer, plan.department.id)) throw new ForbiddenError(`只有制定计划部门的业务人员或负责人可以${action}`);
  if (plan.status !== PlanStatus.DRAFT) throw new ForbiddenError(`计划已批准，不能再${action}`);
  return plan;
}

/** Items of one department, by id, every one of them existing and that department's. */
async function itemsOf(tx: EntityManager, field: string, ids: string[], departmentId: number): Promise<CheckItem[]> {
  const wanted = parseIds(field, ids);
  const items = await tx.find(CheckItem, { id: { $in: wanted } });
  for (const [i, id] of wanted.entries()) {
    const item = items.find((it) => it.id === id);
    if (!item) throw new BadInputError(`${field}[${i}]`, `检查事项不存在：${id}`);
    if (item.department.id !== departmentId) throw new BadInputError(`${field}[${i}]`, `“${item.item}”不是本部门的检查事项`);
    if (item.retiredAt) throw new BadInputError(`${field}[${i}]`, `“${item.item}”已停用`);
  }
  return items;
}

/** The checks that need no database: text lengths, months, frequency and the ratio. */
function checkTaskFields(input: TaskPatch, window: { from?: number | null; to?: number | null }): { name?: string; ratio?: Ratio } {
  let name: string | undefined;
  if (input.name != null) {
    name = input.name.trim();
    if (!name || name.length > 255) throw new BadInputError('input.name', '不能为空，且不超过 255 个字');
  }
  if (input.itemIds != null && input.itemIds.length === 0) throw new BadInputError('input.itemIds', '请选择本部门的检查事项');
  for (const field of ['scopeText', 'riskRuleText'] as const) {
    if ((input[field]?.length ?? 0) > 2000) throw new BadInputError(`input.${field}`, '不能超过 2000 个字');
  }
  checkMonth('input.windowFromMonth', input.windowFromMonth);
  checkMonth('input.windowToMonth', input.windowToMonth);
  if (window.from != null && window.to != null && window.from > window.to) {
    throw new BadInputError('input.windowToMonth', `${window.to}月早于起始月份（${window.from}月）`);
  }
  if (
    input.frequencyPerYear != null &&
    (!Number.isInteger(input.frequencyPerYear) || input.frequencyPerYear < 1 || input.frequencyPerYear > 12)
  ) {
    throw new BadInputError('input.frequencyPerYear', '应为每年 1 到 12 次');
  }
  return { name, ratio: input.ratio ? ratioOf(input.ratio) : undefined };
}

/** Every referenced row exists: industries, regions and partner departments (never the lead). */
async function referencedRows(tx: EntityManager, lead: number, input: TaskPatch) {
  const partnerIds =
    input.partnerDepartmentIds == null ? null : [...new Set(parseIds('input.partnerDepartmentIds', input.partnerDepartmentIds))];
  if (partnerIds?.includes(lead)) throw new BadInputError('input.partnerDepartmentIds', '发起部门不能同时是配合部门');
  const partners = partnerIds ? await tx.find(Department, { id: { $in: partnerIds } }) : null;
  if (partners && partners.length !== partnerIds!.length) throw new BadInputError('input.partnerDepartmentIds', '有部门不存在');
  const industryIds = input.scopeIndustryIds == null ? null : [...new Set(parseIds('input.scopeIndustryIds', input.scopeIndustryIds))];
  const industries = industryIds ? await tx.find(Industry, { id: { $in: industryIds } }) : null;
  if (industries && industries.length !== industryIds!.length) throw new BadInputError('input.scopeIndustryIds', '有行业不存在');
  const regionIds = input.scopeRegionIds == null ? null : [...new Set(parseIds('input.scopeRegionIds', input.scopeRegionIds))];
  const regions = regionIds ? await tx.find(Region, { id: { $in: regionIds } }) : null;
  if (regions && regions.length !== regionIds!.length) throw new BadInputError('input.scopeRegionIds', '有区划不存在');
  const items = input.itemIds == null ? null : await itemsOf(tx, 'input.itemIds', input.itemIds, lead);
  return { partners, industries, regions, items };
}

export async function createTask(em: EntityManager, viewer: Viewer, planId: number, input: TaskInput): Promise<Task> {
  if (input.name == null) throw new BadInputError('input.name', '不能为空');
  if (!input.itemIds?.length) throw new BadInputError('input.itemIds', '请选择本部门的检查事项');
  const { name, ratio } = checkTaskFields(input, { from: input.windowFromMonth, to: input.windowToMonth });
  return em.transactional(async (tx) => {
    const plan = await draftPlan(tx, viewer, planId, '新增任务');
    const drawType = checkProblemYear(input.problemYear, plan.year, input.drawType);
    const lead = plan.department.id;
    const { partners = [], industries, regions, items } = await referencedRows(tx, lead, input);
    const [{ next }] = await tx
      .getConnection()
      .execute<{ next: number }[]>(
        'select coalesce(max(seq), 0) + 1 as next from task where plan_id = ?',
        [plan.id],
        'all',
        tx.getTransactionContext(),
      );
    const task = new Task(ref(plan), Number(next), name!, ref(tx.getReference(Department, lead)), ratio!);
    Object.assign(task, {
      itemsText: items!.map((i) => i.item).join('；'),
      scopeText: input.scopeText?.trim() ?? '',
      riskStratified: input.riskStratified ?? false,
      riskRuleText: input.riskRuleText?.trim() ?? '',
      frequencyPerYear: input.frequencyPerYear ?? undefined,
      windowFromMonth: input.windowFromMonth ?? undefined,
      windowToMonth: input.windowToMonth ?? undefined,
      modes: input.modes?.length ? input.modes : [Mode.CITY_DRAWS_CITY_CHECKS],
      drawType: drawType ?? undefined,
      problemYear: input.problemYear || null,
      joint: (partners ?? []).length > 0,
    });
    task.items.set(items!);
    task.scopeIndustries.set(industries ?? []);
    task.scopeRegions.set(regions ?? []);
    task.partnerDepartments.set(partners ?? []);
    tx.persist(task);
    // Each partner confirms by choosing its own items (confirmTaskPartnership).
    for (const d of partners ?? []) tx.persist(new TaskPartnership(ref(task), ref(d)));
    await tx.flush();
    const partnerIds = (partners ?? []).map((d) => d.id);
    await emitEvent(
      tx,
      EventType.TASK_CREATED,
      [lead, ...partnerIds],
      { taskId: task.id, planId: plan.id, partnerDepartmentIds: partnerIds },
      viewer.userId,
    );
    return task;
  });
}

/** Every field optional: only what is given changes. */
export type TaskPatch = { [K in keyof TaskInput]?: TaskInput[K] | null };

export interface TaskUpdate extends TaskPatch {
  version: number;
}

/**
 * Edits a task of a draft plan (an approved plan is the one the draws follow; it does not change).
 * STAFF or HEAD of the lead; the version read must be current. New partners wait for their
 * confirmation; a partner leaves only through withdrawTaskPartner, with a reason. Everyone on the
 * task, before and after, sees a TASK_UPDATED event with the changed fields.
 */
export async function updateTask(em: EntityManager, viewer: Viewer, id: number, input: TaskUpdate): Promise<Task> {
  return em.transactional(async (tx) => {
    const task = await tx.findOne(Task, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['partnerDepartments', 'items'] });
    if (!task) throw new NotFoundError('抽查任务', id);
    if (!isStaffOf(viewer, task.leadDepartment.id)) throw new ForbiddenError('只有发起部门的业务人员或负责人可以修改抽查任务');
    const plan = await draftPlan(tx, viewer, task.plan.id, '修改任务');
    if (input.version !== task.version) {
      throw new ConflictError(`任务已被他人修改（当前版本 ${task.version}，提交的版本 ${input.version}），请刷新后重试`, {
        currentVersion: task.version,
      });
    }
    const { name, ratio } = checkTaskFields(input, {
      from: input.windowFromMonth ?? task.windowFromMonth,
      to: input.windowToMonth ?? task.windowToMonth,
    });
    const lead = task.leadDepartment.id;
    const { partners, industries, regions, items } = await referencedRows(tx, lead, input);
    const before = task.partnerDepartments.getItems().map((d) => d.id);
    if (partners) {
      const dropped = before.filter((d) => !partners.some((p) => p.id === d));
      if (dropped.length) throw new BadInputError('input.partnerDepartmentIds', '移出配合部门请使用“撤回”，并说明理由');
    }

    const set = new ChangeSet<Task>(task);
    const changes = set.changes;
    if (name != null) set.put('name', name);
    if (input.scopeText != null) set.put('scopeText', input.scopeText.trim());
    if (input.riskRuleText != null) set.put('riskRuleText', input.riskRuleText.trim());
    if (input.riskStratified != null) set.put('riskStratified', input.riskStratified);
    if (input.frequencyPerYear != null) set.put('frequencyPerYear', input.frequencyPerYear);
    if (input.windowFromMonth != null) set.put('windowFromMonth', input.windowFromMonth);
    if (input.windowToMonth != null) set.put('windowToMonth', input.windowToMonth);
    if (input.modes?.length) set.put('modes', input.modes);
    const problemYear = input.problemYear == null ? task.problemYear : input.problemYear || null;
    const drawType = checkProblemYear(problemYear, plan.year, input.drawType ?? task.drawType);
    if (input.problemYear != null) set.put('problemYear', problemYear);
    if (drawType != null && drawType !== task.drawType) set.put('drawType', drawType);
    if (ratio) set.put('ratio', ratio, ratio.text);
    const idsOf = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);
    const sameIds = (a: { id: number }[], b: { id: number }[]) => idsOf(a).join() === idsOf(b).join();
    if (items) {
      const own = task.items.getItems().filter((i) => i.department.id === lead);
      if (!sameIds(own, items)) {
        task.items.set([...task.items.getItems().filter((i) => i.department.id !== lead), ...items]);
        task.itemsText = items.map((i) => i.item).join('；');
        changes.itemIds = idsOf(items);
      }
    }
    if (industries && !sameIds(await loadItems(task.scopeIndustries), industries)) {
      task.scopeIndustries.set(industries);
      changes.scopeIndustryIds = idsOf(industries);
    }
    if (regions && !sameIds(await loadItems(task.scopeRegions), regions)) {
      task.scopeRegions.set(regions);
      changes.scopeRegionIds = idsOf(regions);
    }
    const added = (partners ?? []).filter((p) => !before.includes(p.id));
    if (added.length) {
      for (const d of added) {
        task.partnerDepartments.add(d);
        await tx.nativeDelete(TaskPartnership, { task: task.id, department: d.id });
        tx.persist(new TaskPartnership(ref(task), ref(d)));
      }
      task.joint = true;
      changes.partnerDepartmentIds = [...before, ...added.map((d) => d.id)];
    }
    if (set.empty) return task;

    await tx.flush();
    await emitEvent(
      tx,
      EventType.TASK_UPDATED,
      [lead, ...before, ...added.map((d) => d.id)],
      { taskId: task.id, planId: task.plan.id, version: task.version, changes },
      viewer.userId,
    );
    return task;
  });
}

/** A draft plan's task goes; one already drawn stays (its draws and visits refer to it). */
export async function deleteTask(em: EntityManager, viewer: Viewer, id: number): Promise<boolean> {
  return em.transactional(async (tx) => {
    const task = await tx.findOne(Task, { id }, { populate: ['partnerDepartments'] });
    if (!task) throw new NotFoundError('抽查任务', id);
    const plan = await draftPlan(tx, viewer, task.plan.id, '删除任务');
    if (await tx.count(Draw, { tasks: task.id })) throw new ConflictError(`任务“${task.name}”已开启过抽取，不能删除`);
    const departments = [plan.department.id, ...task.partnerDepartments.getItems().map((d) => d.id)];
    await tx.nativeDelete(TaskPartnership, { task: task.id });
    tx.remove(task);
    await tx.flush();
    await emitEvent(tx, EventType.TASK_DELETED, departments, { taskId: id, planId: plan.id, name: task.name }, viewer.userId);
    return true;
  });
}

async function partnershipOf(tx: EntityManager, taskId: number, departmentId: number) {
  const task = await tx.findOne(Task, { id: taskId }, { populate: ['partnerDepartments', 'items'] });
  if (!task) throw new NotFoundError('抽查任务', taskId);
  const partnership = await tx.findOne(
    TaskPartnership,
    { task: taskId, department: departmentId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  const plan = await tx.findOneOrFail(Plan, { id: task.plan.id });
  if (plan.status !== PlanStatus.DRAFT) throw new ForbiddenError('计划已批准，联合事项不能再变更');
  return { task, partnership, plan };
}

/** 联合事项确认: the partner's STAFF or HEAD chooses its own check items for the joint task. */
export async function confirmTaskPartnership(em: EntityManager, viewer: Viewer, taskId: number, itemIds: string[]): Promise<Task> {
  if (!itemIds.length) throw new BadInputError('itemIds', '请选择本部门在该任务中的检查事项');
  return em.transactional(async (tx) => {
    const { task, partnership, plan } = await partnershipOf(tx, taskId, viewer.departmentId);
    if (!task.partnerDepartments.getItems().some((d) => d.id === viewer.departmentId) || !partnership) {
      throw new ForbiddenError('本部门不是该任务待确认的配合部门');
    }
    if (!isStaffOf(viewer, viewer.departmentId)) throw new ForbiddenError('只有配合部门的业务人员或负责人可以确认联合事项');
    const items = await itemsOf(tx, 'itemIds', itemIds, viewer.departmentId);
    // This department's items on the task become exactly the chosen ones.
    task.items.set([...task.items.getItems().filter((i) => i.department.id !== viewer.departmentId), ...items]);
    Object.assign(partnership, {
      status: PartnershipStatus.CONFIRMED,
      decidedBy: ref(tx.getReference(User, viewer.userId)),
      decidedAt: new Date(),
      reason: undefined,
    });
    await tx.flush();
    await emitEvent(
      tx,
      EventType.TASK_PARTNERSHIP_CHANGED,
      [plan.department.id, ...task.partnerDepartments.getItems().map((d) => d.id)],
      { taskId, planId: plan.id, departmentId: viewer.departmentId, status: 'CONFIRMED', itemIds: items.map((i) => i.id) },
      viewer.userId,
    );
    return task;
  });
}

/** The lead takes a partner off a joint task, with a reason; its items go with it. */
export async function withdrawTaskPartner(
  em: EntityManager,
  viewer: Viewer,
  taskId: number,
  departmentId: number,
  reason: string,
): Promise<Task> {
  const why = reason.trim();
  if (!why || why.length > 500) throw new BadInputError('reason', '请说明撤回理由（不超过 500 字）');
  return em.transactional(async (tx) => {
    const { task, partnership, plan } = await partnershipOf(tx, taskId, departmentId);
    if (!isStaffOf(viewer, plan.department.id)) throw new ForbiddenError('只有发起部门的业务人员或负责人可以撤回配合部门');
    const partner = task.partnerDepartments.getItems().find((d) => d.id === departmentId);
    if (!partner) throw new BadInputError('departmentId', '该部门不是本任务的配合部门');
    const before = task.partnerDepartments.getItems().map((d) => d.id);
    task.partnerDepartments.remove(partner);
    task.items.set(task.items.getItems().filter((i) => i.department.id !== departmentId));
    task.joint = task.partnerDepartments.length > 0;
    const row = partnership ?? new TaskPartnership(ref(task), ref(partner));
    Object.assign(row, {
      status: PartnershipStatus.WITHDRAWN,
      decidedBy: ref(tx.getReference(User, viewer.userId)),
      decidedAt: new Date(),
      reason: why,
    });
    tx.persist(row);
    await tx.flush();
    await emitEvent(
      tx,
      EventType.TASK_PARTNERSHIP_CHANGED,
      [plan.department.id, ...before],
      { taskId, planId: plan.id, departmentId, status: 'WITHDRAWN', itemIds: [], reason: why },
      viewer.userId,
    );
    return task;
  });
}

/** Joint tasks of draft plans waiting for this department's confirmation (待确认). */
export async function pendingPartnerships(em: EntityManager, viewer: Viewer): Promise<Task[]> {
  const rows = await em.find(
    TaskPartnership,
    { department: viewer.departmentId, status: PartnershipStatus.PENDING },
    { populate: ['task'] },
  );
  return rows.map((r) => r.task.getEntity());
}

/** Where each partner of these tasks stands: a row if written by hand, else confirmed by the published plan. */
export async function partnershipsOf(em: EntityManager, taskIds: number[]): Promise<TaskPartnership[]> {
  return taskIds.length ? em.find(TaskPartnership, { task: { $in: taskIds } }, { orderBy: { id: 'asc' } }) : [];
}
