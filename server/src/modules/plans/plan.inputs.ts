import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import { RiskClass } from '../registry/registry.enums.js';
import { DrawType, Mode, RatioKind } from './plan.enums.js';

@ArgsType()
export class TaskFilterArgs {
  @Field(() => ID, { nullable: true, description: '所属计划' })
  planId?: string | null;

  @Field(() => Int, { nullable: true, description: '计划年度' })
  year?: number | null;

  @Field(() => ID, { nullable: true, description: '发起部门或配合部门' })
  departmentId?: string | null;

  @Field(() => String, { nullable: true, description: '任务名称包含' })
  search?: string | null;
}

@ArgsType()
export class PlanFilterArgs {
  @Field(() => Int, { nullable: true, description: '计划年度' })
  year?: number | null;

  @Field(() => ID, { nullable: true, description: '制定计划的部门' })
  departmentId?: string | null;
}

@InputType({ description: '新建年度计划（草稿）' })
export class CreatePlanInput {
  @Field(() => Int, { description: '计划年度' })
  year!: number;

  @Field(() => String, { description: '计划名称，如“晋城市商务局2027年度“双随机、一公开”抽查工作计划”' })
  name!: string;

  @Field(() => String, { nullable: true, description: '发文字号' })
  documentNo?: string | null;
}

@InputType({ description: '某一信用风险分类的抽查比例' })
export class RiskClassRatioInput {
  @Field(() => RiskClass, { description: '信用风险分类' })
  riskClass!: RiskClass;

  @Field(() => Float, { description: '百分比，如 5 表示 5%' })
  percent!: number;
}

@InputType({ description: '抽查比例：百分比、固定户数或各信用风险分类的比例' })
export class RatioInput {
  @Field(() => RatioKind, { description: '比例的形式（PERCENT、COUNT、PER_RISK_CLASS）' })
  kind!: RatioKind;

  @Field(() => Float, { nullable: true, description: '百分比（PERCENT）' })
  percent?: number | null;

  @Field(() => Boolean, { nullable: true, description: '是否为“不低于”该比例（PERCENT）' })
  atLeast?: boolean | null;

  @Field(() => Int, { nullable: true, description: '固定户数（COUNT）' })
  count?: number | null;

  @Field(() => [RiskClassRatioInput], { nullable: true, description: '各信用风险分类的比例（PER_RISK_CLASS）' })
  perRiskClass?: RiskClassRatioInput[] | null;
}

@InputType({ description: '抽查任务的各栏（公开计划表格中的每一栏）' })
export class TaskFieldsInput {
  @Field(() => String, { nullable: true, description: '抽查任务名称' })
  name?: string | null;

  @Field(() => [ID], { nullable: true, description: '发起部门本部门的检查事项（配合部门的事项由其确认时选择）' })
  itemIds?: string[] | null;

  @Field(() => String, { nullable: true, description: '抽查对象范围（文字表述）' })
  scopeText?: string | null;

  @Field(() => [ID], { nullable: true, description: '抽查对象范围：行业' })
  scopeIndustryIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: '抽查对象范围：区域（空为全部）' })
  scopeRegionIds?: string[] | null;

  @Field(() => RatioInput, { nullable: true, description: '抽查比例' })
  ratio?: RatioInput | null;

  @Field(() => Boolean, { nullable: true, description: '是否按信用风险分类递增比例、频次' })
  riskStratified?: boolean | null;

  @Field(() => String, { nullable: true, description: '智慧监管（信用风险分类）要求' })
  riskRuleText?: string | null;

  @Field(() => Int, { nullable: true, description: '每年抽查频次（1–12）' })
  frequencyPerYear?: number | null;

  @Field(() => Int, { nullable: true, description: '抽查起始月份（1–12）' })
  windowFromMonth?: number | null;

  @Field(() => Int, { nullable: true, description: '抽查截止月份（1–12）' })
  windowToMonth?: number | null;

  @Field(() => [Mode], { nullable: true, description: '抽查模式（新增时默认市抽市查）' })
  modes?: Mode[] | null;

  @Field(() => DrawType, { nullable: true, description: '定向 / 不定向' })
  drawType?: DrawType | null;

  @Field(() => Int, {
    nullable: true,
    description: '定向（结果运用）：只抽取该年度（早于计划年度）检查中发现问题的企业；修改时填 0 取消',
  })
  problemYear?: number | null;

  @Field(() => [ID], {
    nullable: true,
    description: '配合部门：各自确认联合事项后计划才能批准；修改时须包含现有的全部配合部门（移出请撤回并说明理由）',
  })
  partnerDepartmentIds?: string[] | null;
}

@InputType({ description: '新增抽查任务：公开计划表格中的每一栏' })
export class CreateTaskInput extends TaskFieldsInput {
  @Field(() => String, { description: '抽查任务名称' })
  override name!: string;

  @Field(() => [ID], { description: '抽查事项：发起部门本部门的检查事项（配合部门确认时各自选择）' })
  override itemIds!: string[];

  @Field(() => RatioInput, { description: '抽查比例' })
  override ratio!: RatioInput;
}

@InputType({ description: '修改草稿计划中的抽查任务；只传需要修改的字段（配合部门的增减：新增的待确认，移出须用撤回并说明理由）' })
export class UpdateTaskInput extends TaskFieldsInput {
  @Field(() => Int, { description: '修改前读取到的版本号（乐观锁）' })
  version!: number;
}
