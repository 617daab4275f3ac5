import { LockMode, ref } from '@mikro-orm/core';
import { checkIdempotencyKey } from '../../core/ids.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { chinaDate } from '../../core/dates.js';
import { BadInputError, ConflictError, ForbiddenError } from '../../core/errors.js';
import { pgArray } from '../../core/sql.js';
import { isStaffOf, type Viewer } from '../../core/viewer.js';
import { User } from '../auth/user.entity.js';
import { emitEvent } from '../events/event.service.js';
import { EventType } from '../events/event-types.js';
import type { Task } from '../plans/task.entity.js';
import { type DrawRecord, drawTeams, missingWitnesses, RECORD_FORMAT, selectAll } from './draw-record.js';
import { checkStillEligible, getDraw, keptPopulations, loadTasks } from './draw.service.js';
import { Draw, DrawStatus } from './draw.entity.js';
import type { PoolOfficer } from './officer-assignment.js';
import { deriveSeed } from './record-hash.js';
import { countVisits } from './selection.js';
import type { Visit } from './visit-rules.js';

/**
 * Reveals: derives the seed from the secret and the witnesses' strings, selects the firms from the
 * populations committed at the opening, makes one inspection per firm and round with every item
 * of every task that drew it, draws the teams from the committed pool and rules, and writes the
 * immutable record — all in one transaction, or nothing. The same idempotency key returns the
 * same draw.
 */
