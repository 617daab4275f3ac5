// 一公开: the lead department publishes finalised visits; who sees a publication inside the hub.
import { LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isStaffOf, type Viewer } from '../../core/viewer.js';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { chinaDate } from '../../core/dates.js';
import { checkIdempotencyKey } from '../../core/ids.js';
import { User } from '../auth/user.entity.js';
import { emitEvent } from '../events/event.service.js';
import { EventType, type EventPayloads } from '../events/event-types.js';
import { Inspection, InspectionStatus } from '../inspections/inspection.entity.js';
import { readInspection } from '../inspections/inspection.service.js';
import { buildPublicRecords } from './public-record.js';
import { Correction, Publication, PublicationVersion } from './publication.entity.js';
import { publicationDeadline } from './deadlines.service.js';

export const MAX_BATCH = 500;

/** Every department of the visit follows its publication: one event per change. */
export async function announce(
  tx: EntityManager,
  publication: Publication,
  action: EventPayloads[EventType.PUBLICATION_CHANGED]['action'],
  actorId: number,
  correction?: Correction,
): Promise<void> {
  await tx.flush();
  // Every department of the visit follows its publication.
  const { departmentIds } = await publication.inspection.loadOrFail();
  await emitEvent(
    tx,
    EventType.PUBLICATION_CHANGED,
    departmentIds,
    {
      publicationId: publication.id,
      inspectionId: publication.inspection.id,
      action,
      correctionId: correction?.id ?? null,
      currentVersion: publication.currentVersion,
    },
    actorId,
  );
}

/**
 * The lead department publishes finalised inspections, one or a batch, all or nothing: a batch
 * with one unpublishable inspection publishes none and names it. A retry with the batch's
 * idempotency key (a lost answer, a server killed mid-request) returns the same publications.
 */
export async function publishInspections(
  em: EntityManager,
  viewer: Viewer,
  inspectionIds: number[],
  idempotencyKey?: string | null,
): Promise<Publication[]> {
  const key = checkIdempotencyKey(idempotencyKey);
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
      if (!isStaffOf(viewer, inspection.leadDepartment.id))
        throw new ForbiddenError(`检查 ${inspection.id} 不是本部门发起的，由发起部门公示`);
      if (inspection.status !== InspectionStatus.FINALISED)
        throw new ConflictError(`检查 ${inspection.id} 尚未办结，办结后才能公示`, { inspectionId: String(inspection.id) });
    }
    if (key) {
      const earlier = await tx.find(Publication, { idempotencyKey: key }, { orderBy: { inspection: 'asc' } });
      if (earlier.length) {
        const same = earlier.length === ids.length && earlier.every((p) => ids.includes(p.inspection.id));
        if (!same) throw new BadInputError('idempotencyKey', '该幂等键已用于另一批公示');
        return earlier;
      }
    }
    const already = await tx.find(Publication, { inspection: { $in: ids } });
    if (already.length) {
      throw new ConflictError(`检查 ${already.map((p) => p.inspection.id).join('、')} 已公示`, {
        inspectionIds: already.map((p) => String(p.inspection.id)),
      });
    }
    const today = chinaDate();
    const publications: Publication[] = [];
    const records = await buildPublicRecords(tx, inspections);
    for (const inspection of inspections) {
      const record = records.get(inspection.id)!;
      const deadline = publicationDeadline(record.completedOn);
      const publication = new Publication(
        ref(inspection),
        inspection.leadDepartment,
        {
          departmentIds: [...new Set(record.items.map((i) => i.departmentId))],
          taskIds: record.tasks.map((t) => t.taskId),
          enterpriseName: record.enterpriseName,
          uscc: record.uscc,
          completedOn: record.completedOn,
          dueOn: deadline.due,
          dueProvisional: deadline.provisional,
          publishedOn: today,
        },
        ref(tx.getReference(User, viewer.userId)),
      );
      publication.idempotencyKey = key ?? undefined;
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
  await readInspection(em, viewer, publication.inspection.id);
  return publication;
}

/** The publications of these inspections (unpublished ones have none), in one query. */
export async function publicationsOfInspections(em: EntityManager, inspectionIds: number[]): Promise<Publication[]> {
  return inspectionIds.length ? em.find(Publication, { inspection: { $in: inspectionIds } }) : [];
}
