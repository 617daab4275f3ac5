import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
  Root,
} from 'type-graphql';
import type { HubContext } from '../../graphql/context.js';
import { parseId } from '../../core/ids.js';
import { chinaDate } from '../../core/dates.js';
import { loadRequiredRef } from '../../core/refs.js';
import { Role } from '../../core/roles.js';
import { Department } from '../departments/department.entity.js';
import { Finding } from '../inspections/finding.entity.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Referral, ReferralKind, ReferralStatus } from './referral.entity.js';
import * as referrals from './referral.service.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import type { Viewer } from '../../core/viewer.js';
import { canRefer } from './referral.service.js';
import { Officer } from '../registry/officer.entity.js';

enum ReferralBox {
  INBOX = 'INBOX',
  OUTBOX = 'OUTBOX',
}
registerEnumType(ReferralBox, {
  name: 'ReferralBox',
  description: '收件箱或发件箱',
  valuesConfig: { INBOX: { description: '本部门收到的' }, OUTBOX: { description: '本部门移送出的' } },
});

@ObjectType({ description: '责令改正跟踪：一项待复查的检查结果' })
class Rectification {
  @Field(() => Finding, { description: '检查结果' })
  finding!: Finding;

  @Field(() => Boolean, { description: '是否已超过改正期限' })
  overdue!: boolean;
}

@Resolver(() => Referral)
export class ReferralResolver {
  @Authorized(Role.OFFICER, Role.STAFF, Role.HEAD)
  @Mutation(() => Referral, { description: '将发现的问题线索移送其他部门或办案机构' })
  createReferral(
    @Arg('findingId', () => ID) findingId: string,
    @Arg('toDepartmentId', () => ID) toDepartmentId: string,
    @Arg('kind', () => ReferralKind) kind: ReferralKind,
    @Arg('description', () => String) description: string,
    @Arg('dueOn', () => String, { description: '办理期限（YYYY-MM-DD）' }) dueOn: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Referral> {
    return referrals.createReferral(ctx.em, viewer, {
      findingId: parseId('findingId', findingId),
      toDepartmentId: parseId('toDepartmentId', toDepartmentId),
      kind,
      description,
      dueOn,
    });
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Referral, { description: '接收部门接收移送' })
  acceptReferral(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Referral> {
    return referrals.acceptReferral(ctx.em, viewer, parseId('id', id), version);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Referral, { description: '接收部门填写办理结果并办结（闭环）' })
  closeReferral(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('result', () => String) result: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Referral> {
    return referrals.closeReferral(ctx.em, viewer, parseId('id', id), version, result);
  }

  @Query(() => [Referral], { description: '问题线索移送：本部门收到的或移送出的；可只看逾期未办结的' })
  referrals(
    @Arg('box', () => ReferralBox) box: ReferralBox,
    @Arg('overdueOnly', () => Boolean, { defaultValue: false }) overdueOnly: boolean,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Referral[]> {
    return referrals.listReferrals(ctx.em, viewer, box, overdueOnly, chinaDate());
  }

  @Query(() => [Rectification], { description: '本部门责令改正的跟踪清单（按期限排序）' })
  async rectifications(
    @Arg('overdueOnly', () => Boolean, { defaultValue: false }) overdueOnly: boolean,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Rectification[]> {
    const day = chinaDate();
    return (await referrals.rectifications(ctx.em, viewer, overdueOnly, day)).map((finding) =>
      Object.assign(new Rectification(), { finding, overdue: !!finding.followUpDeadline && finding.followUpDeadline < day }),
    );
  }

  @Authorized(Role.OFFICER, Role.STAFF, Role.HEAD)
  @Mutation(() => Finding, { description: '登记后续处置已完成（复查）' })
  completeFollowUp(
    @Arg('findingId', () => ID) findingId: string,
    @Arg('version', () => Int) version: number,
    @Arg('doneOn', () => String, { description: '完成日期（YYYY-MM-DD）' }) doneOn: string,
    @Arg('notes', () => String, { nullable: true, description: '复查情况' }) notes: string | null,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Finding> {
    return referrals.completeFollowUp(ctx.em, viewer, parseId('findingId', findingId), version, doneOn, notes);
  }

  @FieldResolver(() => Boolean, { description: '是否逾期未办结' })
  overdue(@Root() referral: Referral): boolean {
    return referral.status !== ReferralStatus.CLOSED && referral.dueOn < chinaDate();
  }

  @FieldResolver(() => Finding, { description: '所移送的检查结果' })
  finding(@Root() referral: Referral): Promise<Finding> {
    return loadRequiredRef(referral.finding);
  }

  @FieldResolver(() => Department, { description: '移送部门' })
  fromDepartment(@Root() referral: Referral): Promise<Department> {
    return loadRequiredRef(referral.fromDepartment);
  }

  @FieldResolver(() => Department, { description: '接收部门' })
  toDepartment(@Root() referral: Referral): Promise<Department> {
    return loadRequiredRef(referral.toDepartment);
  }

  @FieldResolver(() => Inspection, { description: '所属检查' })
  async inspection(@Root() referral: Referral): Promise<Inspection> {
    const finding = await loadRequiredRef(referral.finding);
    return loadRequiredRef(finding.inspection);
  }
}

/** What the viewer may do with a finding beyond recording it. */
@Resolver(() => Finding)
export class FindingReferralResolver {
  @FieldResolver(() => [Referral], { description: '该结果的问题线索移送（已移送、已接收、已办结），按时间先后' })
  referrals(@Root() finding: Finding, @Ctx() ctx: HubContext): Promise<Referral[]> {
    return ctx.loaders.findingReferrals(finding.id);
  }

  @FieldResolver(() => Boolean, { description: '当前用户可否移送该结果的问题线索（录入部门，或市抽县查时代为检查的县级部门；须发现问题）' })
  viewerCanRefer(@Root() finding: Finding, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    return canRefer(viewer, finding, {
      department: (id) => ctx.loaders.load(Department, id),
      officer: (id) => ctx.loaders.load(Officer, id),
    });
  }
}
