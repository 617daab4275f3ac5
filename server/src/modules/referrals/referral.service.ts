import { type FilterQuery, LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hasRole, isStaffOf, type Viewer } from '../../core/viewer.js';
import { BadInputError, checkDate, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { chinaDate } from '../../core/dates.js';
import { Role } from '../../core/roles.js';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { emitEvent } from '../events/event.service.js';
import { EventType } from '../events/event-types.js';
import { FollowUpMeasure, ResultCategory } from '../inspections/finding.enums.js';
import { Finding } from '../inspections/finding.entity.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Officer } from '../registry/officer.entity.js';
import { Referral, ReferralKind, ReferralStatus } from './referral.entity.js';

/**
 * Whoever acts for a finding: officers, STAFF and HEAD of its department — and under 市抽县查 those
 * of the county bureau that inspected in its place (its officer recorded the finding).
 */
export async function actsFor(viewer: Viewer, finding: Finding, lookup: Lookup): Promise<boolean> {
  if (!hasRole(viewer, Role.OFFICER, Role.STAFF, Role.HEAD)) return false;
  if (viewer.departmentId === finding.department.id) return true;
  const [own, officer] = await Promise.all([lookup.department(viewer.departmentId), lookup.officer(finding.officer.id)]);
  return own?.parent?.id === finding.department.id && officer?.department.id === viewer.departmentId;
}

/** How the rules read departments and officers: the transaction in a mutation, the request's loaders in a capability field. */
export interface Lookup {
  department(id: number): Promise<Department | null>;
  officer(id: number): Promise<Officer | null>;
}

function lookupIn(tx: EntityManager): Lookup {
  return { department: (id) => tx.findOne(Department, id), officer: (id) => tx.findOne(Officer, id) };
}

function onlyNoProblem(finding: Finding): boolean {
  return finding.results.length === 1 && finding.results[0] === ResultCategory.NO_PROBLEM;
}

/** Whether the viewer may refer this finding: it acts for the finding's department, and the finding shows a problem. */
export async function canRefer(viewer: Viewer, finding: Finding, lookup: Lookup): Promise<boolean> {
  return !onlyNoProblem(finding) && (await actsFor(viewer, finding, lookup));
}

/** Both ends of the loop, and every department of the visit (their view of the finding shows its mark). */
async function announce(tx: EntityManager, referral: Referral, actorId: number): Promise<void> {
  await tx.flush();
  const finding = await tx.findOneOrFail(Finding, referral.finding.id);
  const { departmentIds } = await tx.findOneOrFail(Inspection, finding.inspection.id);
  await emitEvent(
    tx,
    EventType.REFERRAL_UPDATED,
    [referral.fromDepartment.id, referral.toDepartment.id, ...departmentIds],
    {
      referralId: referral.id,
      findingId: referral.finding.id,
      status: referral.status,
      fromDepartmentId: referral.fromDepartment.id,
      toDepartmentId: referral.toDepartment.id,
    },
    actorId,
  );
}

/** A finding that shows a problem is handed to another department (or to case handling). */
export async function createReferral(
  em: EntityManager,
  viewer: Viewer,
  input: { findingId: number; toDepartmentId: number; kind: ReferralKind; description: string; dueOn: string },
): Promise<Referral> {
  const description = input.description.trim();
  if (!description) throw new BadInputError('description', '不能为空');
  checkDate('dueOn', input.dueOn);
  if (input.dueOn < chinaDate()) throw new BadInputError('dueOn', '办理期限不能早于今天');
  if (input.toDepartmentId === viewer.departmentId) throw new BadInputError('toDepartmentId', '不能移送给本部门');
  return em.transactional(async (tx) => {
    // Locked: two clerks referring the same finding to one department at once — one referral.
    const finding = await tx.findOne(Finding, { id: input.findingId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!finding) throw new NotFoundError('检查结果', input.findingId);
    if (!(await actsFor(viewer, finding, lookupIn(tx)))) throw new ForbiddenError('只有录入该结果的部门可以移送问题线索');
    if (onlyNoProblem(finding)) {
      throw new ConflictError('该事项未发现问题，无需移送');
    }
    const to = await tx.findOne(Department, { id: input.toDepartmentId });
    if (!to) throw new NotFoundError('部门', input.toDepartmentId);
    const open = await tx.findOne(Referral, { finding, toDepartment: to, status: { $ne: ReferralStatus.CLOSED } });
    if (open) {
      throw new ConflictError(`该结果已移送${to.shortName}（第 ${open.id} 号，尚未办结），不能重复移送`, { referralId: String(open.id) });
    }
    // The sender is the department that acts: under 市抽县查 the county bureau, which then follows it in its outbox.
    const from = ref(tx.getReference(Department, viewer.departmentId));
    const referral = new Referral(
      ref(finding),
      from,
      ref(to),
      input.kind,
      description,
      input.dueOn,
      ref(tx.getReference(User, viewer.userId)),
    );
    tx.persist(referral);
    await announce(tx, referral, viewer.userId);
    return referral;
  });
}

async function locked(tx: EntityManager, id: number, version: number): Promise<Referral> {
  const referral = await tx.findOne(Referral, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!referral) throw new NotFoundError('问题线索移送', id);
  if (referral.version !== version) {
    throw new ConflictError(`移送已被他人更新（当前版本 ${referral.version}），请刷新后重试`, { currentVersion: referral.version });
  }
  return referral;
}

/** The receiving department's STAFF or HEAD accepts. */
export async function acceptReferral(em: EntityManager, viewer: Viewer, id: number, version: number): Promise<Referral> {
  return em.transactional(async (tx) => {
    const referral = await locked(tx, id, version);
    if (!isStaffOf(viewer, referral.toDepartment.id)) throw new ForbiddenError('只有接收部门的业务人员或负责人可以接收');
    if (referral.status !== ReferralStatus.OPEN) throw new ConflictError('该移送已接收');
    referral.status = ReferralStatus.ACCEPTED;
    referral.acceptedAt = new Date();
    await announce(tx, referral, viewer.userId);
    return referral;
  });
}

/** The receiving department closes the loop with what it did (闭环). */
export async function closeReferral(em: EntityManager, viewer: Viewer, id: number, version: number, result: string): Promise<Referral> {
  const text = result.trim();
  if (!text) throw new BadInputError('result', '请填写办理结果');
  return em.transactional(async (tx) => {
    const referral = await locked(tx, id, version);
    if (!isStaffOf(viewer, referral.toDepartment.id)) throw new ForbiddenError('只有接收部门的业务人员或负责人可以办结');
    if (referral.status !== ReferralStatus.ACCEPTED)
      throw new ConflictError(referral.status === ReferralStatus.OPEN ? '请先接收再办结' : '该移送已办结');
    referral.status = ReferralStatus.CLOSED;
    referral.result = text;
    referral.closedAt = new Date();
    await announce(tx, referral, viewer.userId);
    return referral;
  });
}

/** The referrals of these findings, oldest first, in one query (the finding's 已移送 marks). */
export async function referralsOfFindings(em: EntityManager, findingIds: number[]): Promise<Referral[]> {
  return findingIds.length ? em.find(Referral, { finding: { $in: findingIds } }, { orderBy: { id: 'asc' } }) : [];
}

export type ReferralBox = 'INBOX' | 'OUTBOX';

/** Both sides see the loop until it closes: received (inbox) or sent (outbox); overdue = past due and not closed. */
export async function listReferrals(
  em: EntityManager,
  viewer: Viewer,
  box: ReferralBox,
  overdueOnly: boolean,
  today: string,
): Promise<Referral[]> {
  const where: FilterQuery<Referral> = box === 'INBOX' ? { toDepartment: viewer.departmentId } : { fromDepartment: viewer.departmentId };
  if (overdueOnly) Object.assign(where, { status: { $ne: ReferralStatus.CLOSED }, dueOn: { $lt: today } });
  return em.find(Referral, where, { orderBy: { status: 'asc', dueOn: 'asc', id: 'asc' } });
}

/**
 * 责令改正 due list of the viewer's department: open orders by deadline (overdue ones flagged by the
 * caller) — for a county bureau also those it recorded for its city department under 市抽县查.
 */
export async function rectifications(em: EntityManager, viewer: Viewer, overdueOnly: boolean, today: string): Promise<Finding[]> {
  const parent = (await em.findOne(Department, viewer.departmentId))?.parent?.id;
  const where: FilterQuery<Finding> = {
    $or: [{ department: viewer.departmentId }, ...(parent ? [{ department: parent, officer: { department: viewer.departmentId } }] : [])],
    followUp: FollowUpMeasure.ORDER_CORRECTION,
    followUpDone: false,
  };
  if (overdueOnly) Object.assign(where, { followUpDeadline: { $lt: today } });
  return em.find(Finding, where, { orderBy: { followUpDeadline: 'asc', id: 'asc' } });
}

/** The follow-up check: the order was carried out (复查), recorded by the finding's department. */
export async function completeFollowUp(
  em: EntityManager,
  viewer: Viewer,
  findingId: number,
  version: number,
  doneOn: string,
  notes?: string | null,
): Promise<Finding> {
  checkDate('doneOn', doneOn);
  return em.transactional(async (tx) => {
    const finding = await tx.findOne(Finding, { id: findingId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!finding) throw new NotFoundError('检查结果', findingId);
    if (!(await actsFor(viewer, finding, lookupIn(tx)))) throw new ForbiddenError('只有录入该结果的部门可以登记复查');
    if (finding.version !== version)
      throw new ConflictError(`检查结果已被他人更新（当前版本 ${finding.version}），请刷新后重试`, { currentVersion: finding.version });
    if (finding.followUp === FollowUpMeasure.NONE) throw new ConflictError('该结果无需后续处置');
    if (finding.followUpDone) throw new ConflictError('后续处置已登记完成');
    finding.followUpDone = true;
    finding.followUpDoneOn = doneOn;
    if (notes?.trim()) finding.notes = [finding.notes, `复查：${notes.trim()}`].filter(Boolean).join('\n');
    await tx.flush();
    const inspectionId = finding.inspection.id;
    const { departmentIds } = await tx.findOneOrFail(Inspection, inspectionId);
    await emitEvent(tx, EventType.FOLLOW_UP_DONE, departmentIds, { findingId: finding.id, inspectionId, doneOn }, viewer.userId);
    return finding;
  });
}
