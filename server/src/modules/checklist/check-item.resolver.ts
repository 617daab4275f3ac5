import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import type { HubContext } from '../../graphql/context.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import { parseId } from '../../core/ids.js';
import { loadRequiredRef } from '../../core/refs.js';
import { Role } from '../../core/roles.js';
import type { Viewer } from '../../core/viewer.js';
import { Department } from '../departments/department.entity.js';
import { CheckItem, CheckItemKind, InspectionMethod } from './check-item.entity.js';
import * as items from './check-item.service.js';

@InputType({ description: '检查事项的内容；修改时只传需要修改的字段' })
class CheckItemFieldsInput {
  @Field(() => String, { nullable: true, description: '事项编码（部门、年度内唯一；新增时不填则自动编号）' })
  code?: string | null;

  @Field(() => String, { nullable: true, description: '抽查类别' })
  category?: string | null;

  @Field(() => String, { nullable: true, description: '抽查事项' })
  item?: string | null;

  @Field(() => String, { nullable: true, description: '检查对象' })
  target?: string | null;

  @Field(() => CheckItemKind, { nullable: true, description: '事项类别' })
  kind?: CheckItemKind | null;

  @Field(() => InspectionMethod, { nullable: true, description: '检查方式' })
  method?: InspectionMethod | null;

  @Field(() => String, { nullable: true, description: '检查依据' })
  legalBasis?: string | null;

  @Field(() => String, { nullable: true, description: '执法人员须具备的业务专长' })
  requiredSpecialty?: string | null;
}

@InputType({ description: '新增本部门的检查事项' })
class CreateCheckItemInput extends CheckItemFieldsInput {
  @Field(() => Int, { description: '清单年度' })
  year!: number;
}

@InputType({ description: '修改本部门的检查事项' })
class UpdateCheckItemInput extends CheckItemFieldsInput {
  @Field(() => Int, { description: '修改前读取到的版本号（乐观锁）' })
  version!: number;
}

@Resolver(() => CheckItem)
export class CheckItemResolver {
  @Query(() => [CheckItem], { description: '随机抽查事项清单（各部门公开的“一单”）' })
  checkItems(
    @Arg('departmentId', () => ID, { nullable: true, description: '部门' }) departmentId: string | null,
    @Arg('year', () => Int, { nullable: true, description: '年度' }) year: number | null,
    @Arg('includeRetired', () => Boolean, { defaultValue: false, description: '是否包含已停用的事项' }) includeRetired: boolean,
    @Ctx() ctx: HubContext,
  ): Promise<CheckItem[]> {
    const where: FilterQuery<CheckItem> = {};
    if (departmentId != null) where.department = parseId('departmentId', departmentId);
    if (year != null) where.year = year;
    if (!includeRetired) where.retiredAt = null;
    return ctx.em.find(CheckItem, where, { orderBy: { department: 'asc', year: 'desc', code: 'asc' } });
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => CheckItem, { description: '新增本部门的检查事项' })
  createCheckItem(
    @Arg('input', () => CreateCheckItemInput) input: CreateCheckItemInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<CheckItem> {
    return items.createCheckItem(ctx.em, viewer, input);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => CheckItem, { description: '修改本部门的检查事项（已用于已批准计划的，只能修改专长要求）' })
  updateCheckItem(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCheckItemInput) input: UpdateCheckItemInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<CheckItem> {
    return items.updateCheckItem(ctx.em, viewer, parseId('id', id), input);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => CheckItem, { description: '停用本部门的检查事项（须说明理由）：不再用于新任务，已用的任务和检查照旧' })
  retireCheckItem(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { description: '停用理由' }) reason: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<CheckItem> {
    return items.retireCheckItem(ctx.em, viewer, parseId('id', id), reason);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Boolean, { description: '删除未被任何任务使用的检查事项（已使用的只能停用）' })
  deleteCheckItem(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    return items.deleteCheckItem(ctx.em, viewer, parseId('id', id));
  }

  @FieldResolver(() => Department, { description: '检查主体' })
  department(@Root() item: CheckItem): Promise<Department> {
    return loadRequiredRef(item.department);
  }

  @FieldResolver(() => Int, { description: '使用该事项的抽查任务数' })
  async usedByTasks(@Root() item: CheckItem, @Ctx() ctx: HubContext): Promise<number> {
    return (await ctx.loaders.checkItemUse(item.id)).tasks;
  }

  @FieldResolver(() => Boolean, { description: '当前用户能否修改、停用该事项（本部门的业务人员或负责人）' })
  viewerCanEdit(@Root() item: CheckItem, @CurrentViewer() viewer: Viewer): boolean {
    return items.canEditItem(viewer, item);
  }
}
