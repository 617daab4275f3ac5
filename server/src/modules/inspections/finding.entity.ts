import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { User } from '../auth/user.entity.js';
import { CheckItem, InspectionMethod } from '../checklist/check-item.entity.js';
import { Department } from '../departments/department.entity.js';
import { Officer } from '../registry/officer.entity.js';
import { FollowUpMeasure, ProblemKind, ResultCategory } from './finding.enums.js';
import { Inspection } from './inspection.entity.js';

/** 检查结果 for one item of one visit, recorded by an officer of the item's department. */
@ObjectType({ description: '检查结果（一项检查事项）' })
@Entity({ tableName: 'finding' })
@Unique({ properties: ['inspection', 'item'] })
export class Finding {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Inspection, { ref: true })
  inspection: Ref<Inspection>;

  @ManyToOne(() => CheckItem, { ref: true })
  item: Ref<CheckItem>;

  /** The item's department: whose officers may record it. */
  @ManyToOne(() => Department, { ref: true })
  department: Ref<Department>;

  @Field(() => [ResultCategory], { description: '检查结果（可多选，“未发现问题”不能与其他结果同选）' })
  @Enum({ items: () => ResultCategory, array: true })
  results: ResultCategory[];

  @Field(() => [ProblemKind], { description: '发现问题待后续处理的具体情形' })
  @Enum({ items: () => ProblemKind, array: true, defaultRaw: "'{}'" })
  problemKinds: ProblemKind[] = [];

  @Field(() => FollowUpMeasure, { description: '后续处置措施' })
  @Enum({ items: () => FollowUpMeasure })
  followUp: FollowUpMeasure;

  @Field(() => String, { nullable: true, description: '责令改正期限（YYYY-MM-DD）' })
  @Property({ type: 'date', nullable: true })
  followUpDeadline?: string;

  @Field(() => Boolean, { description: '后续处置是否已完成' })
  @Property({ type: 'boolean', default: false })
  followUpDone: boolean = false;

  @Field(() => String, { nullable: true, description: '后续处置完成日期' })
  @Property({ type: 'date', nullable: true })
  followUpDoneOn?: string;

  @Field(() => InspectionMethod, { description: '实际采用的检查方式' })
  @Enum({ items: () => InspectionMethod })
  method: InspectionMethod;

  @Field(() => String, { description: '备注' })
  @Property({ type: 'text', default: '' })
  notes: string = '';

  @ManyToOne(() => Officer, { ref: true })
  officer: Ref<Officer>;

  @ManyToOne(() => User, { ref: true })
  recordedBy: Ref<User>;

  @Field(() => Date, { description: '录入时间' })
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  recordedAt: Date = new Date();

  @Field(() => Int, { description: '版本号（乐观锁）' })
  @Property({ type: 'integer', version: true })
  version!: number;

  /** The key of the change last applied (an offline queue's replay of it changes nothing). */
  @Property({ type: 'text', nullable: true })
  idempotencyKey?: string | null;

  constructor(
    inspection: Ref<Inspection>,
    item: Ref<CheckItem>,
    department: Ref<Department>,
    officer: Ref<Officer>,
    recordedBy: Ref<User>,
  ) {
    this.inspection = inspection;
    this.item = item;
    this.department = department;
    this.officer = officer;
    this.recordedBy = recordedBy;
    this.results = [];
    this.followUp = FollowUpMeasure.NONE;
    this.method = InspectionMethod.ON_SITE;
  }
}
