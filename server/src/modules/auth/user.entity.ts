import type { Ref } from '@mikro-orm/core';
import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { Department } from '../departments/department.entity.js';
import { Officer } from '../registry/officer.entity.js';
import { Role } from '../../core/roles.js';

@ObjectType({ description: '用户账号' })
@Entity({ tableName: 'app_user' })
// 三员分立 held by the database too: an administrator role is the account's only role (core/roles.ts roleSetRefusal).
@Check({
  name: 'app_user_admin_role_alone',
  expression: `cardinality(roles) <= 1 or not (roles && array['ADMIN', 'SECURITY_ADMIN', 'AUDITOR']::text[])`,
})
export class User {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => String, { description: '登录名' })
  @Property({ type: 'string', length: 64, unique: true })
  username: string;

  @Field(() => String, { description: '显示名称' })
  @Property({ type: 'string', length: 64 })
  displayName: string;

  /** argon2id hash; never exposed. */
  @Property({ type: 'string', length: 255, hidden: true })
  passwordHash: string;

  @ManyToOne(() => Department, { ref: true, index: true })
  department: Ref<Department>;

  @Field(() => [Role], { description: '角色' })
  @Enum({ items: () => Role, array: true })
  roles: Role[];

  /** For OFFICER accounts: the officer record in the registry. */
  @ManyToOne(() => Officer, { ref: true, nullable: true })
  officer?: Ref<Officer>;

  @Field(() => Boolean, { description: '是否启用' })
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Field(() => Date, { nullable: true, description: '最近登录时间' })
  @Property({ type: 'datetime', nullable: true })
  lastLoginAt?: Date;

  /** Set by createUser and resetPassword: until the account sets its own password it can do nothing else. */
  @Field(() => Boolean, { description: '是否须先修改密码（初始密码或重置后）' })
  @Property({ type: 'boolean', default: false })
  mustChangePassword: boolean = false;

  @Field(() => Date, { nullable: true, description: '最近修改密码时间' })
  @Property({ type: 'datetime', nullable: true })
  passwordChangedAt?: Date;

  /** Failed logins before this moment no longer count towards the lockout (unlockUser). */
  @Property({ type: 'datetime', nullable: true })
  lockoutResetAt?: Date;

  @Field(() => String, { nullable: true, description: '停用理由' })
  @Property({ type: 'text', nullable: true })
  disabledReason?: string;

  constructor(username: string, displayName: string, passwordHash: string, department: Ref<Department>, roles: Role[]) {
    this.username = username;
    this.displayName = displayName;
    this.passwordHash = passwordHash;
    this.department = department;
    this.roles = roles;
  }
}
