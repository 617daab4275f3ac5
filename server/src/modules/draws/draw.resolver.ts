import { GraphQLJSON } from 'graphql-scalars';
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
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { HubContext } from '../../graphql/context.js';
import { parseId, parseIds } from '../../core/ids.js';
import { loadItems, loadRequiredRef } from '../../core/refs.js';
import { Role } from '../../core/roles.js';
import { Department } from '../departments/department.entity.js';
import { STREAM_START, viewerFilter } from '../events/event.service.js';
import { EventType, type EventRecord } from '../events/event-types.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Task } from '../plans/task.entity.js';
import { Draw, DrawAmendment, DrawEntropy, DrawStatus, openingOf } from './draw.entity.js';
import { missingWitnesses } from './draw-record.js';
import { amendTeam } from './amend.service.js';
import { drawRecord, publicDraw, publicDrawRecord, publicDraws } from './record.service.js';
import { AdminOperation, Public } from '../../graphql/auth.js';
import * as draws from './draw.service.js';
import { CurrentViewer, viewerIn } from '../../graphql/current-viewer.js';
import type { Viewer } from '../../core/viewer.js';
import { loadersForEvent } from '../../graphql/live.js';
import { cancelDraw, revealDraw } from './reveal.service.js';

const DRAW_EVENTS = [
  EventType.DRAW_OPENED,
  EventType.DRAW_ENTROPY_ADDED,
  EventType.DRAW_REVEALED,
  EventType.DRAW_CANCELLED,
  EventType.DRAW_TEAM_AMENDED,
] as const;

@ObjectType({ description: '公开的抽取（无需登录）' })
class PublicDraw {
  @Field(() => ID, { description: '编号' })
  id!: string;

  @Field(() => Int, { description: '年度' })
  year!: number;

  @Field(() => DrawStatus, { description: '状态' })
  status!: DrawStatus;

  @Field(() => String, { description: '发起部门' })
  department!: string;

  @Field(() => [String], { description: '抽查任务' })
  tasks!: string[];

  @Field(() => Date, { description: '开启时间' })
  openedAt!: Date;

  @Field(() => Date, { nullable: true, description: '揭示或撤销时间' })
  closedAt!: Date | null;

  @Field(() => Int, { description: '检查户次（揭示或撤销后）' })
  visits!: number;

  @Field(() => String, { nullable: true, description: '开启承诺值（draw-record@2）' })
  openingCommitment!: string | null;
}

function publicDrawOf(d: Draw): PublicDraw {
  return Object.assign(new PublicDraw(), {
    id: d.id,
    year: d.year,
    status: d.status,
    department: d.leadDepartment.getEntity().name,
    tasks: d.tasks.getItems().map((t) => t.name),
    openedAt: d.openedAt,
    closedAt: d.revealedAt ?? d.cancelledAt ?? null,
    visits: d.visits,
    openingCommitment: openingOf(d)?.openingCommitment ?? null,
  });
}

type DrawEvent = (typeof DRAW_EVENTS)[number];

@ObjectType({ description: '抽取的一次变化（开启、见证人加入随机串、完成）及变化后的抽取' })
class DrawUpdate {
  @Field(() => EventType, { description: '变化类型' })
  type!: EventType;

  @Field(() => String, { nullable: true, description: '见证人（加入随机串时）' })
  by!: string | null;

  @Field(() => Draw, { description: '变化后的抽取' })
  draw!: Draw;
}

