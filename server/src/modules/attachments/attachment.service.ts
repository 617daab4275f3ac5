import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import type { Viewer } from '../../core/viewer.js';
import { appendAudit, inputDigest } from '../audit/audit.service.js';
import { User } from '../auth/user.entity.js';
import { EventType } from '../events/event-types.js';
import { emitEvent } from '../events/event.service.js';
import { Finding } from '../inspections/finding.entity.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { getInspection, isLeadActor, isOpen, lockInspection, onTeam, readInspection, teamOf } from '../inspections/inspection.service.js';
import { Attachment } from './attachment.entity.js';
import { type BlobStore, sha256Of } from './blob-store.js';
import { EvidenceRefusal, examineEvidence } from './evidence-file.js';

/** What the phone read from a photo before it resized it (resizing drops EXIF). */
export interface DeviceExif {
  takenAt: Date | null;
  latitude: number | null;
  longitude: number | null;
}

export interface NewAttachment {
  inspectionId: number;
  findingId: number | null;
  fileName: string;
  /** Required once the visit is submitted: evidence added later says why. */
  reason: string | null;
  data: Buffer;
  device?: DeviceExif;
}

/** Who may add evidence to a visit: its team, and the lead department's staff. */
export function canAddEvidence(viewer: Viewer, inspection: Inspection, teamOfficerIds: readonly number[]): boolean {
  return onTeam(viewer, teamOfficerIds) || isLeadActor(viewer, inspection, teamOfficerIds);
}

/** Why the viewer may not remove this evidence (null: it may). Removal ends with submission. */
export function removalRefusal(
  viewer: Viewer,
  inspection: Inspection,
  teamOfficerIds: readonly number[],
  attachment: Attachment,
): { code: 'FORBIDDEN' | 'CONFLICT'; reason: string } | null {
  if (attachment.uploadedBy.id !== viewer.userId && !isLeadActor(viewer, inspection, teamOfficerIds)) {
    return { code: 'FORBIDDEN', reason: '只有上传人或发起部门可以删除证据' };
  }
  if (!isOpen(inspection)) return { code: 'CONFLICT', reason: '检查已提交，证据不能删除，只能补充（须填写理由）' };
  return null;
}

/** The departments told of a change to the visit's evidence: the visit's, and those its findings were referred to. */
async function evidenceAudience(tx: EntityManager, inspection: Inspection): Promise<number[]> {
  const rows = await tx
    .getConnection()
    .execute<{ id: number }[]>(
      'select distinct r.to_department_id as id from referral r join finding f on f.id = r.finding_id where f.inspection_id = ?',
      [inspection.id],
      'all',
      tx.getTransactionContext(),
    );
  return [...inspection.departmentIds, ...rows.map((r) => r.id)];
}

/** Tells the visit's departments (and its referrals' recipients) that its evidence changed. */
async function announceEvidence(
  tx: EntityManager,
  inspection: Inspection,
  attachment: { id: number; findingId: number | null; sha256: string },
  action: 'ADDED' | 'REMOVED',
  actorId: number,
) {
  await tx.flush();
  await emitEvent(
    tx,
    EventType.EVIDENCE_CHANGED,
    await evidenceAudience(tx, inspection),
    {
      inspectionId: inspection.id,
      taskIds: inspection.tasks.getIdentifiers<number>(),
      findingId: attachment.findingId,
      attachmentId: attachment.id,
      sha256: attachment.sha256,
      action,
    },
    actorId,
  );
}

/**
 * Adds a file to a visit or one of its findings. The file is checked by content and stored
 * (content-addressed, so storing before the transaction leaves at worst an unreferenced blob);
 * then, in one transaction, the row, its event and its audit entry — which carries the hash.
 * The same file on the same finding again returns the first row: a replayed upload is applied once.
 */
