import type { Ref } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Department } from '../departments/department.entity.js';
import { User } from './user.entity.js';

/**
 * A department's read-only reporting token (报表令牌): a BI tool or a script calls `statistics`
 * with it instead of a person's password. Only its SHA-256 is kept; the token is shown once.
 */
@ObjectType({ description: '报表令牌（只读，供报表工具调用统计接口）' })
@Entity({ tableName: 'api_token' })
@Index({ properties: ['department'] })
export class ApiToken {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => Department, { description: '所属部门（令牌只能读取该部门范围内的统计）' })
  @ManyToOne(() => Department, { ref: true })
  department: Ref<Department>;

  @Field(() => String, { description: '名称（用途，如“市政府数据平台月报”）' })
  @Property({ type: 'string', length: 64 })
  name: string;

  @Property({ type: 'character(64)', unique: true })
  tokenHash: string;

  @ManyToOne(() => User, { ref: true })
  createdBy: Ref<User>;

  @Field(() => Date, { description: '创建时间' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date, { description: '有效期至' })
  @Property({ type: 'datetime' })
  expiresAt: Date;

  @Field(() => Date, { nullable: true, description: '撤销时间' })
  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date;

  @ManyToOne(() => User, { ref: true, nullable: true })
  revokedBy?: Ref<User>;

  @Field(() => Date, { nullable: true, description: '最近一次使用时间' })
  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date;

  @Field(() => Int, { description: '累计调用次数（每次调用都记入审计日志）' })
  @Property({ type: 'integer', default: 0 })
  uses: number = 0;

  constructor(department: Ref<Department>, name: string, tokenHash: string, createdBy: Ref<User>, expiresAt: Date) {
    this.department = department;
    this.name = name;
    this.tokenHash = tokenHash;
    this.createdBy = createdBy;
    this.expiresAt = expiresAt;
  }
}
