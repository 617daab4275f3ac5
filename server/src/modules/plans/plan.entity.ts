import { Collection, type Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Department } from '../departments/department.entity.js';
import { PlanStatus } from './plan.enums.js';
import { Task } from './task.entity.js';

@ObjectType({ description: '年度抽查工作计划' })
@Entity({ tableName: 'plan' })
@Unique({ properties: ['department', 'year', 'name'] })
export class Plan {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Department, { ref: true })
  department: Ref<Department>;

  @Field(() => Int, { description: '计划年度' })
  @Property({ type: 'integer' })
  year: number;

  @Field(() => String, { description: '计划名称' })
  @Property({ type: 'string', length: 255 })
  name: string;

  @Field(() => String, { nullable: true, description: '发文字号，如“晋市商秩函〔2026〕82号”' })
  @Property({ type: 'string', length: 64, nullable: true })
  documentNo?: string;

  @Field(() => PlanStatus, { description: '状态' })
  @Enum({ items: () => PlanStatus, default: PlanStatus.DRAFT })
  status: PlanStatus = PlanStatus.DRAFT;

  @Field(() => Date, { nullable: true, description: '批准时间' })
  @Property({ type: 'datetime', nullable: true })
  approvedAt?: Date;

  @Field(() => Int, { description: '揭示抽取前至少需要的见证人随机串数（默认 1）' })
  @Property({ type: 'integer', default: 1 })
  witnessesRequired: number = 1;

  @Field(() => Boolean, { description: '是否要求至少一名发起部门以外的见证人' })
  @Property({ type: 'boolean', default: false })
  witnessFromOtherDepartment: boolean = false;

  @OneToMany(() => Task, (t) => t.plan, { orderBy: { seq: 'asc' } })
  tasks = new Collection<Task>(this);

  constructor(department: Ref<Department>, year: number, name: string) {
    this.department = department;
    this.year = year;
    this.name = name;
  }
}
