import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import type { HubContext } from '../../graphql/context.js';
import { parseId } from '../../core/ids.js';
import { loadRequiredRef } from '../../core/refs.js';
import { Department } from '../departments/department.entity.js';
import { CheckItem } from './check-item.entity.js';

@Resolver(() => CheckItem)
export class CheckItemResolver {
  @Query(() => [CheckItem], { description: '随机抽查事项清单（各部门公开的“一单”）' })
  checkItems(
    @Arg('departmentId', () => ID, { nullable: true, description: '部门' }) departmentId: string | null,
    @Arg('year', () => Int, { nullable: true, description: '年度' }) year: number | null,
    @Ctx() ctx: HubContext,
  ): Promise<CheckItem[]> {
    const where: FilterQuery<CheckItem> = {};
    if (departmentId != null) where.department = parseId('departmentId', departmentId);
    if (year != null) where.year = year;
    return ctx.em.find(CheckItem, where, { orderBy: { department: 'asc', year: 'desc', code: 'asc' } });
  }

  @FieldResolver(() => Department, { description: '检查主体' })
  department(@Root() item: CheckItem): Promise<Department> {
    return loadRequiredRef(item.department);
  }
}
