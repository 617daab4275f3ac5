import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClassType } from 'type-graphql';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { BadInputError } from './errors.js';

export const MAX_PAGE_SIZE = 500;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 50, description: `每页条数（1–${MAX_PAGE_SIZE}）` })
  first: number = 50;

  @Field(() => String, { nullable: true, description: '上一页返回的 endCursor' })
  after?: string | null;
}

@ObjectType({ description: '分页信息' })
export class PageInfo {
  @Field(() => String, { nullable: true, description: '本页最后一条的游标，传给下一次查询的 after' })
  endCursor!: string | null;

  @Field(() => Boolean, { description: '是否还有下一页' })
  hasNextPage!: boolean;
}

export interface ConnectionShape<T> {
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** A `<Name>Connection` type: nodes, page info and the total count under the filter. */
export function Connection<T extends object>(itemType: ClassType<T>, name: string, description: string) {
  @ObjectType(`${name}Connection`, { description })
  class ConnectionClass implements ConnectionShape<T> {
    @Field(() => [itemType], { description: '本页记录' })
    nodes!: T[];

    @Field(() => PageInfo, { description: '分页信息' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: '符合条件的总数' })
    totalCount!: number;
  }
  return ConnectionClass;
}

function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^id:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new BadInputError('after', '无效，请使用上一页返回的 endCursor');
  return Number(match[1]);
}

export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadInputError('first', `应在 1 到 ${MAX_PAGE_SIZE} 之间`);
  }
}

/** Keyset pagination by id (oldest first, or newest first): stable under inserts, no OFFSET scans. */
export async function paginate<T extends { id: number }>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  page: PageArgs,
  order: 'asc' | 'desc' = 'asc',
): Promise<ConnectionShape<T>> {
  checkPageSize(page.first);
  const after = page.after ? decodeCursor(page.after) : null;
  const pageWhere = (after === null ? where : { $and: [where, { id: order === 'asc' ? { $gt: after } : { $lt: after } }] }) as FilterQuery<T>;
  const [rows, totalCount] = await Promise.all([
    em.find(entity, pageWhere, { orderBy: { id: order } as never, limit: page.first + 1 }),
    em.count(entity, where),
  ]);
  const hasNextPage = rows.length > page.first;
  const nodes = hasNextPage ? rows.slice(0, page.first) : rows;
  return {
    nodes,
    totalCount,
    pageInfo: { hasNextPage, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].id) : null },
  };
}
