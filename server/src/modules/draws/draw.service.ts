import crypto from 'node:crypto';
import { type FindOneOptions, LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertInScope, departmentsInScope, hasRole, isStaffOf, scopeWhere, type Viewer } from '../../core/viewer.js';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { Role } from '../../core/roles.js';
import { User } from '../auth/user.entity.js';
import { Department, DepartmentLevel } from '../departments/department.entity.js';
import { emitEvent } from '../events/event.service.js';
import { EventType } from '../events/event-types.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Mode, PlanStatus } from '../plans/plan.enums.js';
import { Task } from '../plans/task.entity.js';
import { commitmentOfStrata, type DrawRecord, firmsOf, populationRows, withPopulations } from './draw-record.js';
import { Draw, DrawEntropy, type DrawSpecAtOpen, DrawStatus, type PopulationRow } from './draw.entity.js';
import { firstNoLongerDrawable, ratioSpecOf, taskPopulation } from './population.js';
import {
  commitmentOf,
  drawRandom,
  expectedIndependentVisits,
  selectTask,
  stratumSummaries,
  type TaskDrawResult,
  type TaskDrawSpec,
} from './selection.js';
import { pgArray } from '../../core/sql.js';

export async function loadTasks(em: EntityManager, ids: number[]): Promise<Task[]> {
  const tasks = await em.find(
    Task,
    { id: { $in: ids } },
    { populate: ['plan', 'scopeIndustries', 'scopeRegions', 'items', 'partnerDepartments'], orderBy: { id: 'asc' } },
  );
  const missing = ids.filter((id) => !tasks.some((t) => t.id === id));
  if (missing.length) throw new NotFoundError('抽查任务', missing.join(', '));
  return tasks;
}

async function specsFor(em: EntityManager, tasks: Task[], year: number): Promise<(TaskDrawSpec & { name: string })[]> {
  const specs = [];
  for (const task of tasks) {
    specs.push({
      taskId: task.id,
      name: task.name,
      ratio: ratioSpecOf(task),
      riskStratified: task.riskStratified,
      rounds: Math.max(1, task.frequencyPerYear ?? 1),
      population: await taskPopulation(em, task, year),
    });
  }
  return specs;
}

/**
 * Opens a draw: the lead department's STAFF or HEAD picks one or several tasks of an approved
 * plan; the server commits to a secret and to the eligible population before anyone adds entropy.
 */
export async function openDraw(em: EntityManager, viewer: Viewer, taskIds: number[]): Promise<Draw> {
  if (taskIds.length === 0) throw new BadInputError('taskIds', '请至少选择一项抽查任务');
  return em.transactional(async (tx) => {
    const tasks = await loadTasks(tx, [...new Set(taskIds)]);
    const lead = tasks[0].leadDepartment.id;
    if (tasks.some((t) => t.leadDepartment.id !== lead)) throw new BadInputError('taskIds', '一次抽取只能包含同一发起部门的任务');
    if (!isStaffOf(viewer, lead)) throw new ForbiddenError('只有发起部门的业务人员或负责人可以开启抽取');
    const years = new Set(tasks.map((t) => t.plan.getEntity().year));
    if (years.size > 1) throw new BadInputError('taskIds', '一次抽取只能包含同一年度的任务');
    const notApproved = tasks.find((t) => t.plan.getEntity().status !== PlanStatus.APPROVED);
    if (notApproved) throw new ConflictError(`任务“${notApproved.name}”所属计划尚未批准，不能抽取`);
    const taken = await tx
      .getConnection()
      .execute<{ task_id: number }[]>(
        `select dt.task_id from draw_task dt join draw d on d.id = dt.draw_id where dt.task_id = any(?::int[]) and d.status <> 'CANCELLED' limit 1`,
        [pgArray(tasks.map((t) => t.id))],
        'all',
        tx.getTransactionContext(),
      );
    if (taken.length) throw new ConflictError(`任务 ${taken[0].task_id} 已有抽取，不能重复抽取`);
    const year = [...years][0];
    // The populations are fixed now, before any seed exists: the reveal draws from exactly these.
    const specs = await specsFor(tx, tasks, year);
    const spec: DrawSpecAtOpen = { tasks: specs.map(({ population, ...params }) => ({ ...params, strata: stratumSummaries(population) })) };
    const secret = crypto.randomBytes(32).toString('hex');
    const departmentIds = [...new Set(tasks.flatMap((t) => [t.leadDepartment.id, ...t.partnerDepartments.getItems().map((d) => d.id)]))];
    const draw = new Draw(
      crypto.randomUUID(),
      year,
      ref(tx.getReference(Department, lead)),
      departmentIds,
      secret,
      commitmentOf(secret),
      commitmentOfStrata(spec.tasks),
      ref(tx.getReference(User, viewer.userId)),
    );
    draw.tasks.set(tasks);
    draw.spec = spec;
    draw.populations = Object.fromEntries(specs.map((s) => [s.taskId, populationRows(s.population)]));
    draw.visitsIndependent = Math.round(expectedIndependentVisits(specs) * 10) / 10;
    tx.persist(draw);
    await tx.flush();
    await emitEvent(
      tx,
      EventType.DRAW_OPENED,
      departmentIds,
      { drawId: draw.id, commitment: draw.commitment, taskIds: tasks.map((t) => t.id) },
      viewer.userId,
    );
    return draw;
  });
}

