import { Arg, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { parseId } from '../../core/ids.js';
import type { Viewer } from '../../core/viewer.js';
import type { HubContext } from '../../graphql/context.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import { ApiToken } from './api-token.entity.js';
import { createApiToken, listApiTokens, revokeApiToken } from './api-token.service.js';
import { User } from './user.entity.js';

@ObjectType({ description: '新建的报表令牌：令牌原文只在此返回一次，请立即保存' })
class IssuedApiToken {
  @Field(() => String, { description: '令牌原文（以 hubrt_ 开头；放在请求头 Authorization: Bearer … 中）' })
  token!: string;

  @Field(() => ApiToken, { description: '令牌记录' })
  apiToken!: ApiToken;
}

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @Query(() => [ApiToken], { description: '本部门的报表令牌（新的在前）' })
  apiTokens(@CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<ApiToken[]> {
    return listApiTokens(ctx.em, viewer);
  }

  @Mutation(() => IssuedApiToken, {
    description: '部门负责人创建只读报表令牌（限本部门统计，须设有效期，可随时撤销，每次调用记入审计日志）',
  })
  createApiToken(
    @Arg('name', () => String, { description: '名称（用途）' }) name: string,
    @Arg('expiresAt', () => Date, { description: '有效期至（最长一年）' }) expiresAt: Date,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<IssuedApiToken> {
    return createApiToken(ctx.em, viewer, name, expiresAt);
  }

  @Mutation(() => ApiToken, { description: '撤销报表令牌（立即失效）' })
  revokeApiToken(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<ApiToken> {
    return revokeApiToken(ctx.em, viewer, parseId('id', id));
  }

  @FieldResolver(() => String, { description: '创建人' })
  async createdBy(@Root() token: ApiToken, @Ctx() ctx: HubContext): Promise<string> {
    const user = await ctx.em.findOneOrFail(User, token.createdBy.id);
    return user.displayName;
  }

  @FieldResolver(() => Boolean, { description: '是否可用（未撤销且未过期）' })
  active(@Root() token: ApiToken): boolean {
    return !token.revokedAt && token.expiresAt.getTime() > Date.now();
  }
}
