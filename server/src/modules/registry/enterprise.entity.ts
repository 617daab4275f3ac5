import { ArrayType, type Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { Region } from '../departments/department.entity.js';
import { EnterpriseStatus, RiskClass } from './registry.enums.js';

@ObjectType({ description: '监管对象（市场主体）' })
@Entity({ tableName: 'enterprise' })
@Index({ properties: ['region', 'riskClass'] })
export class Enterprise {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => String, { description: '统一社会信用代码（GB 32100-2015，18位）' })
  @Property({ type: 'string', length: 18, unique: true })
  uscc: string;

  @Field(() => String, { description: '企业名称' })
  @Property({ type: 'string', length: 255 })
  name: string;

  /**
   * Industry ids, kept as an array with a GIN index rather than a join table: registry imports
   * and draws filter by industry over millions of firms, and a join table with foreign-key checks
   * per row was the slowest part of a bulk import (measured: docs/benchmarks.md).
   */
  @Property({ type: new ArrayType<number>((i) => Number(i)), columnType: 'integer[]', defaultRaw: "'{}'" })
  industryIds: number[] = [];

  @ManyToOne(() => Region, { ref: true })
  region: Ref<Region>;

  @Field(() => RiskClass, { description: '信用风险分类' })
  @Enum({ items: () => RiskClass })
  riskClass: RiskClass;

  @Field(() => String, { nullable: true, description: '住所（经营场所）' })
  @Property({ type: 'string', length: 255, nullable: true })
  address?: string;

  @Field(() => String, { nullable: true, description: '法定代表人（负责人）' })
  @Property({ type: 'string', length: 64, nullable: true })
  legalRepresentative?: string;

  @Field(() => EnterpriseStatus, { description: '登记状态' })
  @Enum({ items: () => EnterpriseStatus, default: EnterpriseStatus.OPERATING })
  status: EnterpriseStatus = EnterpriseStatus.OPERATING;

  @Field(() => Date, { description: '名录库最后更新时间' })
  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(uscc: string, name: string, region: Ref<Region>, riskClass: RiskClass) {
    this.uscc = uscc;
    this.name = name;
    this.region = region;
    this.riskClass = riskClass;
  }
}
