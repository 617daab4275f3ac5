import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../graphql/context.js';
import { BadInputError } from '../../graphql/errors.js';
import { checkPageSize } from '../../graphql/pagination.js';
import { Role } from '../auth/roles.js';
import { AuditEntry } from './audit.entity.js';

@Resolver(() => AuditEntry)
export class AuditResolver {
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
}
