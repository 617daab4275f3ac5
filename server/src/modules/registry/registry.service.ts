import type { FilterQuery } from '@mikro-orm/core';
import { type EntityManager, raw } from '@mikro-orm/postgresql';
import { RiskClass } from './registry.enums.js';
import { BadInputError, NotFoundError } from '../../core/errors.js';
import { type ConnectionShape, type PageRequest, paginate } from '../../core/paging.js';
import { parseIds } from '../../core/ids.js';
import { escapeLike } from '../../core/sql.js';
import { Enterprise } from './enterprise.entity.js';
import { Officer } from './officer.entity.js';
import type { EnterpriseFilterArgs, OfficerFilterArgs } from './registry.inputs.js';
import { checkUscc } from './uscc.js';

function enterpriseFilter(filter: EnterpriseFilterArgs): FilterQuery<Enterprise> {
  const where: FilterQuery<Enterprise>[] = [];
  const search = filter.search?.trim();
  if (search) {
    where.push({ $or: [{ name: { $ilike: `%${escapeLike(search)}%` } }, { uscc: { $like: `${escapeLike(search.toUpperCase())}%` } }] });
  }
  if (filter.industryIds?.length) where.push({ industryIds: { $overlap: parseIds('industryIds', filter.industryIds) } });
  if (filter.regionIds?.length) where.push({ region: { $in: parseIds('regionIds', filter.regionIds) } });
  if (filter.riskClasses?.length) where.push({ riskClass: { $in: filter.riskClasses } });
  if (filter.statuses?.length) where.push({ status: { $in: filter.statuses } });
  return where.length ? { $and: where } : {};
}

export async function listEnterprises(
  em: EntityManager,
  filter: EnterpriseFilterArgs,
  page: PageRequest,
): Promise<ConnectionShape<Enterprise>> {
  return paginate(em, Enterprise, enterpriseFilter(filter), page);
}

/** How many enterprises under the filter fall in each credit-risk class: one grouped count, not one count per class. */
export async function enterpriseRiskCounts(
  em: EntityManager,
  filter: EnterpriseFilterArgs,
): Promise<{ riskClass: RiskClass; count: number }[]> {
  const rows = await em
    .createQueryBuilder(Enterprise, 'e')
    .select(['e.riskClass', raw('count(*)::int as count')])
    .where(enterpriseFilter(filter) as never)
    .groupBy('e.riskClass')
    .execute<{ riskClass: RiskClass; count: number }[]>('all');
  const counts = new Map(rows.map((r) => [r.riskClass, Number(r.count)]));
  return Object.values(RiskClass).map((riskClass) => ({ riskClass, count: counts.get(riskClass) ?? 0 }));
}

/** Looks an enterprise up by its USCC; a malformed code is a BAD_USER_INPUT naming the reason. */
export async function enterpriseByUscc(em: EntityManager, raw: string): Promise<Enterprise> {
  const check = checkUscc(raw);
  if (!check.ok) throw new BadInputError('uscc', check.reason, { value: raw });
  const enterprise = await em.findOne(Enterprise, { uscc: check.value });
  if (!enterprise) throw new NotFoundError('监管对象', check.value);
  return enterprise;
}

export async function listOfficers(em: EntityManager, filter: OfficerFilterArgs, page: PageRequest): Promise<ConnectionShape<Officer>> {
  const where: FilterQuery<Officer>[] = [];
  const search = filter.search?.trim();
  if (search) {
    where.push({ $or: [{ name: { $ilike: `%${escapeLike(search)}%` } }, { certificateNo: { $like: `${escapeLike(search)}%` } }] });
  }
  if (filter.departmentIds?.length) where.push({ department: { $in: parseIds('departmentIds', filter.departmentIds) } });
  if (filter.regionIds?.length) where.push({ region: { $in: parseIds('regionIds', filter.regionIds) } });
  if (filter.specialty?.trim()) where.push({ specialties: { $contains: [filter.specialty.trim()] } });
  if (filter.statuses?.length) where.push({ status: { $in: filter.statuses } });
  return paginate(em, Officer, where.length ? { $and: where } : {}, page);
}
