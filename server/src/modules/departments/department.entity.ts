import { Collection, type Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum DepartmentLevel {
  CITY = 'CITY',
  COUNTY = 'COUNTY',
}
registerEnumType(DepartmentLevel, {
  name: 'DepartmentLevel',
  description: '部门层级',
  valuesConfig: { CITY: { description: '市级' }, COUNTY: { description: '县级（含县级市、区）' } },
});

@ObjectType({ description: '行政区划（市、县、区、开发区）' })
@Entity({ tableName: 'region' })
export class Region {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => String, { description: '行政区划代码（GB/T 2260；开发区为自定义代码）' })
  @Property({ type: 'string', length: 12, unique: true })
  code: string;

  @Field(() => String, { description: '名称，如“泽州县”' })
  @Property({ type: 'string', length: 64 })
  name: string;

  /** Resolved by RegionResolver. */
  @ManyToOne(() => Region, { ref: true, nullable: true })
  parent?: Ref<Region>;

  @OneToMany(() => Region, (r) => r.parent)
  children = new Collection<Region>(this);

  constructor(code: string, name: string) {
    this.code = code;
    this.name = name;
  }
}

@ObjectType({ description: '部门（发起部门、配合部门）' })
@Entity({ tableName: 'department' })
export class Department {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => String, { description: '稳定的部门代码，用于导入与账号' })
  @Property({ type: 'string', length: 64, unique: true })
  code: string;

  @Field(() => String, { description: '全称，如“晋城市商务局”' })
  @Property({ type: 'string', length: 128, unique: true })
  name: string;

  @Field(() => String, { description: '计划文本中的简称，如“市商务局”“县工信局”' })
  @Property({ type: 'string', length: 64 })
  shortName: string;

  @Field(() => DepartmentLevel, { description: '层级' })
  @Enum({ items: () => DepartmentLevel })
  level: DepartmentLevel;

  @ManyToOne(() => Region, { ref: true })
  region: Ref<Region>;

  /** The city department a county bureau reports to, if any. */
  @ManyToOne(() => Department, { ref: true, nullable: true })
  parent?: Ref<Department>;

  constructor(code: string, name: string, shortName: string, level: DepartmentLevel, region: Ref<Region>) {
    this.code = code;
    this.name = name;
    this.shortName = shortName;
    this.level = level;
    this.region = region;
  }
}
