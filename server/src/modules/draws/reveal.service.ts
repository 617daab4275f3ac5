import { LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { chinaDate } from '../../core/dates.js';
import { BadInputError, ConflictError, ForbiddenError } from '../../core/errors.js';
import { isStaffOf, type Viewer } from '../../core/viewer.js';
import { User } from '../auth/user.entity.js';
import type { CheckItem } from '../checklist/check-item.entity.js';
import { Department } from '../departments/department.entity.js';
import { emitEvent } from '../events/event.service.js';
import { EventType } from '../events/event-types.js';
import { Inspection } from '../inspections/inspection.entity.js';
import type { Task } from '../plans/task.entity.js';
import { Enterprise } from '../registry/enterprise.entity.js';
import { OfficerConflict } from '../registry/officer-conflict.entity.js';
import { Officer } from '../registry/officer.entity.js';
import { OfficerStatus } from '../registry/registry.enums.js';
import { type DrawRecord, drawTeams, recordOf } from './draw-record.js';
import { checkingDepartment, checkStillEligible, getDraw, keptPopulations, loadTasks, selectFromOpening } from './draw.service.js';
import { Draw, DrawStatus } from './draw.entity.js';
import type { PoolOfficer, TeamRequest } from './officer-assignment.js';
import { countVisits, deriveSeed } from './selection.js';

/** One visit: a firm in one round, with every task (and so every item) that drew it. */
interface Visit {
  key: string;
  uscc: string;
  round: number;
  position: number;
  tasks: Task[];
  items: CheckItem[];
}

/**
 * Reveals: computes the seed from the secret and the witnesses' entropy, selects the firms, makes
 * one inspection per firm and round with every item of every task that drew it, draws the teams,
 * and writes the immutable record — all in one transaction, or nothing. The same idempotency key
 * returns the same draw.
 */
export async function revealDraw(em: EntityManager, viewer: Viewer, drawId: string, idempotencyKey?: string | null): Promise<Draw> {
  if (idempotencyKey != null && (idempotencyKey.length < 8 || idempotencyKey.length > 128)) {
    throw new BadInputError('idempotencyKey', '长度应在 8 到 128 个字符之间');
  }
  return em.transactional(async (tx) => {
    const draw = await lockForReveal(tx, viewer, drawId);
    if (draw.status === DrawStatus.REVEALED && idempotencyKey && draw.idempotencyKey === idempotencyKey) return draw;
    await checkRevealable(tx, draw, idempotencyKey);
    const tasks = new Map((await loadTasks(tx, draw.tasks.getIdentifiers<number>())).map((t) => [t.id, t]));
    const entropies = draw.entropies.getItems().map((e) => ({ by: e.byName, at: e.createdAt.toISOString(), value: e.value }));
    const seed = deriveSeed(
      draw.secret,
      entropies.map((e) => e.value),
      draw.id,
    );

    const spec = draw.spec!;
    const results = selectFromOpening(spec, await keptPopulations(tx, draw.id), seed);
    await checkStillEligible(tx, draw.year, tasks, results);
    const record = recordOf(
      { drawId: draw.id, year: draw.year, secret: draw.secret, seed, entropies, tasks: spec.tasks },
      draw.populationCommitment,
      results,
    );

    const visits = visitsOf(record, tasks);
    const enterprises = new Map(
      (await tx.find(Enterprise, { uscc: { $in: [...new Set(visits.map((v) => v.uscc))] } })).map((e) => [e.uscc, e]),
    );
    const departments = await tx.findAll(Department);
    const requests = teamRequests(visits, enterprises, departments);
    const { teams, record: teamRecord } = drawTeams(
      seed,
      requests,
      await officerPools(tx, draw.year),
      new Map(departments.map((d) => [d.id, d.name])),
    );
    writeInspections(tx, draw, visits, enterprises, requests, teams);

    Object.assign(draw, {
      status: DrawStatus.REVEALED,
      seed,
      record: { ...record, teams: teamRecord } satisfies DrawRecord,
      visits: countVisits(results),
      revealedAt: new Date(),
      revealedBy: ref(tx.getReference(User, viewer.userId)),
      idempotencyKey: idempotencyKey ?? undefined,
    });
    await tx.flush();
    await emitEvent(
      tx,
      EventType.DRAW_REVEALED,
      draw.departmentIds,
      { drawId: draw.id, seed, visits: draw.visits, visitsIndependent: draw.visitsIndependent },
      viewer.userId,
    );
    return draw;
  });
}

/** The draw, read once and locked against a second reveal; only the lead's STAFF or HEAD reveals. */
async function lockForReveal(tx: EntityManager, viewer: Viewer, drawId: string): Promise<Draw> {
  const draw = await getDraw(tx, viewer, drawId, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['record', 'entropies', 'tasks'] });
  if (!isStaffOf(viewer, draw.leadDepartment.id)) throw new ForbiddenError('只有发起部门的业务人员或负责人可以完成抽取');
  return draw;
}

async function checkRevealable(tx: EntityManager, draw: Draw, idempotencyKey?: string | null): Promise<void> {
  if (draw.status === DrawStatus.CANCELLED) throw new ConflictError('该抽取已撤销，请重新开启抽取');
  if (draw.status === DrawStatus.REVEALED) throw new ConflictError('该抽取已经完成');
  if (idempotencyKey && (await tx.count(Draw, { idempotencyKey, id: { $ne: draw.id } }))) {
    throw new BadInputError('idempotencyKey', '该幂等键已用于另一次抽取');
  }
  if (!draw.spec) throw new ConflictError('该抽取开启于旧版本，没有保存开启时的名录；请撤销本次抽取（说明理由）后重新开启');
}

