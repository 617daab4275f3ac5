import { ArrayType, Collection, type Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToMany, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CheckItem } from '../checklist/check-item.entity.js';
import { Department } from '../departments/department.entity.js';
import { Draw } from '../draws/draw.entity.js';
import { Task } from '../plans/task.entity.js';
import { Enterprise } from '../registry/enterprise.entity.js';
import { Officer } from '../registry/officer.entity.js';

export enum InspectionStatus {
  ASSIGNED = 'ASSIGNED',
  IN_PROGRESS = 'IN_PROGRESS',
  SUBMITTED = 'SUBMITTED',
  FINALISED = 'FINALISED',
}
registerEnumType(InspectionStatus, {
  name: 'InspectionStatus',
  description: '检查状态',
  valuesConfig: {
    ASSIGNED: { description: '已派员' },
    IN_PROGRESS: { description: '检查中' },
    SUBMITTED: { description: '已提交' },
    FINALISED: { description: '已办结' },
  },
});

/** One visit to one enterprise: every item of every task of the draw that selected it (进一次门，查多项事). */
@ObjectType({ description: '检查（一次上门）' })
@Entity({ tableName: 'inspection' })
@Unique({ properties: ['draw', 'enterprise', 'round'] })
@Index({ properties: ['enterprise', 'year'] })
@Index({ properties: ['leadDepartment', 'status', 'completedOn'] })
export class Inspection {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Draw, { ref: true })
  draw: Ref<Draw>;

  @ManyToOne(() => Enterprise, { ref: true })
  enterprise: Ref<Enterprise>;

  @Field(() => Int, { description: '年度' })
  @Property({ type: 'integer' })
  year: number;

  @Field(() => Int, { description: '轮次（频次大于 1 时）' })
  @Property({ type: 'smallint' })
  round: number;

  @Field(() => Int, { description: '在抽取结果中的顺序' })
  @Property({ type: 'integer' })
  position: number;

  @ManyToOne(() => Department, { ref: true })
  leadDepartment: Ref<Department>;

  @ManyToMany(() => Task, undefined, { pivotTable: 'inspection_task', owner: true })
  tasks = new Collection<Task>(this);

  @ManyToMany(() => CheckItem, undefined, { pivotTable: 'inspection_check_item', owner: true })
  items = new Collection<CheckItem>(this);

  @ManyToMany(() => Officer, undefined, { pivotTable: 'inspection_officer', owner: true })
  officers = new Collection<Officer>(this);

  @Field(() => InspectionStatus, { description: '状态' })
  @Enum({ items: () => InspectionStatus })
  status: InspectionStatus = InspectionStatus.ASSIGNED;

  /** Every department in the visit (lead, partners with items, team): who may see it. */
  @Property({ type: new ArrayType<number>((i) => Number(i)), columnType: 'integer[]', defaultRaw: "'{}'" })
  departmentIds: number[] = [];

  @Field(() => Date, { nullable: true, description: '与企业约定的检查时间（双预约）' })
  @Property({ type: 'datetime', nullable: true })
  scheduledAt?: Date;

  @Field(() => Date, { nullable: true, description: '开始检查时间' })
  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date;

  @Field(() => Date, { nullable: true, description: '提交时间' })
  @Property({ type: 'datetime', nullable: true })
  submittedAt?: Date;

  @Field(() => Date, { nullable: true, description: '办结时间' })
  @Property({ type: 'datetime', nullable: true })
  finalisedAt?: Date;

  @Field(() => String, { nullable: true, description: '办结时生成的现场检查记录（PDF）的 SHA-256；此后打印的都是这一份' })
  @Property({ type: 'character(64)', nullable: true })
  recordSha256?: string | null;

  @Field(() => String, { nullable: true, description: '负责人最近一次退回修改的意见（检查组据此修改后再提交）' })
  @Property({ type: 'text', nullable: true })
  returnComment?: string;

  @Field(() => Date, { nullable: true, description: '最近一次退回修改的时间' })
  @Property({ type: 'datetime', nullable: true })
  returnedAt?: Date;

  /** 抽查完成日期 (China date of finalisation): the publication deadline counts from it. */
  @Field(() => String, { nullable: true, description: '抽查完成日期（办结日，YYYY-MM-DD）；公示期限从次日起算' })
  @Property({ type: 'date', nullable: true })
  completedOn?: string;

  @Field(() => Int, { description: '版本号（乐观锁）' })
  @Property({ type: 'integer', version: true })
  version!: number;

  constructor(
    draw: Ref<Draw>,
    enterprise: Ref<Enterprise>,
    year: number,
    round: number,
    position: number,
    leadDepartment: Ref<Department>,
  ) {
    this.draw = draw;
    this.enterprise = enterprise;
    this.year = year;
    this.round = round;
    this.position = position;
    this.leadDepartment = leadDepartment;
  }
}
