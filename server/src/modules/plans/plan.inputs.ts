import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';

@InputType({ description: '修改抽查任务；只传需要修改的字段' })
export class UpdateTaskInput {
  @Field(() => Int, { description: '修改前读取到的版本号（乐观锁）' })
  version!: number;

  @Field(() => String, { nullable: true, description: '抽查任务名称' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: '抽查对象范围（原文）' })
  scopeText?: string | null;

  @Field(() => Int, { nullable: true, description: '抽查起始月份（1–12）' })
  windowFromMonth?: number | null;

  @Field(() => Int, { nullable: true, description: '抽查截止月份（1–12）' })
  windowToMonth?: number | null;

  @Field(() => Int, { nullable: true, description: '每年抽查频次（1–12）' })
  frequencyPerYear?: number | null;
}

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
