import { ArgsType, Field, ID, InputType } from 'type-graphql';
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

@InputType({ description: '监管对象的登记信息；修改时只传需要修改的字段' })
export class EnterpriseFieldsInput {
  @Field(() => String, { nullable: true, description: '企业名称' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: '住所（经营场所）；传空字符串清除' })
  address?: string | null;

  @Field(() => String, { nullable: true, description: '法定代表人（负责人）；传空字符串清除' })
  legalRepresentative?: string | null;

  @Field(() => EnterpriseStatus, { nullable: true, description: '登记状态' })
  status?: EnterpriseStatus | null;

  @Field(() => [ID], { nullable: true, description: '所属行业（至少一个）' })
  industryIds?: string[] | null;

  @Field(() => ID, { nullable: true, description: '所属区域' })
  regionId?: string | null;

  @Field(() => RiskClass, { nullable: true, description: '信用风险分类；变更时须给出理由和来源' })
  riskClass?: RiskClass | null;

  @Field(() => String, { nullable: true, description: '信用风险分类变更理由' })
  riskClassReason?: string | null;

  @Field(() => String, { nullable: true, description: '信用风险分类的来源，如“省企业信用风险分类管理系统 2026年第三季度结果”' })
  riskClassSource?: string | null;
}

@InputType({ description: '新增监管对象' })
export class CreateEnterpriseInput extends EnterpriseFieldsInput {
  @Field(() => String, { description: '统一社会信用代码' })
  uscc!: string;
}

@InputType({ description: '执法人员信息；修改时只传需要修改的字段' })
export class OfficerFieldsInput {
  @Field(() => String, { nullable: true, description: '姓名' })
  name?: string | null;

  @Field(() => [String], { nullable: true, description: '业务专长' })
  specialties?: string[] | null;

  @Field(() => OfficerStatus, { nullable: true, description: '状态' })
  status?: OfficerStatus | null;

  @Field(() => ID, { nullable: true, description: '所属区域（新增时不填为本部门所在区域）' })
  regionId?: string | null;

  @Field(() => String, { nullable: true, description: '执法证有效期至（YYYY-MM-DD）；传空字符串表示长期有效' })
  certificateValidUntil?: string | null;
}

@InputType({ description: '新增本部门的执法人员' })
export class CreateOfficerInput extends OfficerFieldsInput {
  @Field(() => String, { description: '执法证号' })
  certificateNo!: string;
}