export async function revealDraw(em: EntityManager, viewer: Viewer, drawId: string, idempotencyKey?: string | null): Promise<Draw> {
  checkIdempotencyKey(idempotencyKey);
  return em.transactional(async (tx) => {
    const draw = await lockForPublication(tx, viewer, drawId, '完成抽取');
    if (draw.status === DrawStatus.REVEALED && idempotencyKey && draw.idempotencyKey === idempotencyKey) return draw;
    if (draw.status === DrawStatus.CANCELLED) throw new ConflictError('该抽取已撤销，请重新开启抽取');
    if (draw.status === DrawStatus.REVEALED) throw new ConflictError('该抽取已经完成');
    if (idempotencyKey && (await tx.count(Draw, { idempotencyKey, id: { $ne: draw.id } }))) {
      throw new BadInputError('idempotencyKey', '该幂等键已用于另一次抽取');
    }
    const spec = committedSpec(draw);
    const entropies = entropiesOf(draw);
    const missing = missingWitnesses(spec.opening.witnessRule, draw.leadDepartment.id, entropies);
    if (missing) throw new ConflictError(`还不能揭示：${missing}`, { rule: 'WITNESSES' });

    const tasks = new Map((await loadTasks(tx, draw.tasks.getIdentifiers<number>())).map((t) => [t.id, t]));
    const { seed, selection } = await select(tx, draw, entropies);
    await checkStillEligible(tx, draw.year, tasks, selection.results);
    const firms = await firmsOf(tx, [...selection.regions.keys()]);
    const revealedOn = chinaDate();
    const outcome = drawTeams(
      seed,
      selection,
      spec.rules,
      await poolOf(tx, draw),
      revealedOn,
      (uscc) => `${firms.get(uscc)?.name}（${uscc}）`,
    );
    if (outcome.failure) throw outcome.failure;
    await writeInspections(tx, draw, outcome.visits, firms, outcome.assigned.teams, outcome.teams, tasks);

    await writeRecord(
      tx,
      draw,
      recordOf(draw, spec, selection.results, outcome.teams, { seed, entropies, revealedOn, outcome: 'REVEALED' }),
    );
    Object.assign(draw, {
      status: DrawStatus.REVEALED,
      seed,
      visits: countVisits(selection.results),
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

/**
 * The lead department withdraws a draw that has not been revealed (the registry changed after the
 * opening, a wrong task was chosen), with a reason. Its secret is published with what the draw
 * would have selected — and the teams, or why there would have been none — so that nobody can
 * withdraw a draw for its outcome unseen. Its tasks can then be drawn anew.
 */
export async function cancelDraw(em: EntityManager, viewer: Viewer, drawId: string, reason: string): Promise<Draw> {
  const why = reason.trim();
  if (!why) throw new BadInputError('reason', '请说明撤销理由');
  if (why.length > 500) throw new BadInputError('reason', '不能超过 500 个字');
  return em.transactional(async (tx) => {
    const draw = await lockForPublication(tx, viewer, drawId, '撤销抽取');
    if (draw.status !== DrawStatus.COMMITTED)
      throw new ConflictError(draw.status === DrawStatus.REVEALED ? '抽取已完成，不能撤销' : '该抽取已撤销');
    const user = await tx.findOneOrFail(User, viewer.userId);
    const at = new Date();
    if (draw.spec?.format === 2) {
      const entropies = entropiesOf(draw);
      const { seed, selection } = await select(tx, draw, entropies);
      const revealedOn = chinaDate();
      const outcome = drawTeams(seed, selection, draw.spec.rules, await poolOf(tx, draw), revealedOn);
      draw.seed = seed;
      await writeRecord(
        tx,
        draw,
        recordOf(draw, draw.spec, selection.results, outcome.teams, {
          seed,
          entropies,
          revealedOn,
          outcome: 'WITHDRAWN',
          withdrawal: { at: at.toISOString(), by: user.displayName, reason: why },
        }),
      );
      draw.visits = countVisits(selection.results);
    }
    Object.assign(draw, { status: DrawStatus.CANCELLED, cancelledAt: at, cancelledBy: ref(user), cancelReason: why });
    await tx.flush();
    await emitEvent(tx, EventType.DRAW_CANCELLED, draw.departmentIds, { drawId: draw.id, reason: why }, viewer.userId);
    return draw;
  });
}

/**
 * Stores the record in one statement. A province-wide record runs to tens of megabytes; through
 * the unit of work it was serialised and compared several times (10 s of a 33 s reveal at
 * 3,600,000 firms). The entity keeps record = null in memory, so the flush that follows leaves
 * the column alone.
 */
async function writeRecord(tx: EntityManager, draw: Draw, record: DrawRecord): Promise<void> {
  await tx
    .getConnection()
    .execute('update draw set record = ?::jsonb where id = ?', [JSON.stringify(record), draw.id], 'run', tx.getTransactionContext());
}

/** The draw, read once and locked; only the lead's STAFF or HEAD reveals or withdraws it. */
async function lockForPublication(tx: EntityManager, viewer: Viewer, drawId: string, action: string): Promise<Draw> {
  const draw = await getDraw(tx, viewer, drawId, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['entropies', 'tasks'] });
  if (!isStaffOf(viewer, draw.leadDepartment.id)) throw new ForbiddenError(`只有发起部门的业务人员或负责人可以${action}`);
  return draw;
}

function committedSpec(draw: Draw) {
  if (draw.spec?.format !== 2) {
    throw new ConflictError('该抽取开启于旧版本，没有承诺执法人员库与检查组规则；请撤销本次抽取（说明理由）后重新开启');
  }
  return draw.spec;
}

function entropiesOf(draw: Draw): DrawRecord['entropies'] {
  return draw.entropies
    .getItems()
    .map((e) => ({ by: e.byName, departmentId: e.departmentId ?? 0, at: e.createdAt.toISOString(), value: e.value }));
}

/** The seed and the selection from the populations kept at the opening (the registry is not read for it). */
async function select(tx: EntityManager, draw: Draw, entropies: DrawRecord['entropies']) {
  const spec = committedSpec(draw);
  const seed = deriveSeed(
    draw.secret,
    entropies.map((e) => e.value),
    draw.id,
  );
  const populations = await keptPopulations(tx, draw.id);
  const compact = spec.tasks.map((t) => ({ ...t, population: populations.get(t.taskId) ?? Buffer.alloc(0) }));
  return { seed, selection: selectAll(seed, compact) };
}

async function poolOf(tx: EntityManager, draw: Draw) {
  await tx.populate(draw, ['pool']);
  return draw.pool ?? [];
}

async function firmsOf(tx: EntityManager, usccs: string[]): Promise<Map<string, { id: number; name: string }>> {
  const rows = await tx
    .getConnection()
    .execute<{ id: number; uscc: string; name: string }[]>(
      'select id, uscc, name from enterprise where uscc = any(?::text[])',
      [pgArray(usccs)],
      'all',
      tx.getTransactionContext(),
    );
  return new Map(rows.map((r) => [r.uscc, { id: r.id, name: r.name }]));
}

/** The record as stored (results in the order of the spec's tasks): the populations are kept apart (draw_population) and put back on reading. */
function recordOf(
  draw: Draw,
  spec: NonNullable<Draw['spec']>,
  results: ReturnType<typeof selectAll>['results'],
  teams: DrawRecord['teams'],
  published: Pick<DrawRecord, 'seed' | 'entropies' | 'revealedOn' | 'outcome' | 'withdrawal'>,
): DrawRecord {
  return {
    format: RECORD_FORMAT,
    ...spec.opening,
    ...published,
    secret: draw.secret,
    tasks: spec.tasks.map((t, i) => ({
      taskId: t.taskId,
      name: t.name,
      ratio: t.ratio,
      riskStratified: t.riskStratified,
      rounds: t.rounds,
      ...(t.problemYear ? { problemYear: t.problemYear } : {}),
      population: [],
      strata: results[i].strata,
    })),
    rules: spec.rules,
    pool: draw.pool ?? [],
    teams,
    amendments: [],
  };
}

/**
 * One inspection per visit with its tasks, items, team and every department taking part, written
 * set-wise (a province-wide reveal writes tens of thousands of visits): the inspections in one
 * statement, then each link table in one.
 */
async function writeInspections(
  tx: EntityManager,
  draw: Draw,
  visits: Visit[],
  firms: Map<string, { id: number }>,
  teams: Map<string, PoolOfficer[]>,
  record: DrawRecord['teams'],
  tasks: Map<number, Task>,
): Promise<void> {
  if (visits.length === 0 || 'error' in record) return;
  const requests = new Map(record.requests.map((r) => [r.key, r]));
  const rows = visits.map((visit) => {
    const visitTasks = visit.taskIds.map((id) => tasks.get(id)!);
    const lead = visitTasks[0].leadDepartment.id;
    const team = teams.get(visit.key)!;
    const items = visitTasks.flatMap((t) => t.items.getItems()).filter((i) => visit.itemIds.includes(i.id));
    const departments = new Set([
      lead,
      ...visitTasks.flatMap((t) => t.partnerDepartments.getItems().map((d) => d.id)),
      ...items.map((i) => i.department.id),
      ...requests.get(visit.key)!.departments.map((d) => d.departmentId),
      ...team.map((o) => o.departmentId),
    ]);
    return { visit, enterprise: firms.get(visit.uscc)!.id, lead, departments: [...departments].join(' '), team };
  });
  const conn = tx.getConnection();
  const ctx: unknown = tx.getTransactionContext();
  const inserted = await conn.execute<{ id: number; enterprise_id: number; round: number }[]>(
    `insert into inspection (draw_id, enterprise_id, year, round, position, lead_department_id, department_ids, status, version)
     select ?, v.enterprise_id, ?, v.round, v.position, v.lead, string_to_array(v.departments, ' ')::int[], 'ASSIGNED', 1
       from unnest(?::int[], ?::int[], ?::int[], ?::int[], ?::text[]) as v(enterprise_id, round, position, lead, departments)
     returning id, enterprise_id, round`,
    [
      draw.id,
      draw.year,
      pgArray(rows.map((r) => r.enterprise)),
      pgArray(rows.map((r) => r.visit.round)),
      pgArray(rows.map((r) => r.visit.position)),
      pgArray(rows.map((r) => r.lead)),
      pgArray(rows.map((r) => r.departments)),
    ],
    'all',
    ctx,
  );
  const idOf = new Map(inserted.map((i) => [`${i.enterprise_id}:${i.round}`, i.id]));
  const links = (table: string, column: string, pairs: [number, number][]) =>
    conn.execute(
      `insert into ${table} (inspection_id, ${column}) select * from unnest(?::int[], ?::int[])`,
      [pgArray(pairs.map((p) => p[0])), pgArray(pairs.map((p) => p[1]))],
      'run',
      ctx,
    );
  const ids = rows.map((r) => idOf.get(`${r.enterprise}:${r.visit.round}`)!);
  await links(
    'inspection_task',
    'task_id',
    rows.flatMap((r, n) => r.visit.taskIds.map((t): [number, number] => [ids[n], t])),
  );
  await links(
    'inspection_check_item',
    'check_item_id',
    rows.flatMap((r, n) => r.visit.itemIds.map((i): [number, number] => [ids[n], i])),
  );
  await links(
    'inspection_officer',
    'officer_id',
    rows.flatMap((r, n) => r.team.map((o): [number, number] => [ids[n], o.id])),
  );
}
