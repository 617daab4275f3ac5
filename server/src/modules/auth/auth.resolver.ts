import { Arg, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Public } from '../../graphql/auth.js';
import type { HubContext } from '../../graphql/context.js';
import { loadRef, loadRequiredRef } from '../../core/refs.js';
import { Department } from '../departments/department.entity.js';
import { Officer } from '../registry/officer.entity.js';
import { login, renewToken } from './auth.service.js';
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

@Resolver(() => User)
export class AuthResolver {
  @Public()
  @Mutation(() => AuthPayload, { description: '用户名密码登录，返回短期访问令牌' })
  async login(
    @Arg('username', () => String) username: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: HubContext,
  ): Promise<AuthPayload> {
    return Object.assign(new AuthPayload(), await login(ctx.em, ctx.services.tokens, username, password));
  }

  @Mutation(() => AuthPayload, { description: '在令牌到期前换取新令牌' })
  async renewToken(@CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<AuthPayload> {
    return Object.assign(new AuthPayload(), await renewToken(ctx.em, ctx.services.tokens, viewer));
  }

  @Query(() => User, { description: '当前登录的账号' })
  me(@CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<User> {
    return ctx.em.findOneOrFail(User, { id: viewer.userId });
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
