import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { RiskClass } from './registry.enums.js';
import type { HubContext } from '../../graphql/context.js';
import { BadInputError, NotFoundError } from '../../core/errors.js';
import { Connection, PageArgs } from '../../graphql/pagination.js';
import { parseId } from '../../core/ids.js';
import { loadRef, loadRequiredRef } from '../../core/refs.js';
import { Role, STAFF_ROLES } from '../../core/roles.js';
import { AdminOperation } from '../../graphql/auth.js';
import { Department, Region } from '../departments/department.entity.js';
import { Enterprise } from './enterprise.entity.js';
import { Industry } from './industry.entity.js';
import { Officer } from './officer.entity.js';
import {
  CreateEnterpriseInput,
  CreateOfficerInput,
  EnterpriseFieldsInput,
  EnterpriseFilterArgs,
  OfficerFieldsInput,
  OfficerFilterArgs,
} from './registry.inputs.js';
import * as records from './record.service.js';
import { RiskClassChange } from './risk-class-change.entity.js';
import { User } from '../auth/user.entity.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import type { Viewer } from '../../core/viewer.js';
import * as registry from './registry.service.js';

const EnterpriseConnection = Connection(Enterprise, 'Enterprise', '监管对象分页列表');
const OfficerConnection = Connection(Officer, 'Officer', '执法人员分页列表');

@Resolver(() => Industry)
export class IndustryResolver {
  @Query(() => [Industry], { description: '行业 / 检查对象类别' })
  industries(@Ctx() ctx: HubContext): Promise<Industry[]> {
    return ctx.em.find(Industry, {}, { orderBy: { id: 'asc' } });
  }

  @FieldResolver(() => Department, { nullable: true, description: '主管部门' })
  department(@Root() industry: Industry): Promise<Department | null> {
    return loadRef(industry.department);
  }
}

@ObjectType({ description: '一个信用风险分类的监管对象数' })
class RiskClassCount {
  @Field(() => RiskClass, { description: '信用风险分类' })
  riskClass!: RiskClass;

  @Field(() => Int, { description: '监管对象数' })
  count!: number;
}

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Authorized(...STAFF_ROLES)
  @Query(() => EnterpriseConnection, { description: '监管对象名录库（按 id 顺序分页）' })
  enterprises(
    @Args(() => EnterpriseFilterArgs) filter: EnterpriseFilterArgs,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: HubContext,
  ) {
    return registry.listEnterprises(ctx.em, filter, page);
  }

  @Authorized(...STAFF_ROLES)
  @Query(() => [RiskClassCount], { description: '按筛选条件统计各信用风险分类的监管对象数（一次分组计数）' })
  enterpriseRiskCounts(@Args(() => EnterpriseFilterArgs) filter: EnterpriseFilterArgs, @Ctx() ctx: HubContext) {
    return registry.enterpriseRiskCounts(ctx.em, filter);
  }

  @Authorized(...STAFF_ROLES)
  @Query(() => Enterprise, { description: '按 id 或统一社会信用代码读取监管对象（二选一）' })
  async enterprise(
    @Arg('id', () => ID, { nullable: true }) id: string | null,
    @Arg('uscc', () => String, { nullable: true }) uscc: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<Enterprise> {
    if (uscc != null) return registry.enterpriseByUscc(ctx.em, uscc);
    if (id == null) throw new BadInputError('id', '请提供编号（id）或统一社会信用代码（uscc）之一');
    const enterprise = await ctx.em.findOne(Enterprise, { id: parseId('id', id) });
    if (!enterprise) throw new NotFoundError('监管对象', id);
    return enterprise;
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Enterprise, { description: '新增监管对象（名录库）' })
  createEnterprise(
    @Arg('input', () => CreateEnterpriseInput) input: CreateEnterpriseInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Enterprise> {
    return records.createEnterprise(ctx.em, viewer, input);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Enterprise, { description: '修改监管对象：登记状态、住所、行业、区域，及信用风险分类（留存变更记录）' })
  updateEnterprise(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => EnterpriseFieldsInput) input: EnterpriseFieldsInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Enterprise> {
    return records.updateEnterprise(ctx.em, viewer, parseId('id', id), input);
  }

  @FieldResolver(() => [RiskClassChange], { description: '信用风险分类变更记录（新的在前）' })
  riskClassHistory(@Root() enterprise: Enterprise, @Ctx() ctx: HubContext): Promise<RiskClassChange[]> {
    return ctx.loaders.riskClassHistory(enterprise.id);
  }

  @FieldResolver(() => [Industry], { description: '所属行业' })
  industries(@Root() enterprise: Enterprise, @Ctx() ctx: HubContext): Promise<Industry[]> {
    // References by id load through the request's dataloader: one query for a whole page.
    return Promise.all(enterprise.industryIds.map((id) => loadRequiredRef(ctx.em.getReference(Industry, id, { wrapped: true }))));
  }

  @FieldResolver(() => Region, { description: '所属区域' })
  region(@Root() enterprise: Enterprise): Promise<Region> {
    return loadRequiredRef(enterprise.region);
  }
}

@Resolver(() => Officer)
export class OfficerResolver {
  // The 系统管理员 links accounts to officers, so it reads this list too.
  @AdminOperation()
  @Authorized(...STAFF_ROLES, Role.ADMIN)
  @Query(() => OfficerConnection, { description: '执法人员名录库' })
  officers(@Args(() => OfficerFilterArgs) filter: OfficerFilterArgs, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: HubContext) {
    return registry.listOfficers(ctx.em, filter, page);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Officer, { description: '新增本部门的执法人员' })
  createOfficer(
    @Arg('input', () => CreateOfficerInput) input: CreateOfficerInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Officer> {
    return records.createOfficer(ctx.em, viewer, input);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Officer, { description: '修改本部门的执法人员：状态、专长、执法证有效期' })
  updateOfficer(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => OfficerFieldsInput) input: OfficerFieldsInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Officer> {
    return records.updateOfficer(ctx.em, viewer, parseId('id', id), input);
  }

  @FieldResolver(() => Boolean, { description: '当前用户能否修改该执法人员（所属部门的业务人员或负责人）' })
  viewerCanEdit(@Root() officer: Officer, @CurrentViewer() viewer: Viewer): boolean {
    return records.canEditOfficer(viewer, officer);
  }

  @FieldResolver(() => Department, { description: '所属部门' })
  department(@Root() officer: Officer): Promise<Department> {
    return loadRequiredRef(officer.department);
  }

  @FieldResolver(() => Region, { description: '所属区域' })
  region(@Root() officer: Officer): Promise<Region> {
    return loadRequiredRef(officer.region);
  }
}

@Resolver(() => RiskClassChange)
export class RiskClassChangeResolver {
  @FieldResolver(() => User, { nullable: true, description: '变更人' })
  changedBy(@Root() change: RiskClassChange, @Ctx() ctx: HubContext): Promise<User | null> {
    return change.changedBy ? ctx.loaders.load(User, change.changedBy.id) : Promise.resolve(null);
  }
}
