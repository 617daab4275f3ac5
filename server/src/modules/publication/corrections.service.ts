// Corrections of published results: requested by a partner's clerk, decided by its head; versions never change.
import { type FilterQuery, LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hasRole, scopeWhere, type Viewer } from '../../core/viewer.js';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { chinaDate } from '../../core/dates.js';
import { Role } from '../../core/roles.js';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import type { ProblemKind, ResultCategory } from '../inspections/finding.enums.js';
import { checkResults } from '../inspections/inspection.service.js';
import { applyChanges, type ResultChange } from './public-record.js';
import { Correction, CorrectionStatus, Publication, PublicationStatus, PublicationVersion } from './publication.entity.js';
import { announce, getPublication, MAX_BATCH } from './publish.service.js';

export interface CorrectionItem {
  itemId: number;
  results: ResultCategory[];
  problemKinds?: ProblemKind[] | null;
}

export async function currentVersion(em: EntityManager, publication: Publication): Promise<PublicationVersion> {
  return em.findOneOrFail(PublicationVersion, { publication, number: publication.currentVersion });
}

/** STAFF asks to correct its own department's items of a published record, with a reason. */
export async function requestCorrection(
  em: EntityManager,
  viewer: Viewer,
  publicationId: number,
  reason: string,
  items: CorrectionItem[],
): Promise<Correction> {
  const why = reason.trim();
  if (!why) throw new BadInputError('reason', '请填写更正理由');
  if (why.length > 500) throw new BadInputError('reason', '不能超过 500 个字');
  if (items.length === 0) throw new BadInputError('items', '请至少更正一项检查事项');
  const changes: ResultChange[] = items.map((item, i) => ({
    itemId: item.itemId,
    ...checkResults(`items[${i}]`, item.results, item.problemKinds),
  }));
  return em.transactional(async (tx) => {
    const publication = await tx.findOne(Publication, { id: publicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!publication) throw new NotFoundError('公示记录', publicationId);
    if (!publication.departmentIds.includes(viewer.departmentId)) throw new ForbiddenError('本部门在该公示记录中没有检查事项');
    const current = await currentVersion(tx, publication);
    applyChanges(current.record, viewer.departmentId, changes); // validates items and ownership now, not at approval
    const pending = await tx.findOne(Correction, { publication, status: CorrectionStatus.PENDING });
    if (pending)
      throw new ConflictError(`该公示记录已有待审核的更正申请（编号 ${pending.id}），审核后才能再次申请`, {
        correctionId: String(pending.id),
      });
    const correction = new Correction(
      ref(publication),
      ref(tx.getReference(Department, viewer.departmentId)),
      why,
      changes,
      publication.currentVersion,
      ref(tx.getReference(User, viewer.userId)),
    );
    tx.persist(correction);
    await announce(tx, publication, 'CORRECTION_REQUESTED', viewer.userId, correction);
    return correction;
  });
}

/** A HEAD of the requesting department approves (a new version is published) or rejects (with a reason). */
export async function decideCorrection(
  em: EntityManager,
  viewer: Viewer,
  id: number,
  version: number,
  approve: boolean,
  note?: string | null,
): Promise<Correction> {
  const comment = note?.trim() || undefined;
  if (!approve && !comment) throw new BadInputError('note', '驳回时请填写理由');
  if ((comment?.length ?? 0) > 500) throw new BadInputError('note', '不能超过 500 个字');
  return em.transactional(async (tx) => {
    const correction = await tx.findOne(Correction, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!correction) throw new NotFoundError('更正申请', id);
    if (correction.department.id !== viewer.departmentId || !hasRole(viewer, Role.HEAD))
      throw new ForbiddenError('只有申请部门的负责人可以审核更正');
    if (correction.version !== version)
      throw new ConflictError(`更正申请已被他人更新（当前版本 ${correction.version}），请刷新后重试`, {
        currentVersion: correction.version,
      });
    if (correction.status !== CorrectionStatus.PENDING) throw new ConflictError('该更正申请已审核');
    const publication = await tx.findOneOrFail(Publication, { id: correction.publication.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (publication.currentVersion !== correction.baseVersion) throw new ConflictError('公示记录在申请后已有新版本，请重新申请更正');
    const today = chinaDate();
    Object.assign(correction, { decidedBy: ref(tx.getReference(User, viewer.userId)), decidedAt: new Date(), decisionNote: comment });
    if (approve) {
      const current = await currentVersion(tx, publication);
      const next = publication.currentVersion + 1;
      tx.persist(
        new PublicationVersion(
          ref(publication),
          next,
          applyChanges(current.record, correction.department.id, correction.changes),
          today,
          correction.reason,
        ),
      );
      Object.assign(publication, {
        currentVersion: next,
        status: PublicationStatus.CORRECTED,
        correctedOn: today,
        correctionReason: correction.reason,
      });
      Object.assign(correction, { status: CorrectionStatus.APPROVED, resultingVersion: next });
    } else {
      correction.status = CorrectionStatus.REJECTED;
    }
    await announce(tx, publication, approve ? 'CORRECTION_APPROVED' : 'CORRECTION_REJECTED', viewer.userId, correction);
    return correction;
  });
}

/** The department's correction requests (a HEAD's queue when `status` is PENDING), newest first. */
export async function listCorrections(
  em: EntityManager,
  viewer: Viewer,
  status: CorrectionStatus | null,
  publicationId: number | null,
): Promise<Correction[]> {
  const where: FilterQuery<Correction>[] = [];
  if (publicationId !== null) {
    await getPublication(em, viewer, publicationId);
    where.push({ publication: publicationId });
  } else {
    where.push(scopeWhere<Correction>(viewer, (department) => ({ department })));
  }
  if (status) where.push({ status });
  return em.find(Correction, { $and: where }, { orderBy: { id: 'desc' }, limit: MAX_BATCH });
}
