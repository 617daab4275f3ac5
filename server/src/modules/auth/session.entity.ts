import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { User } from './user.entity.js';

/** Why a session ended. */
export enum SessionEnd {
  LOGOUT = 'LOGOUT',
  REVOKED = 'REVOKED',
  IDLE = 'IDLE',
  DISABLED = 'DISABLED',
  PASSWORD_CHANGED = 'PASSWORD_CHANGED',
}

registerEnumType(SessionEnd, {
  name: 'SessionEnd',
  description: '会话结束原因',
  valuesConfig: {
    LOGOUT: { description: '本人退出' },
    REVOKED: { description: '被注销（本人或安全管理员）' },
    IDLE: { description: '长时间未操作，自动退出' },
    DISABLED: { description: '账号停用' },
    PASSWORD_CHANGED: { description: '密码已修改或重置' },
  },
});

/**
 * One login: every token carries its id, and a token whose session has ended is refused at once —
 * on HTTP at the next request, on an open WebSocket when the end is announced (session.service.ts).
 */
@ObjectType({ description: '登录会话' })
@Entity({ tableName: 'user_session' })
@Index({ properties: ['user', 'endedAt'] })
export class UserSession {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'uuid' })
  id: string;

  @ManyToOne(() => User, { ref: true })
  user: Ref<User>;

  @Field(() => Date, { description: '登录时间' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date, { description: '最近活动时间' })
  @Property({ type: 'datetime' })
  lastSeenAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: '结束时间（仍有效时为空）' })
  @Property({ type: 'datetime', nullable: true })
  endedAt?: Date;

  @Field(() => SessionEnd, { nullable: true, description: '结束原因' })
  @Enum({ items: () => SessionEnd, nullable: true })
  endReason?: SessionEnd;

  @Field(() => String, { nullable: true, description: '登录地址' })
  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string;

  @Field(() => String, { nullable: true, description: '浏览器或客户端' })
  @Property({ type: 'string', length: 255, nullable: true })
  userAgent?: string;

  constructor(id: string, user: Ref<User>, client: { ip?: string; userAgent?: string }) {
    this.id = id;
    this.user = user;
    this.ip = client.ip?.slice(0, 64);
    this.userAgent = client.userAgent?.slice(0, 255);
  }
}
