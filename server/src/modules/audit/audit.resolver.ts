import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { AdminOperation } from '../../graphql/auth.js';
import type { HubContext } from '../../graphql/context.js';
import { BadInputError } from '../../core/errors.js';
import { parseId } from '../../core/ids.js';
import { checkPageSize } from '../../core/paging.js';
import { Role } from '../../core/roles.js';
import { escapeLike } from '../../core/sql.js';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { searchAudit } from './audit-search.js';
import { AuditEntry } from './audit.entity.js';
import { auditHead, signCheckpoint, verifyAudit } from './audit.service.js';
import { OPERATION_NAMES, operationName } from './operation-names.js';

@ObjectType({ description: '审计日志哈希链的校验结果' })
class AuditChainStatus {
  @Field(() => Boolean, { description: '哈希链是否完整' })
  ok!: boolean;

  @Field(() => Int, { nullable: true, description: '完整时：校验的条数' })
  entries!: number | null;

  @Field(() => ID, { nullable: true, description: '不完整时：第一条出问题的序号' })
  brokenEntryId!: string | null;

  @Field(() => String, { nullable: true, description: '不完整时：原因' })
  reason!: string | null;
}

@ObjectType({ description: '审计日志校验点（以审计密钥签名）' })
class AuditCheckpointResult {
  @Field(() => ID, { description: '校验点所指的审计日志序号' })
  entryId!: string;

  @Field(() => String, { description: '该条的哈希' })
  hash!: string;

  @Field(() => String, { description: '该条的时间（ISO 8601）' })
  at!: string;

  @Field(() => String, { description: '签名（HMAC-SHA-256）' })
  signature!: string;
}

@ObjectType({ description: '审计日志中的一种操作' })
class AuditOperation {
  @Field(() => String, { description: '操作代码（GraphQL 变更名）' })
  operation!: string;

  @Field(() => String, { description: '中文名称' })
  name!: string;
}

@ArgsType()
class AuditFilterArgs {
  @Field(() => Int, { defaultValue: 100, description: '每页条数' })
  first: number = 100;

  @Field(() => ID, { nullable: true, description: '只看该序号之前的' })
  before?: string | null;

  @Field(() => ID, { nullable: true, description: '操作人账号' })
  actorId?: string | null;

  @Field(() => ID, { nullable: true, description: '操作人部门' })
  departmentId?: string | null;

  @Field(() => String, { nullable: true, description: '操作代码' })
  operation?: string | null;

  @Field(() => Boolean, { nullable: true, description: '只看成功（true）或失败（false）的' })
  success?: boolean | null;

  @Field(() => String, { nullable: true, description: '起始日期 YYYY-MM-DD（含）' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: '截止日期 YYYY-MM-DD（含）' })
  to?: string | null;
}

@Resolver(() => AuditEntry)
export class AuditResolver {
  @AdminOperation()
  @Authorized(Role.AUDITOR)
  @Query(() => [AuditEntry], { description: '审计日志（仅审计管理员可读），新的在前；可按账号、部门、操作、结果和日期筛选' })
  auditLog(@Args(() => AuditFilterArgs) args: AuditFilterArgs, @Ctx() ctx: HubContext): Promise<AuditEntry[]> {
    checkPageSize(args.first);
    if (args.before != null && !/^\d{1,18}$/.test(args.before)) throw new BadInputError('before', '应为审计日志序号');
    const filter = {
      ...args,
      actorId: args.actorId ? parseId('actorId', args.actorId) : null,
      departmentId: args.departmentId ? parseId('departmentId', args.departmentId) : null,
    };
    return searchAudit(ctx.em, filter, args.first, args.before ?? null);
  }

  @AdminOperation()
  @Authorized(Role.AUDITOR)
  @Query(() => [AuditOperation], { description: '审计日志的操作及其中文名称（筛选用）' })
  auditOperations(): AuditOperation[] {
    return Object.entries(OPERATION_NAMES).map(([operation, name]) => Object.assign(new AuditOperation(), { operation, name }));
  }

  @AdminOperation()
  @Authorized(Role.AUDITOR)
  @Query(() => [User], { description: '按用户名或姓名查找账号（筛选审计日志用，最多 20 个）' })
  auditAccounts(@Arg('search', () => String) search: string, @Ctx() ctx: HubContext): Promise<User[]> {
    const text = `%${escapeLike(search.trim())}%`;
    return ctx.em.find(
      User,
      { $or: [{ username: { $ilike: text } }, { displayName: { $ilike: text } }] },
      { orderBy: { username: 'asc' }, limit: 20 },
    );
  }

  @AdminOperation()
  @Authorized(Role.AUDITOR)
  @Query(() => AuditChainStatus, { description: '校验审计日志哈希链（与命令 verify-audit 相同）' })
  async auditChain(@Ctx() ctx: HubContext): Promise<AuditChainStatus> {
    const result = await verifyAudit(ctx.services.events.pool, ctx.services.auditKey);
    return result.ok
      ? { ok: true, entries: result.entries, brokenEntryId: null, reason: null }
      : { ok: false, entries: null, brokenEntryId: result.entryId, reason: result.reason };
  }

  @AdminOperation()
  @Authorized(Role.AUDITOR)
  @Query(() => AuditCheckpointResult, {
    nullable: true,
    description:
      '导出校验点：当前最后一条审计日志的序号与哈希，以审计密钥签名。请保存在数据库以外（如离线介质）；日后用 verify-audit --checkpoint 文件 校验，可发现日志被截短或替换',
  })
  async auditCheckpoint(@Ctx() ctx: HubContext): Promise<AuditCheckpointResult | null> {
    const head = await auditHead(ctx.services.events.pool);
    return head ? Object.assign(new AuditCheckpointResult(), signCheckpoint(ctx.services.auditKey, head)) : null;
  }

  @FieldResolver(() => String, { description: '操作的中文名称' })
  operationName(@Root() entry: AuditEntry): string {
    return operationName(entry.operation);
  }

  @FieldResolver(() => User, { nullable: true, description: '操作人账号' })
  actor(@Root() entry: AuditEntry, @Ctx() ctx: HubContext): Promise<User | null> {
    return entry.actorId == null ? Promise.resolve(null) : ctx.loaders.load(User, entry.actorId);
  }

  @FieldResolver(() => Department, { nullable: true, description: '操作人部门' })
  department(@Root() entry: AuditEntry, @Ctx() ctx: HubContext): Promise<Department | null> {
    return entry.departmentId == null ? Promise.resolve(null) : ctx.loaders.load(Department, entry.departmentId);
  }
}
