import type { Ref } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { User } from '../auth/user.entity.js';
import { Enterprise } from './enterprise.entity.js';
import { Officer } from './officer.entity.js';

/** A declared conflict of interest (回避): the draw never sends this officer to this enterprise. */
@ObjectType({ description: '执法人员回避声明' })
@Entity({ tableName: 'officer_conflict' })
@Unique({ properties: ['officer', 'enterprise'] })
export class OfficerConflict {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Officer, { ref: true })
  officer: Ref<Officer>;

  @ManyToOne(() => Enterprise, { ref: true })
  enterprise: Ref<Enterprise>;

  @Field(() => String, { description: '回避理由，如“近亲属在该企业任职”' })
  @Property({ type: 'string', length: 255 })
  reason: string;

  @ManyToOne(() => User, { ref: true, nullable: true })
  declaredBy?: Ref<User>;

  @Field(() => Date, { description: '声明时间' })
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  declaredAt: Date = new Date();

  constructor(officer: Ref<Officer>, enterprise: Ref<Enterprise>, reason: string) {
    this.officer = officer;
    this.enterprise = enterprise;
    this.reason = reason;
  }
}