/** Only those the draw concerns may see it: its departments (witnesses included), ADMIN and AUDITOR. */
export async function getDraw<Hint extends string = never>(
  em: EntityManager,
  viewer: Viewer,
  id: string,
  options: FindOneOptions<Draw, Hint> = {},
): Promise<Draw> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('抽取', id);
  const draw = await em.findOne(Draw, { id }, options);
  if (!draw) throw new NotFoundError('抽取', id);
  assertInScope(viewer, draw.departmentIds, '本部门未参与该抽取');
  return draw;
}

/** The draws the viewer's department takes part in, newest first. */
export async function listDraws(em: EntityManager, viewer: Viewer, year: number | null): Promise<Draw[]> {
  return em.find(Draw, { $and: [scopeWhere<Draw>(viewer, departmentsInScope), year ? { year } : {}] }, { orderBy: { openedAt: 'desc' } });
}

/** The inspections of these draws in reveal order, in one query. */
export async function inspectionsOfDraws(em: EntityManager, drawIds: string[]): Promise<Inspection[]> {
  return drawIds.length ? em.find(Inspection, { draw: { $in: drawIds } }, { orderBy: { round: 'asc', position: 'asc', id: 'asc' } }) : [];
}

/** A witness (of a department in the draw) adds a string to the seed before the reveal. */
export async function addDrawEntropy(em: EntityManager, viewer: Viewer, drawId: string, value: string): Promise<Draw> {
  const text = value.trim();
  if (!text) throw new BadInputError('value', '不能为空');
  if (text.length > 200) throw new BadInputError('value', '不能超过 200 个字符');
  return em.transactional(async (tx) => {
    const draw = await getDraw(tx, viewer, drawId);
    if (!hasRole(viewer, Role.WITNESS)) throw new ForbiddenError('只有监督见证人可以加入随机串');
    await tx.lock(draw, LockMode.PESSIMISTIC_WRITE);
    if (draw.status !== DrawStatus.COMMITTED)
      throw new ConflictError(draw.status === DrawStatus.CANCELLED ? '抽取已撤销' : '抽取已完成，不能再加入随机串');
    const user = await tx.findOneOrFail(User, viewer.userId);
    if (await tx.count(DrawEntropy, { draw, user })) throw new ConflictError('每位见证人只能加入一次随机串');
    tx.persist(new DrawEntropy(ref(draw), ref(user), user.displayName, text));
    await tx.flush();
    await emitEvent(
      tx,
      EventType.DRAW_ENTROPY_ADDED,
      draw.departmentIds,
      { drawId: draw.id, by: user.displayName, value: text },
      viewer.userId,
    );
    return draw;
  });
}

/**
 * The lead department withdraws a draw that has not been revealed (the registry changed after the
 * opening, a wrong task was chosen): kept with who, when and why, and its tasks can be drawn anew.
 * Only before the reveal: a revealed draw stands.
 */
