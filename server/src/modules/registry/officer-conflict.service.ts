import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isStaffOf, type Viewer } from '../../core/viewer.js';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { User } from '../auth/user.entity.js';
import { Officer } from './officer.entity.js';
import { OfficerConflict } from './officer-conflict.entity.js';
import { enterpriseByUscc } from './registry.service.js';

/** Who may declare or read an officer's conflicts: the officer, or STAFF/HEAD of the officer's department. */
function mayManage(viewer: Viewer, officer: Officer): boolean {
  return viewer.officerId === officer.id || isStaffOf(viewer, officer.department.id);
}

async function officerFor(em: EntityManager, viewer: Viewer, officerId: number): Promise<Officer> {
  const officer = await em.findOne(Officer, { id: officerId });
  if (!officer) throw new NotFoundError('执法人员', officerId);
  if (!mayManage(viewer, officer)) throw new ForbiddenError('只有执法人员本人或其所在部门的业务人员、负责人可以办理回避');
  return officer;
}

export async function declareConflict(
  em: EntityManager,
  viewer: Viewer,
  officerId: number,
  uscc: string,
  reason: string,
): Promise<OfficerConflict> {
  const text = reason.trim();
  if (!text) throw new BadInputError('reason', '不能为空');
  if (text.length > 255) throw new BadInputError('reason', '不能超过 255 个字');
  return em.transactional(async (tx) => {
    const officer = await officerFor(tx, viewer, officerId);
    const enterprise = await enterpriseByUscc(tx, uscc);
    if (await tx.count(OfficerConflict, { officer, enterprise })) throw new ConflictError('该执法人员对该企业的回避声明已存在');
    const conflict = new OfficerConflict(ref(officer), ref(enterprise), text);
    conflict.declaredBy = ref(tx.getReference(User, viewer.userId));
    tx.persist(conflict);
    return conflict;
  });
}

export async function conflictsOf(em: EntityManager, viewer: Viewer, officerId: number): Promise<OfficerConflict[]> {
  const officer = await officerFor(em, viewer, officerId);
  return em.find(OfficerConflict, { officer }, { orderBy: { declaredAt: 'desc' } });
}
