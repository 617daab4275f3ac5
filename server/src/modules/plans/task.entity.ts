import { Collection, type Ref } from '@mikro-orm/core';
import { Embedded, Entity, Enum, ManyToMany, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CheckItem } from '../checklist/check-item.entity.js';
import { Department, Region } from '../departments/department.entity.js';
import { Industry } from '../registry/industry.entity.js';
import { DrawType, Mode } from './plan.enums.js';
import { Plan } from './plan.entity.js';
import { Ratio } from './ratio.embeddable.js';

@ObjectType({ description: '抽查任务（年度计划中的一行）' })
@Entity({ tableName: 'task' })
@Unique({ properties: ['plan', 'seq'] })
export class Task {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Plan, { ref: true })
  plan: Ref<Plan>;

  @Field(() => Int, { description: '序号' })
  @Property({ type: 'integer' })
  seq: number;

  @Field(() => String, { description: '抽查任务名称' })
  @Property({ type: 'string', length: 255 })
  name: string;

  @ManyToMany(() => CheckItem, undefined, { pivotTable: 'task_check_item', owner: true })
  items = new Collection<CheckItem>(this);

  @Field(() => String, { description: '抽查事项（计划原文）' })
  @Property({ type: 'text', default: '' })
  itemsText: string = '';

  @ManyToMany(() => Industry, undefined, { pivotTable: 'task_scope_industry', owner: true })
  scopeIndustries = new Collection<Industry>(this);

  @ManyToMany(() => Region, undefined, { pivotTable: 'task_scope_region', owner: true })
  scopeRegions = new Collection<Region>(this);

  @Field(() => String, { description: '抽查对象范围（计划原文）' })
  @Property({ type: 'text', default: '' })
  scopeText: string = '';

  @Field(() => Ratio, { description: '抽查比例' })
  @Embedded(() => Ratio, { prefix: 'ratio_' })
  ratio: Ratio;

  @Field(() => Int, { nullable: true, description: '每年抽查频次，如 1 表示“1次/年”' })
  @Property({ type: 'integer', nullable: true })
  frequencyPerYear?: number;

  @Field(() => Int, { nullable: true, description: '抽查起始月份（1–12）' })
  @Property({ type: 'smallint', nullable: true })
  windowFromMonth?: number;

  @Field(() => Int, { nullable: true, description: '抽查截止月份（1–12）' })
  @Property({ type: 'smallint', nullable: true })
  windowToMonth?: number;

  @Field(() => Boolean, { description: '是否按信用风险分类递增比例、频次' })
  @Property({ type: 'boolean', default: false })
  riskStratified: boolean = false;

  @Field(() => String, { description: '智慧监管（信用风险分类）要求（计划原文）' })
  @Property({ type: 'text', default: '' })
  riskRuleText: string = '';

  @ManyToOne(() => Department, { ref: true, index: true })
  leadDepartment: Ref<Department>;

  @ManyToMany(() => Department, undefined, { pivotTable: 'task_partner_department', owner: true })
  partnerDepartments = new Collection<Department>(this);

  @Field(() => [Mode], { description: '抽查模式（一格中可有多个）' })
  @Enum({ items: () => Mode, array: true, defaultRaw: "'{}'" })
  modes: Mode[] = [];

  @Field(() => DrawType, { nullable: true, description: '抽查类型：定向 / 不定向' })
  @Enum({ items: () => DrawType, nullable: true })
  drawType?: DrawType;

  /** 结果运用: a directed task that draws only firms with a problem found in this year's visits. */
  @Field(() => Int, { nullable: true, description: '定向（结果运用）：只抽取该年度检查中发现问题的企业' })
  @Property({ type: 'integer', nullable: true })
  problemYear?: number | null;

  @Field(() => Boolean, { description: '是否部门联合抽查' })
  @Property({ type: 'boolean', default: true })
  joint: boolean = true;

  /** The plan row as published, cell by cell (header → text), kept beside the parsed fields. */
  @Property({ type: 'json', defaultRaw: "'{}'" })
  sourceText: Record<string, string> = {};

  @Field(() => Int, { description: '版本号，修改时用于乐观锁' })
  @Property({ type: 'integer', version: true })
  version!: number;

  @Field(() => Date, { description: '最后修改时间' })
  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(plan: Ref<Plan>, seq: number, name: string, leadDepartment: Ref<Department>, ratio: Ratio) {
    this.plan = plan;
    this.seq = seq;
    this.name = name;
    this.leadDepartment = leadDepartment;
    this.ratio = ratio;
  }
}