/** One visit per firm and round, carrying every task (and item) that drew it, in reveal order. */
function visitsOf(record: DrawRecord, tasks: Map<number, Task>): Visit[] {
  const visits = new Map<string, Omit<Visit, 'items'>>();
  for (const t of record.tasks) {
    for (const stratum of t.strata) {
      stratum.rounds.forEach((round, r) =>
        round.forEach((uscc, position) => {
          const key = `${r}:${uscc}`;
          const visit = visits.get(key) ?? { key, uscc, round: r + 1, position, tasks: [] };
          visit.position = Math.min(visit.position, position);
          visit.tasks.push(tasks.get(t.taskId)!);
          visits.set(key, visit);
        }),
      );
    }
  }
  return [...visits.values()]
    .sort((a, b) => a.round - b.round || a.position - b.position)
    .map((visit) => ({ ...visit, items: [...new Map(visit.tasks.flatMap((t) => t.items.getItems()).map((i) => [i.id, i])).values()] }));
}

/** The eligible officers by department: active, certified today, with their declared conflicts and last year's visits. */
async function officerPools(tx: EntityManager, year: number): Promise<Map<number, PoolOfficer[]>> {
  const today = chinaDate();
  const officers = await tx.find(Officer, {
    status: OfficerStatus.ACTIVE,
    $or: [{ certificateValidUntil: null }, { certificateValidUntil: { $gte: today } }],
  });
  const conflicts = await tx.find(OfficerConflict, {});
  const lastYear = await tx.getConnection().execute<{ officer_id: number; enterprise_id: number; check_item_id: number }[]>(
    `select io.officer_id, i.enterprise_id, ic.check_item_id from inspection i
       join inspection_officer io on io.inspection_id = i.id join inspection_check_item ic on ic.inspection_id = i.id
      where i.year = ?`,
    [year - 1],
    'all',
    tx.getTransactionContext(),
  );
  // Grouped once by officer: the pools look them up per officer, not per row.
  const conflictsOf = new Map<number, Set<number>>();
  for (const c of conflicts) conflictsOf.set(c.officer.id, (conflictsOf.get(c.officer.id) ?? new Set()).add(c.enterprise.id));
  const lastYearOf = new Map<number, Set<string>>();
  for (const l of lastYear)
    lastYearOf.set(l.officer_id, (lastYearOf.get(l.officer_id) ?? new Set()).add(`${l.enterprise_id}:${l.check_item_id}`));
  const pools = new Map<number, PoolOfficer[]>();
  for (const o of officers) {
    const pool = pools.get(o.department.id) ?? [];
    pool.push({
      id: o.id,
      name: o.name,
      certificateNo: o.certificateNo,
      departmentId: o.department.id,
      specialties: o.specialties,
      conflicts: conflictsOf.get(o.id) ?? new Set(),
      inspectedLastYear: lastYearOf.get(o.id) ?? new Set(),
    });
    pools.set(o.department.id, pool);
  }
  return pools;
}

/** What each visit's team needs: the lead and every partner with items in it (under 市抽县查 their county bureau), with specialties. */
function teamRequests(visits: Visit[], enterprises: Map<string, Enterprise>, departments: Department[]): TeamRequest[] {
  const names = new Map(departments.map((d) => [d.id, d.name]));
  return visits.map(({ key, uscc, tasks, items }) => {
    const enterprise = enterprises.get(uscc)!;
    const modes = [...new Set(tasks.flatMap((t) => t.modes))];
    const leadId = tasks[0].leadDepartment.id;
    // Partners take part where their own items are in the visit.
    const deptIds = [leadId, ...new Set(items.map((i) => i.department.id).filter((d) => d !== leadId))];
    return {
      key,
      label: `${enterprise.name}（${enterprise.uscc}）`,
      enterpriseId: enterprise.id,
      itemIds: items.map((i) => i.id),
      departments: deptIds.map((deptId) => {
        const checking = checkingDepartment(deptId, modes, enterprise.region.id, departments);
        if (!checking) {
          throw new ConflictError(
            `“${enterprise.name}（${enterprise.uscc}）”：市抽县查需要${names.get(deptId)}在该企业所在区县的对应部门，但没有找到`,
            { rule: 'MODE' },
          );
        }
        const specialties = [
          ...new Set(items.filter((i) => i.department.id === deptId && i.requiredSpecialty).map((i) => i.requiredSpecialty!)),
        ];
        return { departmentId: checking.id, name: checking.name, specialties };
      }),
    };
  });
}

/** One inspection per visit with its tasks, items, team and every department taking part. */
function writeInspections(
  tx: EntityManager,
  draw: Draw,
  visits: Visit[],
  enterprises: Map<string, Enterprise>,
  requests: TeamRequest[],
  teams: Map<string, PoolOfficer[]>,
): void {
  visits.forEach((visit, n) => {
    const lead = visit.tasks[0].leadDepartment;
    const team = teams.get(visit.key)!;
    const inspection = new Inspection(ref(draw), ref(enterprises.get(visit.uscc)!), draw.year, visit.round, visit.position, lead);
    inspection.tasks.set(visit.tasks);
    inspection.items.set(visit.items);
    inspection.officers.set(team.map((o) => tx.getReference(Officer, o.id)));
    inspection.departmentIds = [
      ...new Set([
        lead.id,
        ...visit.tasks.flatMap((t) => t.partnerDepartments.getItems().map((d) => d.id)),
        ...visit.items.map((i) => i.department.id),
        ...requests[n].departments.map((d) => d.departmentId),
        ...team.map((o) => o.departmentId),
      ]),
    ];
    tx.persist(inspection);
  });
}
