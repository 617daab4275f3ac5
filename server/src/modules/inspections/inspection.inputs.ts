import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { InspectionMethod } from '../checklist/check-item.entity.js';
import { FollowUpMeasure, ProblemKind, ResultCategory } from './finding.enums.js';
import { InspectionStatus } from './inspection.entity.js';

@InputType({ description: '录入一项检查结果' })
export class FindingInput {
  @Field(() => Int, { nullable: true, description: '修改已录入的结果时，读取到的版本号（乐观锁）；首次录入不填' })
  version?: number | null;

  @Field(() => [ResultCategory], { description: '检查结果（可多选）' })
  results!: ResultCategory[];

  @Field(() => [ProblemKind], { nullable: true, description: '发现问题待后续处理的具体情形' })
  problemKinds?: ProblemKind[] | null;

  @Field(() => FollowUpMeasure, { description: '后续处置措施' })
  followUp!: FollowUpMeasure;

  @Field(() => String, { nullable: true, description: '责令改正期限（YYYY-MM-DD）' })
  followUpDeadline?: string | null;

  @Field(() => InspectionMethod, { description: '实际采用的检查方式' })
  method!: InspectionMethod;

  @Field(() => String, { nullable: true, description: '备注' })
  notes?: string | null;

  @Field(() => String, {
    nullable: true,
    description: '客户端生成的幂等键（离线录入排队重发时保持不变）：同一键的重发只生效一次，返回当时的结果',
  })
  idempotencyKey?: string | null;
}

@ArgsType()
export class InspectionFilterArgs {
  @Field(() => ID, { nullable: true, description: '抽查任务' })
  taskId?: string | null;

  @Field(() => ID, { nullable: true, description: '抽取' })
  drawId?: string | null;

  @Field(() => [InspectionStatus], { nullable: true, description: '状态（任一）' })
  statuses?: InspectionStatus[] | null;

  @Field(() => Boolean, { nullable: true, description: '只看派给我的（执法人员）' })
  mine?: boolean | null;

  @Field(() => String, { nullable: true, description: '企业名称（部分）或统一社会信用代码' })
  search?: string | null;

  @Field(() => ID, { nullable: true, description: '企业所在区域（含下级区域）' })
  regionId?: string | null;

  @Field(() => String, { nullable: true, description: '约定检查日期不早于（YYYY-MM-DD，北京时间）' })
  scheduledFrom?: string | null;

  @Field(() => String, { nullable: true, description: '约定检查日期不晚于（YYYY-MM-DD，北京时间）' })
  scheduledTo?: string | null;
}
