import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { Department, Region } from '../departments/department.entity.js';
import { OfficerStatus } from './registry.enums.js';

@ObjectType({ description: '执法人员（执法人员名录库）' })
@Entity({ tableName: 'officer' })
export class Officer {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => String, { description: '执法证号' })
  @Property({ type: 'string', length: 32, unique: true })
  certificateNo: string;

  @Field(() => String, { description: '姓名' })
  @Property({ type: 'string', length: 64 })
  name: string;

  @ManyToOne(() => Department, { ref: true, index: true })
  department: Ref<Department>;

  @Field(() => [String], { description: '业务专长' })
  @Property({ type: 'text[]', defaultRaw: "'{}'" })
  specialties: string[] = [];

  @Field(() => OfficerStatus, { description: '状态' })
  @Enum({ items: () => OfficerStatus, default: OfficerStatus.ACTIVE })
  status: OfficerStatus = OfficerStatus.ACTIVE;

  @Field(() => String, { nullable: true, description: '执法证有效期至（YYYY-MM-DD）；为空表示长期有效' })
  @Property({ type: 'date', nullable: true })
  certificateValidUntil?: string;

  @ManyToOne(() => Region, { ref: true })
  region: Ref<Region>;

  constructor(certificateNo: string, name: string, department: Ref<Department>, region: Ref<Region>) {
    this.certificateNo = certificateNo;
    this.name = name;
    this.department = department;
    this.region = region;
  }
}
