import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { AdminOperation, OwnAccount, Public } from '../../graphql/auth.js';
import type { HubContext } from '../../graphql/context.js';
import { loadRef, loadRequiredRef } from '../../core/refs.js';
import { parseId } from '../../core/ids.js';
import { Department } from '../departments/department.entity.js';
import { Officer } from '../registry/officer.entity.js';
import { changePassword, login, renewToken } from './auth.service.js';
import { readPolicy, setSecurityPolicy } from './security-policy.js';
import { UserSession } from './session.entity.js';
import { listSessions, logout, revokeSession } from './session.service.js';
import { User } from './user.entity.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import type { Viewer } from '../../core/viewer.js';

@ObjectType({ description: '登录结果' })
class AuthPayload {
  @Field(() => String, { description: '访问令牌：HTTP 用 Authorization: Bearer，WebSocket 放在 connection_init 的 authorization 中' })
  token!: string;

  @Field(() => Date, { description: '令牌到期时间' })
  expiresAt!: Date;

  @Field(() => User, { description: '登录的账号' })
  user!: User;
}

@ObjectType({ description: '密码与会话策略（安全管理员设定）' })
class SecurityPolicyType {
  @Field(() => Int, { description: '无操作多少分钟后自动退出（服务器与客户端）' })
  idleMinutes!: number;

  @Field(() => Int, { description: '密码最短长度（另须包含大写字母、小写字母、数字、符号中的至少三类，且不含用户名）' })
  passwordMinLength!: number;
}

@Resolver(() => User)
export class AuthResolver {
  @Public()
  @Mutation(() => AuthPayload, { description: '用户名密码登录，开始一个会话并返回短期访问令牌' })
  async login(
    @Arg('username', () => String) username: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: HubContext,
  ): Promise<AuthPayload> {
    return Object.assign(new AuthPayload(), await login(ctx.em, ctx.services.tokens, username, password, ctx.client));
  }

  @OwnAccount()
  @Mutation(() => AuthPayload, { description: '在令牌到期前换取新令牌（同一会话）' })
  async renewToken(@CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<AuthPayload> {
    return Object.assign(new AuthPayload(), await renewToken(ctx.em, ctx.services.tokens, viewer));
  }

  @OwnAccount()
  @Mutation(() => Boolean, { description: '退出登录：结束当前会话，其令牌在 HTTP 与已打开的 WebSocket 上立即失效' })
  logout(@CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    return logout(ctx.em, viewer);
  }

  @OwnAccount()
  @Mutation(() => User, { description: '修改本人密码（须提供原密码）；本账号的其他会话随之结束' })
  changePassword(
    @Arg('oldPassword', () => String) oldPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<User> {
    return changePassword(ctx.em, viewer, oldPassword, newPassword);
  }

  @OwnAccount()
  @Query(() => User, { description: '当前登录的账号' })
  me(@CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<User> {
    return ctx.em.findOneOrFail(User, { id: viewer.userId });
  }

  @OwnAccount()
  @Query(() => [UserSession], { description: '仍有效的会话：本人的；安全管理员可看所有人的或某一账号的' })
  sessions(
    @Arg('userId', () => ID, { nullable: true, description: '只看该账号的（安全管理员）' }) userId: string | null,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<UserSession[]> {
    return listSessions(ctx.em, viewer, userId == null ? null : parseId('userId', userId));
  }

  @OwnAccount()
  @Mutation(() => UserSession, { description: '注销一个会话：本人的，或（安全管理员）任何人的；立即失效' })
  revokeSession(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<UserSession> {
    return revokeSession(ctx.em, viewer, id);
  }

  @OwnAccount()
  @Query(() => SecurityPolicyType, { description: '密码与会话策略' })
  async securityPolicy(@Ctx() ctx: HubContext): Promise<SecurityPolicyType> {
    return Object.assign(new SecurityPolicyType(), await readPolicy(ctx.em));
  }

  @AdminOperation()
  @Mutation(() => SecurityPolicyType, { description: '设定密码与会话策略（安全管理员）' })
  async setSecurityPolicy(
    @Arg('idleMinutes', () => Int, { nullable: true, description: '无操作自动退出的分钟数（5–480）' }) idleMinutes: number | null,
    @Arg('passwordMinLength', () => Int, { nullable: true, description: '密码最短长度（8–64）' }) passwordMinLength: number | null,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<SecurityPolicyType> {
    return Object.assign(
      new SecurityPolicyType(),
      await setSecurityPolicy(ctx.em, viewer, { idleMinutes: idleMinutes ?? undefined, passwordMinLength: passwordMinLength ?? undefined }),
    );
  }

  @FieldResolver(() => Department, { description: '所属部门' })
  department(@Root() user: User): Promise<Department> {
    return loadRequiredRef(user.department);
  }

  @FieldResolver(() => Officer, { nullable: true, description: '对应的执法人员（执法人员账号）' })
  officer(@Root() user: User): Promise<Officer | null> {
    return loadRef(user.officer);
  }
}

@Resolver(() => UserSession)
export class SessionResolver {
  @FieldResolver(() => User, { description: '账号' })
  user(@Root() session: UserSession): Promise<User> {
    return loadRequiredRef(session.user);
  }

  @FieldResolver(() => Boolean, { description: '是否为当前请求所用的会话' })
  current(@Root() session: UserSession, @CurrentViewer() viewer: Viewer): boolean {
    return session.id === viewer.sessionId;
  }
}
