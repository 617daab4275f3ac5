import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../graphql/context.js';
import { parseId } from '../../core/ids.js';
import { loadRequiredRef } from '../../core/refs.js';
import { Role } from '../../core/roles.js';
import { Enterprise } from './enterprise.entity.js';
import { Officer } from './officer.entity.js';
import { OfficerConflict } from './officer-conflict.entity.js';
import { conflictsOf, declareConflict } from './officer-conflict.service.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import type { Viewer } from '../../core/viewer.js';

@Resolver(() => OfficerConflict)
export class OfficerConflictResolver {
  @Authorized(Role.OFFICER, Role.STAFF, Role.HEAD)
  @Mutation(() => OfficerConflict, { description: '声明回避：此后的抽取不会派该执法人员检查该企业' })
  declareOfficerConflict(
    @Arg('officerId', () => ID) officerId: string,
    @Arg('uscc', () => String, { description: '企业统一社会信用代码' }) uscc: string,
    @Arg('reason', () => String, { description: '回避理由' }) reason: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<OfficerConflict> {
    return declareConflict(ctx.em, viewer, parseId('officerId', officerId), uscc, reason);
  }

  @Authorized(Role.OFFICER, Role.STAFF, Role.HEAD)
  @Query(() => [OfficerConflict], { description: '执法人员的回避声明' })
  officerConflicts(
    @Arg('officerId', () => ID) officerId: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<OfficerConflict[]> {
    return conflictsOf(ctx.em, viewer, parseId('officerId', officerId));
  }

  @FieldResolver(() => Officer, { description: '执法人员' })
  officer(@Root() conflict: OfficerConflict): Promise<Officer> {
    return loadRequiredRef(conflict.officer);
  }

  @FieldResolver(() => Enterprise, { description: '需回避的企业' })
  enterprise(@Root() conflict: OfficerConflict): Promise<Enterprise> {
    return loadRequiredRef(conflict.enterprise);
  }
}
