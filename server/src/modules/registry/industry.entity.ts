import type { Ref } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { Department } from '../departments/department.entity.js';

@ObjectType({ description: '行业 / 检查对象类别' })
@Entity({ tableName: 'industry' })
export class Industry {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => String, { description: '行业代码' })
  @Property({ type: 'string', length: 32, unique: true })
  code: string;

  @Field(() => String, { description: '名称，如“二手车经营”' })
  @Property({ type: 'string', length: 64, unique: true })
  name: string;

  /** The department that keeps this industry's part of the registry (主管部门). */
  @ManyToOne(() => Department, { ref: true, nullable: true })
  department?: Ref<Department>;

  constructor(code: string, name: string) {
    this.code = code;
    this.name = name;
  }
}
