import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { chinaDayAfter, chinaDayStart } from '../../core/dates.js';
import { checkDate } from '../../core/errors.js';
import { AuditEntry } from './audit.entity.js';

/** What the 审计管理员 narrows the log by; every field optional. */
export interface AuditFilter {
  actorId?: number | null;
  departmentId?: number | null;
  operation?: string | null;
  success?: boolean | null;
  /** China dates (YYYY-MM-DD), both inclusive. */
  from?: string | null;
  to?: string | null;
}

/** The filter as a query on the log (one rule for the page and the export). */
export function auditWhere(filter: AuditFilter): FilterQuery<AuditEntry> {
  const where: FilterQuery<AuditEntry>[] = [];
  if (filter.actorId != null) where.push({ actorId: filter.actorId });
  if (filter.departmentId != null) where.push({ departmentId: filter.departmentId });
  if (filter.operation) where.push({ operation: filter.operation });
  if (filter.success != null) where.push({ success: filter.success });
  if (filter.from) {
    checkDate('from', filter.from);
    where.push({ at: { $gte: chinaDayStart(filter.from) } });
  }
  if (filter.to) {
    checkDate('to', filter.to);
    where.push({ at: { $lt: chinaDayAfter(filter.to) } });
  }
  return where.length ? { $and: where } : {};
}

/** A page of the log, newest first, before an entry id. */
export function searchAudit(em: EntityManager, filter: AuditFilter, first: number, before: string | null): Promise<AuditEntry[]> {
  const where = auditWhere(filter);
  return em.find(AuditEntry, before ? { $and: [where, { id: { $lt: before } }] } : where, { orderBy: { id: 'desc' }, limit: first });
}
