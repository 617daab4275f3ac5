import { type FilterQuery, LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertInScope, departmentsInScope, hasRole, inScope, isStaffOf, scopeWhere, type Viewer } from '../../core/viewer.js';
import { BadInputError, checkDate, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { escapeLike } from '../../core/sql.js';
import { checkIdempotencyKey, parseId, parseUuid } from '../../core/ids.js';
import { type ConnectionShape, type PageRequest, paginate } from '../../core/paging.js';
import { chinaDate, chinaDayAfter, chinaDayStart, isIsoDate } from '../../core/dates.js';
import { Role } from '../../core/roles.js';
import { User } from '../auth/user.entity.js';
import { emitEvent } from '../events/event.service.js';
import { EventType } from '../events/event-types.js';
import { Officer } from '../registry/officer.entity.js';
import { FollowUpMeasure, ProblemKind, ResultCategory } from './finding.enums.js';
import { Finding } from './finding.entity.js';
import type { FindingInput, InspectionFilterArgs } from './inspection.inputs.js';
import { Inspection, InspectionStatus } from './inspection.entity.js';
import { agendaPage } from './agenda.js';

export async function getInspection(em: EntityManager, viewer: Viewer, id: number): Promise<Inspection> {
  const inspection = await em.findOne(Inspection, { id });
  if (!inspection) throw new NotFoundError('检查', id);
  assertInScope(viewer, inspection.departmentIds, '本部门未参与该检查');
  return inspection;
}

/**
 * A visit to read: as getInspection, and also for a department that received a referral of one of
 * its findings — it reads the finding, the visit and its evidence, and changes nothing.
 */
export async function readInspection(em: EntityManager, viewer: Viewer, id: number): Promise<Inspection> {
  const inspection = await em.findOne(Inspection, { id });
  if (!inspection) throw new NotFoundError('检查', id);
  if (inScope(viewer, inspection.departmentIds)) return inspection;
  const [{ received }] = await em
    .getConnection()
    .execute<{ received: boolean }[]>(
      'select exists(select 1 from referral r join finding f on f.id = r.finding_id where f.inspection_id = ? and r.to_department_id = ?) as received',
      [id, viewer.departmentId],
      'all',
      em.getTransactionContext(),
    );
  if (!received) throw new ForbiddenError('本部门未参与该检查，也未收到该检查的问题线索移送');
  return inspection;
}

export async function listInspections(
  em: EntityManager,
  viewer: Viewer,
  filter: InspectionFilterArgs,
  page: PageRequest,
): Promise<ConnectionShape<Inspection>> {
  const where: FilterQuery<Inspection>[] = [scopeWhere<Inspection>(viewer, departmentsInScope)];
  if (filter.taskId != null) where.push({ tasks: { id: parseId('taskId', filter.taskId) } });
  if (filter.drawId != null) where.push({ draw: parseUuid('drawId', filter.drawId) });
  if (filter.statuses?.length) where.push({ status: { $in: filter.statuses } });
  if (filter.mine) {
    if (!viewer.officerId) throw new BadInputError('mine', '当前账号不是执法人员账号');
    where.push({ officers: { id: viewer.officerId } });
  }
  const search = filter.search?.trim();
  if (search) {
    if (search.length > 100) throw new BadInputError('search', '不能超过 100 个字符');
    where.push({ enterprise: { $or: [{ name: { $ilike: `%${escapeLike(search)}%` } }, { uscc: search.toUpperCase() }] } });
  }
  if (filter.regionId != null) {
    // A county, or a city with its counties: the region or any region below it.
    const region = parseId('regionId', filter.regionId);
    where.push({ enterprise: { region: { $or: [{ id: region }, { parent: region }, { parent: { parent: region } }] } } });
  }
  // Days are China's, both included.
  if (filter.scheduledFrom) {
    checkDate('scheduledFrom', filter.scheduledFrom);
    where.push({ scheduledAt: { $gte: chinaDayStart(filter.scheduledFrom) } });
  }
  if (filter.scheduledTo) {
    checkDate('scheduledTo', filter.scheduledTo);
    where.push({ scheduledAt: { $lt: chinaDayAfter(filter.scheduledTo) } });
  }
  // An officer's own list is their day's agenda; other lists keep their stable order.
  return filter.mine ? agendaPage(em, { $and: where }, page) : paginate(em, Inspection, { $and: where }, page);
}

/** The findings of these inspections, oldest first, in one query (field resolvers batch through it). */
export async function findingsOfInspections(em: EntityManager, inspectionIds: number[]): Promise<Finding[]> {
  return inspectionIds.length ? em.find(Finding, { inspection: { $in: inspectionIds } }, { orderBy: { id: 'asc' } }) : [];
}

/** Whether the viewer's officer record is on the visit's team. */
export function onTeam(viewer: Viewer, teamOfficerIds: readonly number[]): boolean {
  return viewer.officerId !== null && teamOfficerIds.includes(viewer.officerId);
}

/** Whether the viewer acts for the lead department on this visit: its STAFF or HEAD, or its officer on the team. */
export function isLeadActor(viewer: Viewer, inspection: Inspection, teamOfficerIds: readonly number[]): boolean {
  const leadId = inspection.leadDepartment.id;
  return isStaffOf(viewer, leadId) || (viewer.departmentId === leadId && onTeam(viewer, teamOfficerIds));
}

/** The lead department acts on the visit: its STAFF or HEAD, or its officers on the team. */
async function leadActor(tx: EntityManager, viewer: Viewer, inspection: Inspection): Promise<void> {
  await tx.populate(inspection, ['officers']);
  if (!isLeadActor(viewer, inspection, teamOf(inspection))) {
    throw new ForbiddenError('只有发起部门的业务人员、负责人或检查组中的发起部门执法人员可以办理');
  }
}

export function teamOf(inspection: Inspection): number[] {
  return inspection.officers.getIdentifiers<number>();
}

/** A HEAD of the lead department: who finalises. */
export function isLeadHead(viewer: Viewer, inspection: Inspection): boolean {
  return inspection.leadDepartment.id === viewer.departmentId && hasRole(viewer, Role.HEAD);
}

/** What the viewer may do with the visit now, by the same rules the mutations enforce (the client shows only these). */
export function inspectionCapabilities(viewer: Viewer, inspection: Inspection, teamOfficerIds: readonly number[]) {
  const lead = isLeadActor(viewer, inspection, teamOfficerIds);
  return {
    canSchedule: lead && isOpen(inspection),
    canStart: onTeam(viewer, teamOfficerIds) && hasRole(viewer, Role.OFFICER) && inspection.status === InspectionStatus.ASSIGNED,
    canSubmit: lead && inspection.status === InspectionStatus.IN_PROGRESS,
    canFinalise: isLeadHead(viewer, inspection) && inspection.status === InspectionStatus.SUBMITTED,
    canReturn: isLeadHead(viewer, inspection) && inspection.status === InspectionStatus.SUBMITTED,
  };
}

/** Results can change until the lead department submits. */
export function isOpen(inspection: Inspection): boolean {
  return inspection.status === InspectionStatus.ASSIGNED || inspection.status === InspectionStatus.IN_PROGRESS;
}

/** The department an officer records for, and the city department it stands in for under 市抽县查. */
export interface RecorderDepartment {
  id: number;
  parentId: number | null;
}

/** Why the viewer may not record an item's result on this visit (null: it may). The one rule for the API and the client's forms. */
export function recordingRefusal(
  viewer: Viewer,
  inspection: Inspection,
  teamOfficerIds: readonly number[],
  recorder: RecorderDepartment | null,
  itemDepartmentId: number,
): { code: 'FORBIDDEN' | 'CONFLICT'; reason: string } | null {
  if (!hasRole(viewer, Role.OFFICER) || !onTeam(viewer, teamOfficerIds) || !recorder) {
    return { code: 'FORBIDDEN', reason: '只有派到该检查的执法人员可以录入检查结果' };
  }
  // 市抽县查: the county bureau of the item's department checks in its place.
  if (recorder.id !== itemDepartmentId && recorder.parentId !== itemDepartmentId) {
    return { code: 'FORBIDDEN', reason: '只能录入本部门（或市抽县查时所对应市级部门）的检查事项' };
  }
  if (!isOpen(inspection)) return { code: 'CONFLICT', reason: `检查已${STATUS_NAMES[inspection.status]}，结果不能再修改` };
  return null;
}

function checkVersion(inspection: Inspection, version: number): void {
  if (inspection.version !== version) {
    throw new ConflictError(`检查已被他人更新（当前版本 ${inspection.version}，提交的版本 ${version}），请刷新后重试`, {
      currentVersion: inspection.version,
    });
  }
}

/** The visit, in the viewer's scope, locked for the rest of the transaction. */
export async function lockInspection(tx: EntityManager, viewer: Viewer, id: number): Promise<Inspection> {
  await getInspection(tx, viewer, id);
  return tx.findOneOrFail(Inspection, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** Tells the visit's departments it changed (its pages and lists reload). */
export async function announceInspection(tx: EntityManager, inspection: Inspection, actorId: number): Promise<void> {
  await tx.flush();
  await emitEvent(
    tx,
    EventType.INSPECTION_UPDATED,
    inspection.departmentIds,
    {
      inspectionId: inspection.id,
      taskIds: inspection.tasks.getIdentifiers<number>(),
      status: inspection.status,
      version: inspection.version,
    },
    actorId,
  );
}

/** 双预约: the time agreed with the firm. */
export async function scheduleInspection(
  em: EntityManager,
  viewer: Viewer,
  id: number,
  version: number,
  scheduledAt: Date,
): Promise<Inspection> {
  if (Number.isNaN(scheduledAt.getTime())) throw new BadInputError('scheduledAt', '时间格式无效');
  const year = scheduledAt.getUTCFullYear();
  if (year < 2000 || year > 2100) throw new BadInputError('scheduledAt', '应在 2000 年到 2100 年之间');
  return em.transactional(async (tx) => {
    const inspection = await lockInspection(tx, viewer, id);
    await leadActor(tx, viewer, inspection);
    checkVersion(inspection, version);
    if (!isOpen(inspection)) throw new ConflictError('检查已提交，不能再修改预约时间');
    inspection.scheduledAt = scheduledAt;
    await tx.populate(inspection, ['tasks']);
    await announceInspection(tx, inspection, viewer.userId);
    return inspection;
  });
}

export async function startInspection(em: EntityManager, viewer: Viewer, id: number, version: number): Promise<Inspection> {
  return em.transactional(async (tx) => {
    const inspection = await lockInspection(tx, viewer, id);
    await tx.populate(inspection, ['officers', 'tasks']);
    if (!onTeam(viewer, teamOf(inspection))) throw new ForbiddenError('只有检查组成员可以开始检查');
    checkVersion(inspection, version);
    if (inspection.status !== InspectionStatus.ASSIGNED)
      throw new ConflictError(`检查当前为“${STATUS_NAMES[inspection.status]}”，不能开始`);
    inspection.status = InspectionStatus.IN_PROGRESS;
    inspection.startedAt = new Date();
    await announceInspection(tx, inspection, viewer.userId);
    return inspection;
  });
}

export const STATUS_NAMES: Record<InspectionStatus, string> = {
  ASSIGNED: '已派员',
  IN_PROGRESS: '检查中',
  SUBMITTED: '已提交',
  FINALISED: '已办结',
};

/**
 * The result form's rule on categories and problem kinds — for a finding and for a correction of a
 * published one alike. `at` is where the pair sits in the input (e.g. "input", "items[2]").
 */
export function checkResults(
  at: string,
  results: readonly ResultCategory[],
  problemKinds: readonly ProblemKind[] | null | undefined,
): { results: ResultCategory[]; problemKinds: ProblemKind[] } {
  const unique = [...new Set(results)];
  const kinds = [...new Set(problemKinds ?? [])];
  if (unique.length === 0) throw new BadInputError(`${at}.results`, '请至少选择一项检查结果');
  if (unique.includes(ResultCategory.NO_PROBLEM) && unique.length > 1)
    throw new BadInputError(`${at}.results`, '“未发现问题”不能与其他结果同时选择');
  if (unique.includes(ResultCategory.PROBLEM_PENDING) && kinds.length === 0) {
    throw new BadInputError(`${at}.problemKinds`, '选择“发现问题待后续处理”时须选择具体情形');
  }
  if (!unique.includes(ResultCategory.PROBLEM_PENDING) && kinds.length > 0) {
    throw new BadInputError(`${at}.problemKinds`, '只有“发现问题待后续处理”才需要选择具体情形');
  }
  return { results: unique, problemKinds: kinds };
}

/** The result form's rules for one finding; returns the categories and kinds without repeats. */
function validateFinding(input: FindingInput): { results: ResultCategory[]; problemKinds: ProblemKind[] } {
  const checked = checkResults('input', input.results, input.problemKinds);
  const { results } = checked;
  if (results.includes(ResultCategory.NO_PROBLEM) && input.followUp !== FollowUpMeasure.NONE) {
    throw new BadInputError('input.followUp', '未发现问题时无需后续处置');
  }
  if (input.followUp === FollowUpMeasure.ORDER_CORRECTION) {
    if (!input.followUpDeadline || !isIsoDate(input.followUpDeadline)) {
      throw new BadInputError('input.followUpDeadline', '责令改正须填写期限（YYYY-MM-DD）');
    }
  }
  if (input.followUp === FollowUpMeasure.OTHER && !input.notes?.trim())
    throw new BadInputError('input.notes', '选择“其他”时须在备注中说明');
  if ((input.notes?.length ?? 0) > 2000) throw new BadInputError('input.notes', '不能超过 2000 个字');
  return checked;
}

/**
 * An officer records the result of one item: only items of the officer's own department, only
 * on visits the officer is assigned to, only before submission. Editing needs the version read.
 */
export async function recordFinding(
  em: EntityManager,
  viewer: Viewer,
  inspectionId: number,
  itemId: number,
  input: FindingInput,
): Promise<Finding> {
  const { results, problemKinds } = validateFinding(input);
  return em.transactional(async (tx) => {
    const inspection = await lockInspection(tx, viewer, inspectionId);
    await tx.populate(inspection, ['officers', 'items', 'tasks']);
    const item = inspection.items.getItems().find((i) => i.id === itemId);
    if (!item) throw new NotFoundError('本次检查的检查事项', itemId);
    const officer = viewer.officerId === null ? null : await tx.findOne(Officer, viewer.officerId, { populate: ['department'] });
    const recorder = officer && { id: officer.department.id, parentId: officer.department.getEntity().parent?.id ?? null };
    const refusal = recordingRefusal(viewer, inspection, teamOf(inspection), recorder, item.department.id);
    if (refusal) throw refusal.code === 'FORBIDDEN' ? new ForbiddenError(refusal.reason) : new ConflictError(refusal.reason);
    let finding = await tx.findOne(Finding, { inspection, item });
    // A replay of a change already applied (an offline queue sending again) returns it unchanged.
    const key = checkIdempotencyKey(input.idempotencyKey);
    if (key && finding?.idempotencyKey === key) return finding;
    if (key && (await tx.count(Finding, { idempotencyKey: key }))) {
      throw new BadInputError('input.idempotencyKey', '该幂等键已用于另一项检查结果');
    }
    if (finding) {
      if (input.version == null || input.version !== finding.version) {
        throw new ConflictError(`该事项的结果已被他人更新（当前版本 ${finding.version}），请刷新后重试`, {
          currentVersion: finding.version,
        });
      }
    } else {
      finding = new Finding(ref(inspection), ref(item), item.department, ref(officer!), ref(tx.getReference(User, viewer.userId)));
      tx.persist(finding);
    }
    Object.assign(finding, {
      results,
      problemKinds,
      followUp: input.followUp,
      followUpDeadline: input.followUp === FollowUpMeasure.ORDER_CORRECTION ? input.followUpDeadline : undefined,
      method: input.method,
      notes: input.notes?.trim() ?? '',
      officer: ref(officer!),
      recordedBy: ref(tx.getReference(User, viewer.userId)),
      idempotencyKey: key,
    });
    if (inspection.status === InspectionStatus.ASSIGNED) {
      inspection.status = InspectionStatus.IN_PROGRESS;
      inspection.startedAt = new Date();
    }
    await tx.flush();
    await emitEvent(
      tx,
      EventType.FINDING_RECORDED,
      inspection.departmentIds,
      {
        inspectionId: inspection.id,
        taskIds: inspection.tasks.getIdentifiers<number>(),
        findingId: finding.id,
        itemId: item.id,
        departmentId: item.department.id,
        version: finding.version,
      },
      viewer.userId,
    );
    return finding;
  });
}

/** The lead department submits once every item has a result. */
export async function submitInspection(em: EntityManager, viewer: Viewer, id: number, version: number): Promise<Inspection> {
  return em.transactional(async (tx) => {
    const inspection = await lockInspection(tx, viewer, id);
    await leadActor(tx, viewer, inspection);
    checkVersion(inspection, version);
    if (inspection.status !== InspectionStatus.IN_PROGRESS)
      throw new ConflictError(`检查当前为“${STATUS_NAMES[inspection.status]}”，不能提交`);
    await tx.populate(inspection, ['items', 'tasks']);
    const done = new Set((await tx.find(Finding, { inspection })).map((f) => f.item.id));
    const missing = inspection.items.getItems().filter((i) => !done.has(i.id));
    if (missing.length) {
      throw new BadInputError('findings', `以下事项尚未录入结果：${missing.map((i) => i.item).join('；')}`, {
        missingItemIds: missing.map((i) => String(i.id)),
      });
    }
    inspection.status = InspectionStatus.SUBMITTED;
    inspection.submittedAt = new Date();
    await announceInspection(tx, inspection, viewer.userId);
    return inspection;
  });
}

/** A submitted visit, locked, for the lead department's HEAD to decide on (finalise or return). */
async function submittedForHead(
  tx: EntityManager,
  viewer: Viewer,
  id: number,
  version: number,
  action: '办结' | '退回',
): Promise<Inspection> {
  const inspection = await lockInspection(tx, viewer, id);
  if (!isLeadHead(viewer, inspection)) throw new ForbiddenError(`只有发起部门负责人可以${action}检查`);
  checkVersion(inspection, version);
  if (inspection.status !== InspectionStatus.SUBMITTED)
    throw new ConflictError(`检查当前为“${STATUS_NAMES[inspection.status]}”，提交后才能${action}`);
  return inspection;
}

/**
 * A HEAD of the lead department sends a submitted visit back to its team with a comment: it is open
 * again (IN_PROGRESS), the team reads why on the visit, corrects and submits anew.
 */
export async function returnInspection(
  em: EntityManager,
  viewer: Viewer,
  id: number,
  version: number,
  comment: string,
): Promise<Inspection> {
  const why = comment.trim();
  if (!why) throw new BadInputError('comment', '请填写退回意见');
  if (why.length > 2000) throw new BadInputError('comment', '不能超过 2000 个字符');
  return em.transactional(async (tx) => {
    const inspection = await submittedForHead(tx, viewer, id, version, '退回');
    inspection.status = InspectionStatus.IN_PROGRESS;
    inspection.returnComment = why;
    inspection.returnedAt = new Date();
    await tx.populate(inspection, ['tasks']);
    await announceInspection(tx, inspection, viewer.userId);
    return inspection;
  });
}

/** A HEAD of the lead department finalises; after that nothing changes (corrections go through publication). */
export async function finaliseInspection(em: EntityManager, viewer: Viewer, id: number, version: number): Promise<Inspection> {
  return em.transactional(async (tx) => {
    const inspection = await submittedForHead(tx, viewer, id, version, '办结');
    inspection.status = InspectionStatus.FINALISED;
    inspection.finalisedAt = new Date();
    inspection.completedOn = chinaDate(inspection.finalisedAt);
    await tx.populate(inspection, ['tasks']);
    await announceInspection(tx, inspection, viewer.userId);
    return inspection;
  });
}
