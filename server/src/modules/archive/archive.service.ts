import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, NotFoundError } from '../../core/errors.js';
import { departmentsInScope, isStaffOf, scopeWhere, type Viewer } from '../../core/viewer.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Enterprise } from '../registry/enterprise.entity.js';
import { OfficerConflict } from '../registry/officer-conflict.entity.js';
import { riskHistoryOf } from '../registry/record.service.js';
import type { RiskClassChange } from '../registry/risk-class-change.entity.js';
import { checkUscc } from '../registry/uscc.js';

export interface ArchiveContent {
  enterprise: Enterprise;
  /** Every visit to the firm the viewer may read (its department's and the joint ones it took part in), newest first. */
  inspections: Inspection[];
  /** Visits to the firm the viewer may not read: counted, never shown. */
  inspectionsOutOfScope: number;
  riskClassChanges: RiskClassChange[];
  /** Conflicts declared by officers the viewer manages (or by the viewer's own officer record). */
  officerConflicts: OfficerConflict[];
}

/**
 * 企业信用档案: one firm's history with the inspecting departments — visits across departments
 * and years (with their items, results, referrals, follow-ups, evidence and publications through
 * the visit's own fields), risk-class changes, and declared officer conflicts for those who may
 * see them. Scope by the kernel's rule: nothing of a visit outside it but the count.
 */
export async function enterpriseArchive(em: EntityManager, viewer: Viewer, rawUscc: string): Promise<ArchiveContent> {
  const checked = checkUscc(rawUscc);
  if (!checked.ok) throw new BadInputError('uscc', checked.reason);
  const enterprise = await em.findOne(Enterprise, { uscc: checked.value });
  if (!enterprise) throw new NotFoundError('企业', checked.value);
  const inScope = scopeWhere<Inspection>(viewer, departmentsInScope);
  const [inspections, total, riskClassChanges, conflicts] = await Promise.all([
    em.find(Inspection, { $and: [{ enterprise }, inScope] }, { orderBy: { year: 'desc', id: 'desc' } }),
    em.count(Inspection, { enterprise }),
    riskHistoryOf(em, [enterprise.id]),
    em.find(OfficerConflict, { enterprise }, { populate: ['officer'], orderBy: { declaredAt: 'desc' } }),
  ]);
  return {
    enterprise,
    inspections,
    inspectionsOutOfScope: total - inspections.length,
    riskClassChanges,
    officerConflicts: conflicts.filter((c) => viewer.officerId === c.officer.id || isStaffOf(viewer, c.officer.getEntity().department.id)),
  };
}
