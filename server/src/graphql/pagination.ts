import type { ClassType } from 'type-graphql';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { type ConnectionShape, MAX_PAGE_SIZE, type PageRequest } from '../core/paging.js';

@ArgsType()
export class PageArgs implements PageRequest {
  @Field(() => Int, { defaultValue: 50, description: `每页条数（1–${MAX_PAGE_SIZE}）` })
  first: number = 50;

  @Field(() => String, { nullable: true, description: '上一页返回的 endCursor' })
  after?: string | null;
}

/** The public search's page: smaller, for anonymous callers (MAX_PUBLIC_PAGE in public-search.service.ts). */
@ArgsType()
export class PublicPageArgs implements PageRequest {
  @Field(() => Int, { defaultValue: 50, description: '每页条数（1–100）' })
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
