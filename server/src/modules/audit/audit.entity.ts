import { BigIntType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';

/**
 * One line of the tamper-evident audit log: every mutation, successful or not. Each entry holds
 * the hash of the one before, signed with a key the database does not hold. The hub's role may
 * only read and append (grants, db/roles.ts); a trigger refuses updates and deletes to everyone
 * else but the purge of entries older than 180 days.
 */
@ObjectType({ description: '审计日志条目' })
@Entity({ tableName: 'audit_log' })
export class AuditEntry {
  @Field(() => ID, { description: '序号' })
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Field(() => Date, { description: '时间' })
  @Property({ type: 'datetime' })
  at!: Date;

  @Field(() => ID, { nullable: true, description: '操作人账号（登录失败时为空）' })
  @Property({ type: 'integer', nullable: true })
  actorId?: number;

  @Field(() => ID, { nullable: true, description: '操作人部门' })
  @Property({ type: 'integer', nullable: true })
  departmentId?: number;

  @Field(() => String, { description: '操作（GraphQL 变更名）' })
  @Property({ type: 'string', length: 64 })
  operation!: string;

  @Field(() => String, { description: '对象（如编号）' })
  @Property({ type: 'string', length: 255 })
  target!: string;

  @Field(() => Boolean, { description: '是否成功' })
  @Property({ type: 'boolean' })
  success!: boolean;

  @Field(() => String, { nullable: true, description: '失败时的错误代码' })
  @Property({ type: 'string', length: 32, nullable: true })
  errorCode?: string;

  @Field(() => String, { description: '输入摘要 SHA-256（口令等已去除）' })
  @Property({ type: 'string', length: 64 })
  inputDigest!: string;

  @Field(() => String, { description: '上一条的哈希' })
  @Property({ type: 'string', length: 64 })
  prevHash!: string;

  @Field(() => String, { description: '本条哈希（HMAC-SHA-256，密钥不在数据库中）' })
  @Property({ type: 'string', length: 64 })
  hash!: string;

  @Field(() => Boolean, { description: '是否以审计密钥签名（早于密钥的条目为普通 SHA-256）' })
  @Property({ type: 'boolean', default: false })
  keyed!: boolean;
}
