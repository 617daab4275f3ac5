import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError } from './errors.js';

export const MAX_PAGE_SIZE = 500;

/** What a caller asks of a list: how many, and after which cursor (the previous page's endCursor). */
export interface PageRequest {
  first: number;
  after?: string | null;
}

export interface PageInfoShape {
  endCursor: string | null;
  hasNextPage: boolean;
}

/**
 * A page of records. `totalCount` is read lazily (a getter): the count runs only when a caller
 * asks for it, so a list that shows no total costs one statement less.
 */
export interface ConnectionShape<T> {
  nodes: T[];
  pageInfo: PageInfoShape;
  readonly totalCount: number | Promise<number>;
}

function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^id:(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new BadInputError('after', '无效，请使用上一页返回的 endCursor');
  return Number(match[1]);
}

export function checkPageSize(first: number, max = MAX_PAGE_SIZE): void {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new BadInputError('first', `应在 1 到 ${max} 之间`);
  }
}

/** A connection over records already read: the page of `first` out of `rows` (one extra tells whether more follow). */
export function connectionOf<T extends { id: number }>(rows: T[], first: number, count: () => Promise<number>): ConnectionShape<T> {
  const hasNextPage = rows.length > first;
  const nodes = hasNextPage ? rows.slice(0, first) : rows;
  let total: Promise<number> | undefined;
  return {
    nodes,
    pageInfo: { hasNextPage, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].id) : null },
    get totalCount() {
      total ??= count();
      return total;
    },
  };
}

/** The same page with other nodes (say, their public form). The count stays lazy: spreading a connection would run it. */
export async function mapNodes<T, U>(page: ConnectionShape<T>, map: (nodes: T[]) => Promise<U[]>): Promise<ConnectionShape<U>> {
  const nodes = await map(page.nodes);
  return {
    nodes,
    pageInfo: page.pageInfo,
    get totalCount() {
      return page.totalCount;
    },
  };
}

/** Keyset pagination by id (oldest first, or newest first): stable under inserts, no OFFSET scans. */
export async function paginate<T extends { id: number }>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  page: PageRequest,
  order: 'asc' | 'desc' = 'asc',
): Promise<ConnectionShape<T>> {
  checkPageSize(page.first);
  const after = page.after ? decodeCursor(page.after) : null;
  const pageWhere = (
    after === null ? where : { $and: [where, { id: order === 'asc' ? { $gt: after } : { $lt: after } }] }
  ) as FilterQuery<T>;
  const rows = await em.find(entity, pageWhere, { orderBy: { id: order } as never, limit: page.first + 1 });
  return connectionOf(rows, page.first, () => em.count(entity, where));
}
