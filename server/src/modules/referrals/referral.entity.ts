import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { Finding } from '../inspections/finding.entity.js';

export enum ReferralKind {
  CASE_HANDLING = 'CASE_HANDLING',
  NOTIFY = 'NOTIFY',
}
registerEnumType(ReferralKind, {
  name: 'ReferralKind',
  description: '移送方式',
  valuesConfig: { CASE_HANDLING: { description: '移送办案机构（立案查处）' }, NOTIFY: { description: '抄告相关部门（依职责处理）' } },
});

export enum ReferralStatus {
  OPEN = 'OPEN',
  ACCEPTED = 'ACCEPTED',
  CLOSED = 'CLOSED',
}
registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description: '移送状态',
  valuesConfig: { OPEN: { description: '待接收' }, ACCEPTED: { description: '已接收、处理中' }, CLOSED: { description: '已办结（闭环）' } },
});

/** 问题线索移送: a finding handed to another department (or to case handling), tracked until closed. */
@ObjectType({ description: '问题线索移送' })
@Entity({ tableName: 'referral' })
@Index({ properties: ['toDepartment', 'status'] })
@Index({ properties: ['fromDepartment', 'status'] })
export class Referral {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Finding, { ref: true })
  finding: Ref<Finding>;

  @ManyToOne(() => Department, { ref: true })
  fromDepartment: Ref<Department>;

  @ManyToOne(() => Department, { ref: true })
  toDepartment: Ref<Department>;

  @Field(() => ReferralKind, { description: '移送方式' })
  @Enum({ items: () => ReferralKind })
  kind: ReferralKind;

  @Field(() => String, { description: '问题线索说明' })
  @Property({ type: 'text' })
  description: string;

  @Field(() => String, { description: '办理期限（YYYY-MM-DD）' })
  @Property({ type: 'date' })
  dueOn: string;

  @Field(() => ReferralStatus, { description: '状态' })
  @Enum({ items: () => ReferralStatus })
  status: ReferralStatus = ReferralStatus.OPEN;

  @Field(() => String, { nullable: true, description: '办理结果（办结时填写）' })
  @Property({ type: 'text', nullable: true })
  result?: string;

  @ManyToOne(() => User, { ref: true })
  createdBy: Ref<User>;

  @Field(() => Date, { description: '移送时间' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: '接收时间' })
  @Property({ type: 'datetime', nullable: true })
  acceptedAt?: Date;

  @Field(() => Date, { nullable: true, description: '办结时间' })
  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date;

  @Field(() => Int, { description: '版本号（乐观锁）' })
  @Property({ type: 'integer', version: true })
  version!: number;

  constructor(
    finding: Ref<Finding>,
    fromDepartment: Ref<Department>,
    toDepartment: Ref<Department>,
    kind: ReferralKind,
    description: string,
    dueOn: string,
    createdBy: Ref<User>,
  ) {
    this.finding = finding;
    this.fromDepartment = fromDepartment;
    this.toDepartment = toDepartment;
    this.kind = kind;
    this.description = description;
    this.dueOn = dueOn;
    this.createdBy = createdBy;
  }
}
