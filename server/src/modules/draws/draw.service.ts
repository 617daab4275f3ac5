import { isUuid } from '../../core/ids.js';
import crypto from 'node:crypto';
import { type FindOneOptions, LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertInScope, departmentsInScope, hasRole, isStaffOf, scopeWhere, type Viewer } from '../../core/viewer.js';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { Role } from '../../core/roles.js';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { emitEvent } from '../events/event.service.js';
import { EventType } from '../events/event-types.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { PlanStatus } from '../plans/plan.enums.js';
import { Task } from '../plans/task.entity.js';
import { type Opening, openingCommitment, type WitnessRule } from './draw-record.js';
import { Draw, DrawAmendment, DrawEntropy, DrawPopulation, DrawStatus } from './draw.entity.js';
import {
  firstNoLongerDrawable,
  populationCounts,
  savePopulationCounts,
  officerPool,
  ratioSpecOf,
  taskPopulation,
  visitRules,
} from './population.js';
import { commitmentOf } from './record-hash.js';
import { encodePopulation, expectedIndependentVisits, populationCommitment, stratumSummaries, type TaskDrawResult } from './selection.js';
import { poolCommitment, rulesCommitment } from './visit-rules.js';
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

/**
 * Opens a draw: the lead department's STAFF or HEAD picks one or several tasks of an approved
 * plan. Before any seed exists the server fixes and commits to everything the outcome depends on
 * (draw-record@2): a secret, each task's eligible population, the officer pool, the visit rules
 * and the plan's witness rule — all published now as commitments and one opening commitment.
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
    const plans = [...new Set(tasks.map((t) => t.plan.getEntity()))];
    const witnessRule: WitnessRule = {
      required: Math.max(1, ...plans.map((p) => p.witnessesRequired)),
      otherDepartment: plans.some((p) => p.witnessFromOtherDepartment),
    };

    const specs = [];
    for (const task of tasks) {
      const rows = await taskPopulation(tx, task, year);
      const population = encodePopulation(rows);
      const params = {
        taskId: task.id,
        ratio: ratioSpecOf(task),
        riskStratified: task.riskStratified,
        rounds: Math.max(1, task.frequencyPerYear ?? 1),
        ...(task.problemYear ? { problemYear: task.problemYear } : {}),
      };
      specs.push({ ...params, name: task.name, population, counts: populationCounts(rows), strata: stratumSummaries(population) });
    }
    const pool = await officerPool(tx, year);
    const rules = await visitRules(tx, tasks);
    const secret = crypto.randomBytes(32).toString('hex');
    const id = crypto.randomUUID();
    const commitments = {
      drawId: id,
      year,
      leadDepartmentId: lead,
      witnessRule,
      commitment: commitmentOf(secret),
      populationCommitment: populationCommitment(specs),
      poolCommitment: poolCommitment(pool),
      rulesCommitment: rulesCommitment(rules),
    };
    const opening: Opening = { ...commitments, openingCommitment: openingCommitment(commitments) };
    const departmentIds = [...new Set(tasks.flatMap((t) => [t.leadDepartment.id, ...t.partnerDepartments.getItems().map((d) => d.id)]))];
    const draw = new Draw(
      id,
      year,
      ref(tx.getReference(Department, lead)),
      departmentIds,
      secret,
      opening.commitment,
      opening.populationCommitment,
      ref(tx.getReference(User, viewer.userId)),
    );
    draw.tasks.set(tasks);
    draw.spec = { format: 2, tasks: specs.map(({ population: _population, counts: _counts, ...task }) => task), rules, opening };
    draw.pool = pool;
    draw.visitsIndependent = Math.round(expectedIndependentVisits(specs) * 10) / 10;
    tx.persist(draw);
    for (const spec of specs) tx.persist(new DrawPopulation(ref(draw), spec.taskId, spec.population));
    await tx.flush();
    for (const spec of specs) await savePopulationCounts(tx, draw, spec.taskId, spec.counts);
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

/** Only those the draw concerns may see it: its departments (witnesses included). */
export async function getDraw<Hint extends string = never>(
  em: EntityManager,
  viewer: Viewer,
  id: string,
  options: FindOneOptions<Draw, Hint> = {},
): Promise<Draw> {
  if (!isUuid(id)) throw new NotFoundError('抽取', id);
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

/** The team amendments of the draws, oldest first. */
export async function amendmentsOfDraws(em: EntityManager, drawIds: string[]): Promise<DrawAmendment[]> {
  return drawIds.length ? em.find(DrawAmendment, { draw: { $in: drawIds } }, { orderBy: { id: 'asc' } }) : [];
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
    tx.persist(Object.assign(new DrawEntropy(ref(draw), ref(user), user.displayName, text), { departmentId: user.department?.id }));
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

/** The populations kept at the opening (compact rows), by task. */
export async function keptPopulations(em: EntityManager, drawId: string): Promise<Map<number, Buffer>> {
  const rows = await em
    .getConnection()
    .execute<{ task_id: number; rows: Buffer }[]>(
      'select task_id, rows from draw_population where draw_id = ?',
      [drawId],
      'all',
      em.getTransactionContext(),
    );
  return new Map(rows.map((r) => [r.task_id, r.rows]));
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