export async function cancelDraw(em: EntityManager, viewer: Viewer, drawId: string, reason: string): Promise<Draw> {
  const why = reason.trim();
  if (!why) throw new BadInputError('reason', '请说明撤销理由');
  if (why.length > 500) throw new BadInputError('reason', '不能超过 500 个字');
  return em.transactional(async (tx) => {
    const draw = await getDraw(tx, viewer, drawId);
    if (!isStaffOf(viewer, draw.leadDepartment.id)) throw new ForbiddenError('只有发起部门的业务人员或负责人可以撤销抽取');
    await tx.lock(draw, LockMode.PESSIMISTIC_WRITE);
    if (draw.status !== DrawStatus.COMMITTED)
      throw new ConflictError(draw.status === DrawStatus.REVEALED ? '抽取已完成，不能撤销' : '该抽取已撤销');
    Object.assign(draw, {
      status: DrawStatus.CANCELLED,
      cancelledAt: new Date(),
      cancelledBy: ref(tx.getReference(User, viewer.userId)),
      cancelReason: why,
    });
    await tx.flush();
    await emitEvent(tx, EventType.DRAW_CANCELLED, draw.departmentIds, { drawId: draw.id, reason: why }, viewer.userId);
    return draw;
  });
}

/** The departments whose officers go: the mode decides city or the enterprise's county bureau. */
export function checkingDepartment(
  departmentId: number,
  modes: Mode[],
  regionId: number,
  departments: Department[],
): Department | undefined {
  const dept = departments.find((d) => d.id === departmentId)!;
  if (!modes.includes(Mode.CITY_DRAWS_COUNTY_CHECKS) || dept.level === DepartmentLevel.COUNTY) return dept;
  return departments.find((d) => d.parent?.id === dept.id && d.region.id === regionId);
}

/**
 * The reveal's selection, from what the opening fixed: the same selection core `verify-draw`
 * runs, with the strata committed then. The reveal never reads the registry for it.
 */
export function selectFromOpening(spec: DrawSpecAtOpen, populations: Record<number, PopulationRow[]>, seed: string): TaskDrawResult[] {
  const prn = drawRandom(seed);
  return spec.tasks.map((t) => selectTask({ ...t, population: firmsOf(populations[t.taskId] ?? []) }, t.strata, prn));
}

/** The populations kept at the opening, parsed straight from the column (no entity snapshot of a few MB). */
export async function keptPopulations(em: EntityManager, drawId: string): Promise<Record<number, PopulationRow[]>> {
  const [row] = await em
    .getConnection()
    .execute<{ populations: string | null }[]>(
      'select populations::text as populations from draw where id = ?',
      [drawId],
      'all',
      em.getTransactionContext(),
    );
  return row?.populations ? (JSON.parse(row.populations) as Record<number, PopulationRow[]>) : {};
}

/** The population was fixed at open; a firm selected now must still be drawable. */
export async function checkStillEligible(
  tx: EntityManager,
  year: number,
  tasks: Map<number, Task>,
  results: TaskDrawResult[],
): Promise<void> {
  for (const result of results) {
    const gone = await firstNoLongerDrawable(
      tx,
      tasks.get(result.taskId)!,
      year,
      result.strata.flatMap((s) => s.rounds.flat()),
    );
    if (gone) {
      throw new ConflictError(
        `开启抽取后名录库发生了变化：抽中的“${gone.name}（${gone.uscc}）”已注销或本年度已被抽查同一事项；请撤销本次抽取（说明理由）后重新开启`,
      );
    }
  }
}

/** The full record of a revealed draw: what the reveal wrote, with the populations kept since the opening. */
export async function drawRecord(em: EntityManager, viewer: Viewer, id: string): Promise<DrawRecord> {
  const draw = await getDraw(em, viewer, id);
  if (draw.status !== DrawStatus.REVEALED) throw new ConflictError('抽取尚未完成，记录在揭示后公布');
  await em.populate(draw, ['record']);
  // Draws revealed before populations were kept at the opening carry them in the record itself.
  return withPopulations(draw.record as DrawRecord, await keptPopulations(em, draw.id));
}
