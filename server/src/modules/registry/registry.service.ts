import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, NotFoundError } from '../../core/errors.js';
import { type ConnectionShape, type PageRequest, paginate } from '../../core/paging.js';
import { parseIds } from '../../core/ids.js';
import { escapeLike } from '../../core/sql.js';
import { Enterprise } from './enterprise.entity.js';
import { Officer } from './officer.entity.js';
import type { EnterpriseFilterArgs, OfficerFilterArgs } from './registry.inputs.js';
import { checkUscc } from './uscc.js';

export async function listEnterprises(
  em: EntityManager,
  filter: EnterpriseFilterArgs,
  page: PageRequest,
): Promise<ConnectionShape<Enterprise>> {
  const where: FilterQuery<Enterprise>[] = [];
  const search = filter.search?.trim();
  if (search) {
    where.push({ $or: [{ name: { $ilike: `%${escapeLike(search)}%` } }, { uscc: { $like: `${escapeLike(search.toUpperCase())}%` } }] });
  }
  if (filter.industryIds?.length) where.push({ industryIds: { $overlap: parseIds('industryIds', filter.industryIds) } });
  if (filter.regionIds?.length) where.push({ region: { $in: parseIds('regionIds', filter.regionIds) } });
  if (filter.riskClasses?.length) where.push({ riskClass: { $in: filter.riskClasses } });
  if (filter.statuses?.length) where.push({ status: { $in: filter.statuses } });
  return paginate(em, Enterprise, where.length ? { $and: where } : {}, page);
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
