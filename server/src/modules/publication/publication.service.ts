import { type FilterQuery, LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hasRole, isStaffOf, type Viewer } from '../../graphql/context.js';
import { BadInputError, checkDate, ConflictError, ForbiddenError, NotFoundError } from '../../graphql/errors.js';
import { checkPageSize, type ConnectionShape, type PageArgs, paginate } from '../../graphql/pagination.js';
import { chinaDate } from '../../shared/dates.js';
import { escapeLike } from '../../shared/sql.js';
import { Role } from '../auth/roles.js';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { emitEvent } from '../events/event.service.js';
import { EventType, type EventPayloads } from '../events/event-types.js';
import type { ProblemKind, ResultCategory } from '../inspections/finding.enums.js';
import { Inspection, InspectionStatus } from '../inspections/inspection.entity.js';
import { checkResults, getInspection } from '../inspections/inspection.service.js';
import { Task } from '../plans/task.entity.js';
import { normalizeUscc } from '../registry/uscc.js';
import { applyChanges, buildPublicRecords, type ResultChange } from './public-record.js';
import { Correction, CorrectionStatus, Publication, PublicationStatus, PublicationVersion } from './publication.entity.js';
import { addWorkingDays, type Deadline, latestStartWithDeadlineBefore, workingDaysBetween } from './working-days.js';

/** 20 working days from completion to publication (国办发〔2019〕5号 and the plans that follow it). */
export const PUBLICATION_WORKING_DAYS = 20;
/** “Due soon”: five working days or fewer left. */
export const DUE_SOON_WORKING_DAYS = 5;
export const MAX_BATCH = 500;
export const MAX_PUBLIC_PAGE = 100;

export function publicationDeadline(completedOn: string): Deadline {
  return addWorkingDays(completedOn, PUBLICATION_WORKING_DAYS);
}

async function announce(tx: EntityManager, publication: Publication, action: EventPayloads[EventType.PUBLICATION_CHANGED]['action'], actorId: number, correction?: Correction): Promise<void> {
  await tx.flush();
  // Every department of the visit follows its publication.
  const { departmentIds } = await publication.inspection.loadOrFail();
  await emitEvent(tx, EventType.PUBLICATION_CHANGED, departmentIds, {
    publicationId: publication.id,
    inspectionId: publication.inspection.id,
    action,
    correctionId: correction?.id ?? null,
    currentVersion: publication.currentVersion,
  }, actorId);
}

// ---- publishing ---------------------------------------------------------------------------------

/**
 * The lead department publishes finalised inspections, one or a batch, all or nothing: a batch
 * with one unpublishable inspection publishes none and names it.
 */
