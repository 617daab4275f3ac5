import { Arg, Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { AdminOperation } from '../../graphql/auth.js';
import type { HubContext } from '../../graphql/context.js';
import { BadInputError } from '../../core/errors.js';
import { checkPageSize } from '../../core/paging.js';
import { Role } from '../../core/roles.js';
import { AuditEntry } from './audit.entity.js';
import { verifyAudit } from './audit.service.js';

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

@Resolver(() => AuditEntry)
export class AuditResolver {
  @AdminOperation()
  @Authorized(Role.AUDITOR)
  @Query(() => [AuditEntry], { description: '审计日志（仅审计人员可读），新的在前' })
  auditLog(
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
    @Arg('before', () => ID, { nullable: true, description: '只看该序号之前的' }) before: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<AuditEntry[]> {
    checkPageSize(first);
    if (before != null && !/^\d{1,18}$/.test(before)) throw new BadInputError('before', '应为审计日志序号');
    return ctx.em.find(AuditEntry, before ? { id: { $lt: before } } : {}, { orderBy: { id: 'desc' }, limit: first });
  }

  @AdminOperation()
  @Authorized(Role.AUDITOR)
  @Query(() => AuditChainStatus, { description: '校验审计日志哈希链（与命令 verify-audit 相同）' })
  async auditChain(@Ctx() ctx: HubContext): Promise<AuditChainStatus> {
    const result = await verifyAudit(ctx.services.events.pool);
    return result.ok
      ? { ok: true, entries: result.entries, brokenEntryId: null, reason: null }
      : { ok: false, entries: null, brokenEntryId: result.entryId, reason: result.reason };
  }
}
