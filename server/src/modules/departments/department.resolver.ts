import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AdminOperation } from '../../graphql/auth.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import type { Viewer } from '../../core/viewer.js';
import { createDepartment, updateDepartment } from './department.service.js';
import type { HubContext } from '../../graphql/context.js';
import { NotFoundError } from '../../core/errors.js';
import { parseId } from '../../core/ids.js';
import { loadRef, loadRequiredRef } from '../../core/refs.js';
import { Department, DepartmentLevel, Region } from './department.entity.js';

@InputType({ description: '部门；修改时未给出的字段不变' })
class DepartmentInput {
  @Field(() => String, { nullable: true, description: '部门代码（新建时必填，之后不变），如 market、qinshui-industry' })
  code?: string;

  @Field(() => String, { nullable: true, description: '全称' })
  name?: string;

  @Field(() => String, { nullable: true, description: '简称（计划文本中的写法）' })
  shortName?: string;

  @Field(() => DepartmentLevel, { nullable: true, description: '层级' })
  level?: DepartmentLevel;

  @Field(() => ID, { nullable: true, description: '所在区划' })
  regionId?: string;

  @Field(() => ID, { nullable: true, description: '县级部门对应的上级市级部门；传 null 解除' })
  parentId?: string | null;
}

@Resolver(() => Region)
export class RegionResolver {
  @AdminOperation()
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
  @AdminOperation()
  @Query(() => [Department], { description: '部门' })
  departments(
    @Arg('level', () => DepartmentLevel, { nullable: true, description: '只列出该层级' }) level: DepartmentLevel | null,
    @Ctx() ctx: HubContext,
  ): Promise<Department[]> {
    return ctx.em.find(Department, level ? { level } : {}, { orderBy: { level: 'asc', id: 'asc' } });
  }

  @AdminOperation()
  @Query(() => Department, { description: '按 id 读取部门' })
  async department(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<Department> {
    const department = await ctx.em.findOne(Department, { id: parseId('id', id) });
    if (!department) throw new NotFoundError('部门', id);
    return department;
  }

  @AdminOperation()
  @Mutation(() => Department, { description: '新建部门（系统管理员）' })
  createDepartment(@Arg('input', () => DepartmentInput) input: DepartmentInput, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext) {
    return createDepartment(ctx.em, viewer, input);
  }

  @AdminOperation()
  @Mutation(() => Department, { description: '修改部门的名称、层级、区划或上级市级部门（系统管理员）；部门代码不变' })
  updateDepartment(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => DepartmentInput) input: DepartmentInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ) {
    return updateDepartment(ctx.em, viewer, id, input);
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