export async function publishInspections(em: EntityManager, viewer: Viewer, inspectionIds: number[]): Promise<Publication[]> {
  const ids = [...new Set(inspectionIds)];
  if (ids.length === 0) throw new BadInputError('inspectionIds', '请至少选择一项检查');
  if (ids.length > MAX_BATCH) throw new BadInputError('inspectionIds', `一次最多公示 ${MAX_BATCH} 项`);
  return em.transactional(async (tx) => {
    // Row locks: two clerks publishing the same visit at once — one wins, the other gets CONFLICT.
    const inspections = await tx.find(Inspection, { id: { $in: ids } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
    const found = new Map(inspections.map((i) => [i.id, i]));
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) throw new NotFoundError('检查', missing);
    for (const inspection of inspections) {
      if (!isStaffOf(viewer, inspection.leadDepartment.id)) throw new ForbiddenError(`检查 ${inspection.id} 不是本部门发起的，由发起部门公示`);
      if (inspection.status !== InspectionStatus.FINALISED) throw new ConflictError(`检查 ${inspection.id} 尚未办结，办结后才能公示`, { inspectionId: String(inspection.id) });
    }
    const already = await tx.find(Publication, { inspection: { $in: ids } });
    if (already.length) {
      throw new ConflictError(`检查 ${already.map((p) => p.inspection.id).join('、')} 已公示`, { inspectionIds: already.map((p) => String(p.inspection.id)) });
    }
    const today = chinaDate();
    const publications: Publication[] = [];
    const records = await buildPublicRecords(tx, inspections);
    for (const inspection of inspections) {
      const record = records.get(inspection.id)!;
      const deadline = publicationDeadline(record.completedOn);
      const publication = new Publication(ref(inspection), inspection.leadDepartment, {
        departmentIds: [...new Set(record.items.map((i) => i.departmentId))],
        taskIds: record.tasks.map((t) => t.taskId),
        enterpriseName: record.enterpriseName,
        uscc: record.uscc,
        completedOn: record.completedOn,
        dueOn: deadline.due,
        dueProvisional: deadline.provisional,
        publishedOn: today,
      }, ref(tx.getReference(User, viewer.userId)));
      tx.persist(publication);
      tx.persist(new PublicationVersion(ref(publication), 1, record, today));
      publications.push(publication);
    }
    await tx.flush();
    for (const publication of publications) await announce(tx, publication, 'PUBLISHED', viewer.userId);
    return publications;
  });
}

/** Inside the hub a publication is seen by whoever may see its visit. */
export async function getPublication(em: EntityManager, viewer: Viewer, id: number): Promise<Publication> {
  const publication = await em.findOne(Publication, { id });
  if (!publication) throw new NotFoundError('公示记录', id);
  await getInspection(em, viewer, publication.inspection.id);
  return publication;
}

export async function publicationOfInspection(em: EntityManager, inspectionId: number): Promise<Publication | null> {
  return em.findOne(Publication, { inspection: inspectionId });
}

// ---- deadlines: due-soon and overdue lists ------------------------------------------------------

export enum DueState {
  ALL = 'ALL',
  DUE_SOON = 'DUE_SOON',
  OVERDUE = 'OVERDUE',
}

export interface DueEntry {
  inspection: Inspection;
  completedOn: string;
  dueOn: string;
  provisional: boolean;
  overdue: boolean;
  /** Working days left until the deadline (0 on the last day); for overdue ones, how many have passed. */
  workingDays: number;
}

export interface DueList {
  totalCount: number;
  overdueCount: number;
  dueSoonCount: number;
  nodes: DueEntry[];
}

/**
 * Finalised inspections the department still has to publish, most urgent first. The deadline
 * depends only on the completion day and grows with it, so "overdue" and "due soon" are ranges
 * of completion days: the database filters and counts them on an index.
 */
export async function publicationDue(em: EntityManager, viewer: Viewer, departmentId: number | null, state: DueState, first: number): Promise<DueList> {
  const department = departmentId ?? viewer.departmentId;
  if (department !== viewer.departmentId && !hasRole(viewer, Role.ADMIN, Role.AUDITOR)) throw new ForbiddenError('只能查看本部门的待公示清单');
  checkPageSize(first);
  const today = chinaDate();
  const overdueUpTo = latestStartWithDeadlineBefore(today, PUBLICATION_WORKING_DAYS);
  const soonLimit = addWorkingDays(today, DUE_SOON_WORKING_DAYS + 1).due;
  const soonUpTo = latestStartWithDeadlineBefore(soonLimit, PUBLICATION_WORKING_DAYS);
  const conn = em.getConnection();
  const base = `from inspection i where i.status = 'FINALISED' and i.lead_department_id = ?
                  and not exists (select 1 from publication p where p.inspection_id = i.id)`;
  const [counts] = await conn.execute<{ total: number; overdue: number; soon: number }[]>(
    `select count(*)::int as total,
            count(*) filter (where i.completed_on <= ?)::int as overdue,
            count(*) filter (where i.completed_on > ? and i.completed_on <= ?)::int as soon
       ${base}`,
    [overdueUpTo, overdueUpTo, soonUpTo, department],
  );
  const range = state === DueState.OVERDUE ? ' and i.completed_on <= ?' : state === DueState.DUE_SOON ? ' and i.completed_on > ? and i.completed_on <= ?' : '';
  const rangeParams = state === DueState.OVERDUE ? [overdueUpTo] : state === DueState.DUE_SOON ? [overdueUpTo, soonUpTo] : [];
  const rows = await conn.execute<{ id: number }[]>(`select i.id ${base}${range} order by i.completed_on, i.id limit ?`, [department, ...rangeParams, first]);
  const byId = new Map((await em.find(Inspection, { id: { $in: rows.map((r) => r.id) } })).map((i) => [i.id, i]));
  const nodes = rows.map(({ id }) => {
    const inspection = byId.get(id)!;
    const completedOn = inspection.completedOn!;
    const { due, provisional } = publicationDeadline(completedOn);
    const overdue = due < today;
    return { inspection, completedOn, dueOn: due, provisional, overdue, workingDays: overdue ? workingDaysBetween(due, today) : workingDaysBetween(today, due) };
  });
  return { totalCount: counts.total, overdueCount: counts.overdue, dueSoonCount: counts.soon, nodes };
}

// ---- publication rate ---------------------------------------------------------------------------

export interface RateRow {
  id: number;
  finalised: number;
  published: number;
  onTime: number;
  overdue: number;
}

/**
 * Published ÷ finalised for one plan year, per department (each 抽查机关 with items in the visits)
 * and per task. A department sees its own row and the tasks it takes part in; ADMIN and AUDITOR all.
 */
export async function publicationStats(em: EntityManager, viewer: Viewer, year: number): Promise<{ departments: RateRow[]; tasks: RateRow[] }> {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new BadInputError('year', '年度无效');
  const all = hasRole(viewer, Role.ADMIN, Role.AUDITOR);
  const overdueUpTo = latestStartWithDeadlineBefore(chinaDate(), PUBLICATION_WORKING_DAYS);
  const conn = em.getConnection();
  const finalised = `with fin as (
      select i.id, i.completed_on, p.published_on, p.due_on,
             array(select distinct c.department_id from inspection_check_item ic join check_item c on c.id = ic.check_item_id
                    where ic.inspection_id = i.id) as departments
        from inspection i left join publication p on p.inspection_id = i.id
       where i.status = 'FINALISED' and i.year = ? ${all ? '' : 'and i.department_ids @> array[?]::int[]'})`;
  const measures = `count(*)::int as finalised, count(f.published_on)::int as published,
       count(*) filter (where f.published_on <= f.due_on)::int as "onTime",
       count(*) filter (where f.published_on is null and f.completed_on <= ?)::int as overdue`;
  const scope = all ? [year] : [year, viewer.departmentId];
  const departments = await conn.execute<RateRow[]>(
    `${finalised} select d as id, ${measures} from fin f, unnest(f.departments) d ${all ? '' : 'where d = ?'} group by d order by d`,
    [...scope, overdueUpTo, ...(all ? [] : [viewer.departmentId])],
  );
  const tasks = await conn.execute<RateRow[]>(
    `${finalised} select it.task_id as id, ${measures} from fin f join inspection_task it on it.inspection_id = f.id group by it.task_id order by it.task_id`,
    [...scope, overdueUpTo],
  );
  return { departments, tasks };
}

// ---- corrections --------------------------------------------------------------------------------

export interface CorrectionItem {
  itemId: number;
  results: ResultCategory[];
  problemKinds?: ProblemKind[] | null;
}

export async function currentVersion(em: EntityManager, publication: Publication): Promise<PublicationVersion> {
  return em.findOneOrFail(PublicationVersion, { publication, number: publication.currentVersion });
}

/** STAFF asks to correct its own department's items of a published record, with a reason. */
export async function requestCorrection(em: EntityManager, viewer: Viewer, publicationId: number, reason: string, items: CorrectionItem[]): Promise<Correction> {
  const why = reason.trim();
  if (!why) throw new BadInputError('reason', '请填写更正理由');
  if (why.length > 500) throw new BadInputError('reason', '不能超过 500 个字');
  if (items.length === 0) throw new BadInputError('items', '请至少更正一项检查事项');
  const changes: ResultChange[] = items.map((item, i) => ({ itemId: item.itemId, ...checkResults(`items[${i}]`, item.results, item.problemKinds) }));
  return em.transactional(async (tx) => {
    const publication = await tx.findOne(Publication, { id: publicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!publication) throw new NotFoundError('公示记录', publicationId);
    if (!publication.departmentIds.includes(viewer.departmentId)) throw new ForbiddenError('本部门在该公示记录中没有检查事项');
    const current = await currentVersion(tx, publication);
    applyChanges(current.record, viewer.departmentId, changes); // validates items and ownership now, not at approval
    const pending = await tx.findOne(Correction, { publication, status: CorrectionStatus.PENDING });
    if (pending) throw new ConflictError(`该公示记录已有待审核的更正申请（编号 ${pending.id}），审核后才能再次申请`, { correctionId: String(pending.id) });
    const correction = new Correction(ref(publication), ref(tx.getReference(Department, viewer.departmentId)), why, changes, publication.currentVersion, ref(tx.getReference(User, viewer.userId)));
    tx.persist(correction);
    await announce(tx, publication, 'CORRECTION_REQUESTED', viewer.userId, correction);
    return correction;
  });
}

/** A HEAD of the requesting department approves (a new version is published) or rejects (with a reason). */
export async function decideCorrection(em: EntityManager, viewer: Viewer, id: number, version: number, approve: boolean, note?: string | null): Promise<Correction> {
  const comment = note?.trim() || undefined;
  if (!approve && !comment) throw new BadInputError('note', '驳回时请填写理由');
  if ((comment?.length ?? 0) > 500) throw new BadInputError('note', '不能超过 500 个字');
  return em.transactional(async (tx) => {
    const correction = await tx.findOne(Correction, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!correction) throw new NotFoundError('更正申请', id);
    if (correction.department.id !== viewer.departmentId || !hasRole(viewer, Role.HEAD)) throw new ForbiddenError('只有申请部门的负责人可以审核更正');
    if (correction.version !== version) throw new ConflictError(`更正申请已被他人更新（当前版本 ${correction.version}），请刷新后重试`, { currentVersion: correction.version });
    if (correction.status !== CorrectionStatus.PENDING) throw new ConflictError('该更正申请已审核');
    const publication = await tx.findOneOrFail(Publication, { id: correction.publication.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (publication.currentVersion !== correction.baseVersion) throw new ConflictError('公示记录在申请后已有新版本，请重新申请更正');
    const today = chinaDate();
    Object.assign(correction, { decidedBy: ref(tx.getReference(User, viewer.userId)), decidedAt: new Date(), decisionNote: comment });
    if (approve) {
      const current = await currentVersion(tx, publication);
      const next = publication.currentVersion + 1;
      tx.persist(new PublicationVersion(ref(publication), next, applyChanges(current.record, correction.department.id, correction.changes), today, correction.reason));
      Object.assign(publication, { currentVersion: next, status: PublicationStatus.CORRECTED, correctedOn: today, correctionReason: correction.reason });
      Object.assign(correction, { status: CorrectionStatus.APPROVED, resultingVersion: next });
    } else {
      correction.status = CorrectionStatus.REJECTED;
    }
    await announce(tx, publication, approve ? 'CORRECTION_APPROVED' : 'CORRECTION_REJECTED', viewer.userId, correction);
    return correction;
  });
}

/** The department's correction requests (a HEAD's queue when `status` is PENDING), newest first. */
export async function listCorrections(em: EntityManager, viewer: Viewer, status: CorrectionStatus | null, publicationId: number | null): Promise<Correction[]> {
  const where: FilterQuery<Correction>[] = [];
  if (publicationId !== null) {
    await getPublication(em, viewer, publicationId);
    where.push({ publication: publicationId });
  } else if (!hasRole(viewer, Role.ADMIN, Role.AUDITOR)) {
    where.push({ department: viewer.departmentId });
  }
  if (status) where.push({ status });
  return em.find(Correction, { $and: where }, { orderBy: { id: 'desc' }, limit: MAX_BATCH });
}

// ---- the public side ----------------------------------------------------------------------------

export interface PublicFilter {
  enterprise?: string | null;
  departmentId?: number | null;
  taskId?: number | null;
  from?: string | null;
  to?: string | null;
}

/** Published results only, newest first; every filter optional. No login, so nothing here is scoped. */
export async function searchPublicResults(em: EntityManager, filter: PublicFilter, page: PageArgs): Promise<ConnectionShape<Publication>> {
  if (page.first > MAX_PUBLIC_PAGE) throw new BadInputError('first', `应在 1 到 ${MAX_PUBLIC_PAGE} 之间`);
  const where: FilterQuery<Publication>[] = [];
  const text = filter.enterprise?.trim();
  if (text) {
    if (text.length > 100) throw new BadInputError('enterprise', '不能超过 100 个字');
    const uscc = normalizeUscc(text);
    if (/^[0-9A-Z]{18}$/.test(uscc)) where.push({ uscc });
    else where.push({ enterpriseName: { $ilike: `%${escapeLike(text)}%` } });
  }
  if (filter.departmentId != null) where.push({ departmentIds: { $contains: [filter.departmentId] } });
  if (filter.taskId != null) where.push({ taskIds: { $contains: [filter.taskId] } });
  if (filter.from) checkDate('from', filter.from);
  if (filter.to) checkDate('to', filter.to);
  if (filter.from && filter.to && filter.from > filter.to) throw new BadInputError('from', '起始日期不能晚于截止日期');
  if (filter.from) where.push({ completedOn: { $gte: filter.from } });
  if (filter.to) where.push({ completedOn: { $lte: filter.to } });
  return paginate(em, Publication, { $and: where }, page, 'desc');
}

export async function getPublicResult(em: EntityManager, id: number): Promise<Publication> {
  const publication = await em.findOne(Publication, { id });
  if (!publication) throw new NotFoundError('公示记录', id);
  return publication;
}

/** The current version of each publication, in one query. */
export async function currentVersions(em: EntityManager, pubs: Publication[]): Promise<Map<number, PublicationVersion>> {
  if (pubs.length === 0) return new Map();
  const versions = await em.find(PublicationVersion, { $or: pubs.map((p) => ({ publication: p.id, number: p.currentVersion })) });
  return new Map(versions.map((v) => [v.publication.id, v]));
}

/** Every version of a record, oldest first: what the public saw, and when. */
export async function publicVersions(em: EntityManager, publicationIds: number[]): Promise<PublicationVersion[]> {
  return em.find(PublicationVersion, { publication: { $in: publicationIds } }, { orderBy: { publication: 'asc', number: 'asc' } });
}

/** What the public page offers to filter by: departments and tasks that have published results. */
export async function publicFilterOptions(em: EntityManager): Promise<{ departments: Department[]; tasks: Task[] }> {
  // One probe of the GIN index per department and per task, rather than reading every publication.
  const conn = em.getConnection();
  const departmentIds = (
    await conn.execute<{ id: number }[]>('select d.id from department d where exists (select 1 from publication p where p.department_ids @> array[d.id])')
  ).map((r) => r.id);
  const taskIds = (await conn.execute<{ id: number }[]>('select t.id from task t where exists (select 1 from publication p where p.task_ids @> array[t.id])')).map(
    (r) => r.id,
  );
  return {
    departments: await em.find(Department, { id: { $in: departmentIds } }, { orderBy: { id: 'asc' } }),
    tasks: await em.find(Task, { id: { $in: taskIds } }, { orderBy: { id: 'asc' }, populate: ['plan'] }),
  };
}
