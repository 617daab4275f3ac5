// The public side of 一公开: published results only, no login.
import { type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, checkDate, NotFoundError } from '../../core/errors.js';
import { type ConnectionShape, type PageRequest, paginate } from '../../core/paging.js';
import { escapeLike } from '../../core/sql.js';
import { Department } from '../departments/department.entity.js';
import { Task } from '../plans/task.entity.js';
import { normalizeUscc } from '../registry/uscc.js';
import { Publication, PublicationVersion } from './publication.entity.js';

export const MAX_PUBLIC_PAGE = 100;

export interface PublicFilter {
  enterprise?: string | null;
  departmentId?: number | null;
  taskId?: number | null;
  from?: string | null;
  to?: string | null;
}

/** Published results only, newest first; every filter optional. No login, so nothing here is scoped. */
export async function searchPublicResults(
  em: EntityManager,
  filter: PublicFilter,
  page: PageRequest,
): Promise<ConnectionShape<Publication>> {
  if (page.first > MAX_PUBLIC_PAGE) throw new BadInputError('first', `应在 1 到 ${MAX_PUBLIC_PAGE} 之间`);
  const where: FilterQuery<Publication>[] = [];
  const text = filter.enterprise?.trim();
  if (text) {
    if (text.length > 100) throw new BadInputError('enterprise', '不能超过 100 个字');
    const uscc = normalizeUscc(text);
    if (/^[0-9A-Z]{18}$/.test(uscc)) where.push({ uscc });
    else where.push({ enterpriseName: { $ilike: `%${escapeLike(text)}%` } });
  }
  if (filter.departmentId != null) where.push({ departmentIds: { $contains: [filter.departmentId] } });
  if (filter.taskId != null) where.push({ taskIds: { $contains: [filter.taskId] } });
  if (filter.from) checkDate('from', filter.from);
  if (filter.to) checkDate('to', filter.to);
  if (filter.from && filter.to && filter.from > filter.to) throw new BadInputError('from', '起始日期不能晚于截止日期');
  if (filter.from) where.push({ completedOn: { $gte: filter.from } });
  if (filter.to) where.push({ completedOn: { $lte: filter.to } });
  return paginate(em, Publication, { $and: where }, page, 'desc');
}

export async function getPublicResult(em: EntityManager, id: number): Promise<Publication> {
  const publication = await em.findOne(Publication, { id });
  if (!publication) throw new NotFoundError('公示记录', id);
  return publication;
}

/** The current version of each publication, in one query. */
export async function currentVersions(em: EntityManager, pubs: Publication[]): Promise<Map<number, PublicationVersion>> {
  if (pubs.length === 0) return new Map();
  const versions = await em.find(PublicationVersion, { $or: pubs.map((p) => ({ publication: p.id, number: p.currentVersion })) });
  return new Map(versions.map((v) => [v.publication.id, v]));
}

/** Every version of a record, oldest first: what the public saw, and when. */
export async function publicVersions(em: EntityManager, publicationIds: number[]): Promise<PublicationVersion[]> {
  return em.find(PublicationVersion, { publication: { $in: publicationIds } }, { orderBy: { publication: 'asc', number: 'asc' } });
}

/** What the public page offers to filter by: departments and tasks that have published results. */
export async function publicFilterOptions(em: EntityManager): Promise<{ departments: Department[]; tasks: Task[] }> {
  // One probe of the GIN index per department and per task, rather than reading every publication.
  const conn = em.getConnection();
  const departmentIds = (
    await conn.execute<{ id: number }[]>(
      'select d.id from department d where exists (select 1 from publication p where p.department_ids @> array[d.id])',
    )
  ).map((r) => r.id);
  const taskIds = (
    await conn.execute<{ id: number }[]>(
      'select t.id from task t where exists (select 1 from publication p where p.task_ids @> array[t.id])',
    )
  ).map((r) => r.id);
  return {
    departments: await em.find(Department, { id: { $in: departmentIds } }, { orderBy: { id: 'asc' } }),
    tasks: await em.find(Task, { id: { $in: taskIds } }, { orderBy: { id: 'asc' }, populate: ['plan'] }),
  };
}
