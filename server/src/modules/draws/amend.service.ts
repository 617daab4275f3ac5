import { LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { isStaffOf, type Viewer } from '../../core/viewer.js';
import { User } from '../auth/user.entity.js';
import { emitEvent } from '../events/event.service.js';
import { EventType } from '../events/event-types.js';
import { Inspection, InspectionStatus } from '../inspections/inspection.entity.js';
import { Officer } from '../registry/officer.entity.js';
import { type DrawRecord, replayAmendments } from './draw-record.js';
import { getDraw } from './draw.service.js';
import { amendmentOf, type Draw, DrawAmendment, DrawStatus } from './draw.entity.js';
import { eligiblePools } from './visit-rules.js';

const OLD_FORMAT = '该抽取完成于旧版本，记录中没有承诺的执法人员库，不能按规则更换';

/** Why the viewer may not amend this visit's team now, or null — amendTeam's rule, also for the client (viewerCanAmendTeam). */
export function amendmentRefusal(viewer: Viewer, draw: Draw, inspection: Inspection): ForbiddenError | ConflictError | null {
  if (!isStaffOf(viewer, draw.leadDepartment.id)) return new ForbiddenError('只有发起部门的业务人员或负责人可以更换检查组人员');
  if (draw.status !== DrawStatus.REVEALED) return new ConflictError('只有已完成的抽取可以更换检查组人员');
  if (draw.spec?.format !== 2) return new ConflictError(OLD_FORMAT);
  if (inspection.status !== InspectionStatus.ASSIGNED) return new ConflictError('检查已开始，不能再更换检查组人员');
  return null;
}

/**
 * Replaces an officer on a revealed draw's visit (illness, a conflict declared after the draw):
 * the replacement is chosen by the draw's own rule from the pool committed at the opening
 * (officer-assignment.ts replacementFor), recorded as an amendment (who, when, why) that
 * `verify-draw` replays. Nothing else of the draw changes. Only before the visit has started.
 */
export async function amendTeam(
  em: EntityManager,
  viewer: Viewer,
  inspectionId: number,
  officerId: number,
  reason: string,
): Promise<Inspection> {
  const why = reason.trim();
  if (!why) throw new BadInputError('reason', '请说明更换理由（如因病、事后申报的利害关系）');
  if (why.length > 500) throw new BadInputError('reason', '不能超过 500 个字');
  return em.transactional(async (tx) => {
    const inspection = await tx.findOne(Inspection, { id: inspectionId }, { populate: ['officers', 'enterprise', 'tasks'] });
    if (!inspection) throw new NotFoundError('检查', inspectionId);
    // One amendment at a time per draw: each is chosen from the teams after the ones before it.
    const draw = await getDraw(tx, viewer, inspection.draw.id, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['record', 'pool'] });
    const refusal = amendmentRefusal(viewer, draw, inspection);
    if (refusal) throw refusal;
    const record = draw.record as DrawRecord | undefined;
    if (record?.format !== 'inspection-hub/draw-record@2' || 'error' in record.teams) throw new ConflictError(OLD_FORMAT);
    const leaving = inspection.officers.getItems().find((o) => o.id === officerId);
    if (!leaving) throw new BadInputError('officerId', '该执法人员不在本检查组');

    const visit = `${inspection.round - 1}:${inspection.enterprise.getEntity().uscc}`;
    const before = await tx.find(DrawAmendment, { draw }, { orderBy: { id: 'asc' } });
    const pools = eligiblePools(draw.pool ?? [], record.revealedOn);
    const replay = replayAmendments(record.seed, record.teams, pools, before.map(amendmentOf));
    if (!replay.ok) throw new ConflictError(`已有的人员调整与规则不符，不能继续调整：${replay.difference}`);
    let replacement;
    try {
      replacement = replay.next(visit, leaving.certificateNo);
    } catch (error) {
      throw error instanceof ConflictError ? error : new ConflictError((error as Error).message);
    }
    const user = await tx.findOneOrFail(User, viewer.userId);
    tx.persist(
      new DrawAmendment({
        draw: ref(draw),
        inspection: ref(inspection),
        visitKey: visit,
        outOfficer: ref(leaving),
        inOfficer: ref(tx.getReference(Officer, replacement.id)),
        outCertificateNo: leaving.certificateNo,
        inCertificateNo: replacement.certificateNo,
        reason: why,
        by: ref(user),
        byName: user.displayName,
      }),
    );
    inspection.officers.remove(leaving);
    inspection.officers.add(tx.getReference(Officer, replacement.id));
    if (!inspection.departmentIds.includes(replacement.departmentId))
      inspection.departmentIds = [...inspection.departmentIds, replacement.departmentId];
    await tx.flush();
    await emitEvent(
      tx,
      EventType.DRAW_TEAM_AMENDED,
      [...new Set([...draw.departmentIds, ...inspection.departmentIds])],
      {
        drawId: draw.id,
        inspectionId: inspection.id,
        taskIds: inspection.tasks.getIdentifiers<number>(),
        out: leaving.certificateNo,
        in: replacement.certificateNo,
        reason: why,
      },
      viewer.userId,
    );
    return inspection;
  });
}
