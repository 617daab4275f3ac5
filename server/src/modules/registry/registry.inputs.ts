import { ArgsType, Field, ID } from 'type-graphql';
import { EnterpriseStatus, OfficerStatus, RiskClass } from './registry.enums.js';

@ArgsType()
export class EnterpriseFilterArgs {
  @Field(() => String, { nullable: true, description: '企业名称包含，或统一社会信用代码开头' })
  search?: string | null;

  @Field(() => [ID], { nullable: true, description: '行业（任一）' })
  industryIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: '所属区域（任一）' })
  regionIds?: string[] | null;

  @Field(() => [RiskClass], { nullable: true, description: '信用风险分类（任一）' })
  riskClasses?: RiskClass[] | null;

  @Field(() => [EnterpriseStatus], { nullable: true, description: '登记状态（任一）' })
  statuses?: EnterpriseStatus[] | null;
}

@ArgsType()
export class OfficerFilterArgs {
  @Field(() => String, { nullable: true, description: '姓名包含，或执法证号开头' })
  search?: string | null;

  @Field(() => [ID], { nullable: true, description: '所属部门（任一）' })
  departmentIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: '所属区域（任一）' })
  regionIds?: string[] | null;

  @Field(() => String, { nullable: true, description: '具备该业务专长' })
  specialty?: string | null;

  @Field(() => [OfficerStatus], { nullable: true, description: '状态（任一）' })
  statuses?: OfficerStatus[] | null;
}