export async function addAttachment(
  em: EntityManager,
  viewer: Viewer,
  store: BlobStore,
  auditKey: Buffer,
  input: NewAttachment,
): Promise<Attachment> {
  const fileName = input.fileName.trim().slice(0, 255);
  if (!fileName) throw new BadInputError('fileName', '缺少文件名');
  // Scope first: nobody learns anything about a visit outside it from the file checks.
  await getInspection(em, viewer, input.inspectionId);
  let facts;
  try {
    facts = await examineEvidence(input.data);
  } catch (error) {
    if (error instanceof EvidenceRefusal) throw new BadInputError('file', `「${fileName}」${error.message}`, { fileName });
    throw error;
  }
  const sha256 = sha256Of(input.data);
  const thumbnailSha256 = facts.thumbnail ? sha256Of(facts.thumbnail) : null;
  await store.put(sha256, input.data, facts.mediaType);
  if (facts.thumbnail && thumbnailSha256) await store.put(thumbnailSha256, facts.thumbnail, 'image/webp');

  return em.transactional(async (tx) => {
    const inspection = await lockInspection(tx, viewer, input.inspectionId);
    await tx.populate(inspection, ['officers', 'tasks']);
    const team = teamOf(inspection);
    if (!canAddEvidence(viewer, inspection, team)) throw new ForbiddenError('只有检查组成员或发起部门可以上传证据');
    let finding: Finding | null = null;
    if (input.findingId !== null) {
      finding = await tx.findOne(Finding, { id: input.findingId, inspection });
      if (!finding) throw new NotFoundError('本次检查的检查结果', input.findingId);
    }
    const existing = await tx.findOne(Attachment, { inspection, finding, sha256 });
    if (existing) return existing;
    const reason = input.reason?.trim() || null;
    if (!isOpen(inspection) && !reason) throw new BadInputError('reason', '检查已提交，补充证据须填写理由');
    const device = facts.takenAt || facts.latitude !== null ? null : (input.device ?? null);
    const attachment = new Attachment({
      inspection: ref(inspection),
      finding: finding ? ref(finding) : null,
      sha256,
      fileName,
      mediaType: facts.mediaType,
      size: input.data.length,
      width: facts.width,
      height: facts.height,
      thumbnailSha256,
      takenAt: facts.takenAt ?? device?.takenAt ?? null,
      latitude: facts.latitude ?? device?.latitude ?? null,
      longitude: facts.longitude ?? device?.longitude ?? null,
      reason: reason?.slice(0, 500) ?? null,
      uploadedBy: ref(tx.getReference(User, viewer.userId)),
    });
    tx.persist(attachment);
    await tx.flush(); // the new row's id
    await announceEvidence(tx, inspection, { id: attachment.id, findingId: finding?.id ?? null, sha256 }, 'ADDED', viewer.userId);
    await appendAudit(tx, auditKey, {
      actorId: viewer.userId,
      departmentId: viewer.departmentId,
      operation: 'addAttachment',
      target: `inspectionId=${inspection.id} sha256=${sha256}`,
      success: true,
      errorCode: null,
      inputDigest: inputDigest({ inspectionId: inspection.id, findingId: finding?.id ?? null, sha256, fileName, reason }),
    });
    return attachment;
  });
}

/** Removes evidence from a visit still open (a wrong photo); the audit keeps its hash. */
export async function removeAttachment(em: EntityManager, viewer: Viewer, id: number): Promise<Attachment> {
  return em.transactional(async (tx) => {
    const attachment = await tx.findOne(Attachment, { id });
    if (!attachment) throw new NotFoundError('证据', id);
    const inspection = await lockInspection(tx, viewer, attachment.inspection.id);
    await tx.populate(inspection, ['officers', 'tasks']);
    const refusal = removalRefusal(viewer, inspection, teamOf(inspection), attachment);
    if (refusal) throw refusal.code === 'FORBIDDEN' ? new ForbiddenError(refusal.reason) : new ConflictError(refusal.reason);
    const removed = { id, findingId: attachment.finding?.id ?? null, sha256: attachment.sha256 };
    tx.remove(attachment);
    await announceEvidence(tx, inspection, removed, 'REMOVED', viewer.userId);
    return attachment;
  });
}

/** One attachment to read: within the visit's scope, or a referral's receiving department. */
export async function readAttachment(em: EntityManager, viewer: Viewer, id: number): Promise<Attachment> {
  const attachment = await em.findOne(Attachment, { id });
  if (!attachment) throw new NotFoundError('证据', id);
  await readInspection(em, viewer, attachment.inspection.id);
  return attachment;
}

/** The evidence of each visit, oldest first (for the loaders). */
export async function attachmentsOfInspections(em: EntityManager, inspectionIds: number[]): Promise<Attachment[]> {
  return em.find(Attachment, { inspection: { $in: inspectionIds } }, { orderBy: { id: 'asc' } });
}
