import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { AdminOperation } from '../../graphql/auth.js';
import type { HubContext } from '../../graphql/context.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import { Connection, PageArgs } from '../../graphql/pagination.js';
import { Role } from '../../core/roles.js';
import type { Viewer } from '../../core/viewer.js';
import { User } from '../auth/user.entity.js';
import * as accounts from './account.service.js';

const UserConnection = Connection(User, 'User', '账号（分页）');

@ArgsType()
class UserFilterArgs {
  @Field(() => String, { nullable: true, description: '用户名或显示名称包含' })
  search?: string | null;

  @Field(() => ID, { nullable: true, description: '只看该部门的' })
  departmentId?: string | null;

  @Field(() => Boolean, { nullable: true, description: '只看启用（true）或停用（false）的' })
  active?: boolean | null;
}

@InputType({ description: '新建账号' })
class CreateUserInput {
  @Field(() => String, { description: '用户名（小写字母、数字及 . _ -）' })
  username!: string;

  @Field(() => String, { description: '显示名称（姓名）' })
  displayName!: string;

  @Field(() => ID, { description: '所属部门' })
  departmentId!: string;

  @Field(() => ID, { nullable: true, description: '对应的执法人员（执法人员本人的账号）' })
  officerId?: string | null;
}

@InputType({ description: '修改账号；未给出的字段不变' })
class UpdateUserInput {
  @Field(() => String, { nullable: true, description: '显示名称' })
  displayName?: string;

  @Field(() => ID, { nullable: true, description: '所属部门' })
  departmentId?: string;

  @Field(() => ID, { nullable: true, description: '对应的执法人员；传 null 解除对应' })
  officerId?: string | null;
}

@ObjectType({ description: '签发的一次性密码（只显示这一次；本人首次登录须修改）' })
class IssuedPassword {
  @Field(() => User, { description: '账号' })
  user!: User;

  @Field(() => String, { description: '一次性密码' })
  oneTimePassword!: string;
}

@Resolver(() => User)
export class AccountResolver {
  @AdminOperation()
  @Query(() => UserConnection, { description: '账号（系统管理员、安全管理员）' })
  users(
    @Args(() => UserFilterArgs) filter: UserFilterArgs,
    @Args(() => PageArgs) page: PageArgs,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ) {
    return accounts.listUsers(ctx.em, viewer, filter, page);
  }

  @AdminOperation()
  @Mutation(() => IssuedPassword, { description: '新建账号（系统管理员），签发一次性密码；角色由安全管理员授予' })
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext) {
    return Object.assign(new IssuedPassword(), await accounts.createUser(ctx.em, viewer, input));
  }

  @AdminOperation()
  @Mutation(() => User, { description: '修改账号的显示名称、部门或对应的执法人员（系统管理员）' })
  updateUser(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateUserInput) input: UpdateUserInput,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<User> {
    return accounts.updateUser(ctx.em, viewer, id, input);
  }

  @AdminOperation()
  @Mutation(() => User, { description: '停用账号（系统管理员，须说明理由）；其会话立即结束。唯一启用的三员之一不能停用' })
  disableUser(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<User> {
    return accounts.disableUser(ctx.em, viewer, id, reason);
  }

  @AdminOperation()
  @Mutation(() => User, { description: '重新启用账号（系统管理员）' })
  enableUser(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<User> {
    return accounts.enableUser(ctx.em, viewer, id);
  }

  @AdminOperation()
  @Mutation(() => IssuedPassword, { description: '重置密码（系统管理员）：签发一次性密码，其会话立即结束，登录后须修改' })
  async resetPassword(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext) {
    return Object.assign(new IssuedPassword(), await accounts.resetPassword(ctx.em, viewer, id));
  }

  @AdminOperation()
  @Mutation(() => User, { description: '授予角色（安全管理员）；三员不能兼任，也不能兼任业务角色' })
  grantRoles(
    @Arg('id', () => ID) id: string,
    @Arg('roles', () => [Role]) roles: Role[],
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<User> {
    return accounts.grantRoles(ctx.em, viewer, id, roles);
  }

  @AdminOperation()
  @Mutation(() => User, { description: '收回角色（安全管理员）；唯一启用的三员之一不能收回' })
  revokeRoles(
    @Arg('id', () => ID) id: string,
    @Arg('roles', () => [Role]) roles: Role[],
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<User> {
    return accounts.revokeRoles(ctx.em, viewer, id, roles);
  }

  @AdminOperation()
  @Mutation(() => User, { description: '解除登录失败锁定（安全管理员）' })
  unlockUser(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<User> {
    return accounts.unlockUser(ctx.em, viewer, id);
  }

  @FieldResolver(() => Boolean, { description: '是否因登录失败次数过多而锁定' })
  locked(@Root() user: User, @Ctx() ctx: HubContext): Promise<boolean> {
    return ctx.loaders.lockedOut(user.username);
  }
}
