import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../graphql/context.js';
import { NotFoundError } from '../../core/errors.js';
import { parseId } from '../../core/ids.js';
import { loadRef, loadRequiredRef } from '../../core/refs.js';
import { Department, DepartmentLevel, Region } from './department.entity.js';

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => [Region], { description: '行政区划' })
  regions(@Ctx() ctx: HubContext): Promise<Region[]> {
    return ctx.em.find(Region, {}, { orderBy: { code: 'asc' } });
  }

  @FieldResolver(() => Region, { nullable: true, description: '上级区划' })
  parent(@Root() region: Region): Promise<Region | null> {
    return loadRef(region.parent);
  }
}

@Resolver(() => Department)
export class DepartmentResolver {
  @Query(() => [Department], { description: '部门' })
  departments(
    @Arg('level', () => DepartmentLevel, { nullable: true, description: '只列出该层级' }) level: DepartmentLevel | null,
    @Ctx() ctx: HubContext,
  ): Promise<Department[]> {
    return ctx.em.find(Department, level ? { level } : {}, { orderBy: { level: 'asc', id: 'asc' } });
  }

  @Query(() => Department, { description: '按 id 读取部门' })
  async department(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<Department> {
    const department = await ctx.em.findOne(Department, { id: parseId('id', id) });
    if (!department) throw new NotFoundError('部门', id);
    return department;
  }

  @FieldResolver(() => Region, { description: '所在区划' })
  region(@Root() department: Department): Promise<Region> {
    return loadRequiredRef(department.region);
  }

  @FieldResolver(() => Department, { nullable: true, description: '上级业务部门（县级部门对应的市级部门）' })
  parent(@Root() department: Department): Promise<Department | null> {
    return loadRef(department.parent);
  }
}