@Resolver(() => Draw)
export class DrawResolver {
  @Query(() => Draw, { description: '抽取（本部门参与的）' })
  draw(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<Draw> {
    return draws.getDraw(ctx.em, viewer, id);
  }

  @Query(() => [Draw], { description: '本部门参与的抽取' })
  draws(
    @Arg('year', () => Int, { nullable: true, description: '年度' }) year: number | null,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Draw[]> {
    return draws.listDraws(ctx.em, viewer, year);
  }

  @AdminOperation()
  @Query(() => GraphQLJSON, {
    description: '抽取记录（完成后；参与部门与审计管理员）：种子、密钥、随机串、参数、名录与结果，可用 verify-draw 离线复核',
  })
  async drawRecord(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<unknown> {
    return drawRecord(ctx.em, viewer, id);
  }

  @Public()
  @Query(() => GraphQLJSON, {
    description:
      '公开的抽取记录（无需登录）：承诺值、种子组成与见证人随机串、各层规模与摘要、抽中企业（名称与代码）；不含风险分类，执法人员只含姓名与部门',
  })
  publicDrawRecord(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<unknown> {
    return publicDrawRecord(ctx.em, id);
  }

  @Public()
  @Query(() => [PublicDraw], { description: '公开的抽取列表（无需登录），最近的在前' })
  async publicDraws(
    @Arg('year', () => Int, { nullable: true, description: '年度' }) year: number | null,
    @Ctx() ctx: HubContext,
  ): Promise<PublicDraw[]> {
    return (await publicDraws(ctx.em, year)).map(publicDrawOf);
  }

  @Public()
  @Query(() => PublicDraw, { description: '一次公开的抽取（无需登录）' })
  async publicDraw(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<PublicDraw> {
    return publicDrawOf(await publicDraw(ctx.em, id));
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Draw, { description: '开启抽取：公布承诺值与名录承诺，等待见证人加入随机串' })
  openDraw(@Arg('taskIds', () => [ID]) taskIds: string[], @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<Draw> {
    return draws.openDraw(ctx.em, viewer, parseIds('taskIds', taskIds));
  }

  @Authorized(Role.WITNESS)
  @Mutation(() => Draw, { description: '见证人加入随机串（揭示前，每人一次）' })
  addDrawEntropy(
    @Arg('drawId', () => ID) drawId: string,
    @Arg('value', () => String) value: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Draw> {
    return draws.addDrawEntropy(ctx.em, viewer, drawId, value);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Draw, {
    description: '揭示种子并完成抽取：抽中企业、生成联合检查、抽派执法人员，一次完成；同一幂等键重复调用返回同一结果',
  })
  revealDraw(
    @Arg('drawId', () => ID) drawId: string,
    @Arg('idempotencyKey', () => String, { nullable: true, description: '客户端生成的幂等键，重试时保持不变' })
    idempotencyKey: string | null,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Draw> {
    return revealDraw(ctx.em, viewer, drawId, idempotencyKey);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Draw, { description: '发起部门撤销尚未揭示的抽取（须说明理由）；其任务可重新开启抽取' })
  cancelDraw(
    @Arg('drawId', () => ID) drawId: string,
    @Arg('reason', () => String, { description: '撤销理由' }) reason: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Draw> {
    return cancelDraw(ctx.em, viewer, drawId, reason);
  }

  @Authorized(Role.STAFF, Role.HEAD)
  @Mutation(() => Inspection, {
    description:
      '抽取完成后更换检查组的一名执法人员（因病、事后申报利害关系等）：替换人员按本次抽取的规则从开启时承诺的人员库中选出，记入抽取记录',
  })
  amendTeam(
    @Arg('inspectionId', () => ID) inspectionId: string,
    @Arg('officerId', () => ID, { description: '调出的执法人员' }) officerId: string,
    @Arg('reason', () => String, { description: '更换理由' }) reason: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Inspection> {
    return amendTeam(ctx.em, viewer, parseId('inspectionId', inspectionId), parseId('officerId', officerId), reason);
  }

  @Subscription(() => DrawUpdate, {
    description: '实时观看一次抽取：开启、见证人加入随机串、揭示结果与检查组',
    subscribe: async ({ args, context }) => {
      const ctx = context as HubContext;
      const { drawId } = args as { drawId: string };
      await draws.getDraw(ctx.em, viewerIn(ctx), drawId);
      return ctx.services.events.stream(
        viewerFilter(viewerIn(ctx), [...DRAW_EVENTS], (e) => e.payload.drawId === drawId),
        STREAM_START,
      );
    },
  })
  async drawUpdated(
    @Root() event: EventRecord<DrawEvent>,
    @Arg('drawId', () => ID) drawId: string,
    @Ctx() ctx: HubContext,
  ): Promise<DrawUpdate> {
    const draw = await loadersForEvent(ctx, event).loadOrFail(Draw, drawId);
    const by = event.type === EventType.DRAW_ENTROPY_ADDED ? event.payload.by : null;
    return Object.assign(new DrawUpdate(), { type: event.type, by, draw });
  }

  @FieldResolver(() => String, { nullable: true, description: '服务器密钥：揭示或撤销后公布，按 docs/draw-record.md 计算应等于承诺值' })
  secret(@Root() draw: Draw): string | null {
    return draw.status === DrawStatus.REVEALED || (draw.status === DrawStatus.CANCELLED && draw.seed) ? draw.secret : null;
  }

  @FieldResolver(() => String, { nullable: true, description: '执法人员库承诺值（开启时公布）' })
  poolCommitment(@Root() draw: Draw): string | null {
    return openingOf(draw)?.poolCommitment ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: '检查组规则（任务、事项、部门）承诺值（开启时公布）' })
  rulesCommitment(@Root() draw: Draw): string | null {
    return openingOf(draw)?.rulesCommitment ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: '开启承诺值：覆盖上述各承诺值与见证规则，向见证人展示' })
  openingCommitment(@Root() draw: Draw): string | null {
    return openingOf(draw)?.openingCommitment ?? null;
  }

  @FieldResolver(() => Int, { description: '揭示前至少需要的见证人随机串数' })
  witnessesRequired(@Root() draw: Draw): number {
    return openingOf(draw)?.witnessRule.required ?? 0;
  }

  @FieldResolver(() => Boolean, { description: '是否要求至少一名发起部门以外的见证人' })
  witnessFromOtherDepartment(@Root() draw: Draw): boolean {
    return openingOf(draw)?.witnessRule.otherDepartment ?? false;
  }

  @FieldResolver(() => String, { nullable: true, description: '尚缺的见证（为空表示见证已满足，可以揭示）' })
  async witnessesMissing(@Root() draw: Draw): Promise<string | null> {
    if (draw.status !== DrawStatus.COMMITTED || draw.spec?.format !== 2) return null;
    const entropies = await loadItems(draw.entropies);
    return missingWitnesses(
      draw.spec.opening.witnessRule,
      draw.leadDepartment.id,
      entropies.map((e) => ({ departmentId: e.departmentId ?? 0 })),
    );
  }

  @FieldResolver(() => [DrawAmendment], { description: '抽取完成后的检查组人员调整' })
  amendments(@Root() draw: Draw, @Ctx() ctx: HubContext): Promise<DrawAmendment[]> {
    return ctx.loaders.drawAmendments(draw.id);
  }

  @FieldResolver(() => [Task], { description: '本次抽取的任务' })
  tasks(@Root() draw: Draw): Promise<Task[]> {
    return loadItems(draw.tasks);
  }

  @FieldResolver(() => Department, { description: '发起部门' })
  leadDepartment(@Root() draw: Draw): Promise<Department> {
    return loadRequiredRef(draw.leadDepartment);
  }

  @FieldResolver(() => [DrawEntropy], { description: '见证人加入的随机串' })
  entropies(@Root() draw: Draw): Promise<DrawEntropy[]> {
    return loadItems(draw.entropies);
  }

  @FieldResolver(() => [Inspection], { description: '抽中的企业（每户次一项检查）及检查组' })
  inspections(@Root() draw: Draw, @Ctx() ctx: HubContext): Promise<Inspection[]> {
    return ctx.loaders.drawInspections(draw.id);
  }
}
