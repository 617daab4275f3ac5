import { Arg, Authorized, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Role } from '../../core/roles.js';
import type { Viewer } from '../../core/viewer.js';
import type { HubContext } from '../../graphql/context.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Enterprise } from '../registry/enterprise.entity.js';
import { OfficerConflict } from '../registry/officer-conflict.entity.js';
import { RiskClassChange } from '../registry/risk-class-change.entity.js';
import { enterpriseArchive } from './archive.service.js';

@ObjectType({ description: '企业信用档案：该企业在各部门、各年度的抽查记录（限本部门可见范围）' })
class EnterpriseArchive {
  @Field(() => Enterprise, { description: '企业' })
  enterprise!: Enterprise;

  @Field(() => [Inspection], {
    description: '本部门可见的全部检查（本部门的和本部门参与的联合检查），新的在前；结果、移送、整改、证据与公示见各检查的字段',
  })
  inspections!: Inspection[];

  @Field(() => Int, { description: '其他部门对该企业的检查次数（不在本部门范围内，只计数、不显示内容）' })
  inspectionsOutOfScope!: number;

  @Field(() => [RiskClassChange], { description: '信用风险分类变更记录（新的在前）' })
  riskClassChanges!: RiskClassChange[];

  @Field(() => [OfficerConflict], { description: '执法人员对该企业的回避声明（仅本人及其所在部门的业务人员、负责人可见）' })
  officerConflicts!: OfficerConflict[];
}

@Resolver()
export class ArchiveResolver {
  @Authorized(Role.STAFF, Role.HEAD, Role.OFFICER)
  @Query(() => EnterpriseArchive, { description: '企业信用档案（按统一社会信用代码）' })
  enterpriseArchive(
    @Arg('uscc', () => String, { description: '统一社会信用代码' }) uscc: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<EnterpriseArchive> {
    return enterpriseArchive(ctx.em, viewer, uscc);
  }
}
