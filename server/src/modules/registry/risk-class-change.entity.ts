import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../auth/user.entity.js';
import { Enterprise } from './enterprise.entity.js';
import { RiskClass } from './registry.enums.js';

export enum RiskClassChannel {
  CREATED = 'CREATED',
  MANUAL = 'MANUAL',
  IMPORT = 'IMPORT',
}
registerEnumType(RiskClassChannel, {
  name: 'RiskClassChannel',
  description: '信用风险分类的变更途径',
  valuesConfig: {
    CREATED: { description: '新增监管对象时确定' },
    MANUAL: { description: '逐条修改' },
    IMPORT: { description: '名录导入' },
  },
});

/** One change of an enterprise's 信用风险分类: who, when, why, and where the new class came from. */
@ObjectType({ description: '信用风险分类变更记录' })
@Entity({ tableName: 'risk_class_change' })
@Index({ properties: ['enterprise', 'changedAt'] })
export class RiskClassChange {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Enterprise, { ref: true, deleteRule: 'cascade' })
  enterprise: Ref<Enterprise>;

  @Field(() => RiskClass, { nullable: true, description: '变更前（新增时为空）' })
  @Enum({ items: () => RiskClass, nullable: true })
  fromClass?: RiskClass;

  @Field(() => RiskClass, { description: '变更后' })
  @Enum({ items: () => RiskClass })
  toClass: RiskClass;

  @Field(() => RiskClassChannel, { description: '变更途径' })
  @Enum({ items: () => RiskClassChannel })
  channel: RiskClassChannel;

  @Field(() => String, { description: '分类依据的来源，如“省企业信用风险分类管理系统 2026年第三季度结果”或导入的文件名' })
  @Property({ type: 'string', length: 255 })
  source: string;

  @Field(() => String, { description: '变更理由' })
  @Property({ type: 'string', length: 500 })
  reason: string;

  @ManyToOne(() => User, { ref: true, nullable: true })
  changedBy?: Ref<User>;

  @Field(() => Date, { description: '变更时间' })
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  changedAt: Date = new Date();

  constructor(enterprise: Ref<Enterprise>, toClass: RiskClass, channel: RiskClassChannel, source: string, reason: string) {
    this.enterprise = enterprise;
    this.toClass = toClass;
    this.channel = channel;
    this.source = source;
    this.reason = reason;
  }
}
