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
import { parseIds } from '../../core/ids.js';
import { loadItems, loadRequiredRef } from '../../core/refs.js';
import { Role } from '../../core/roles.js';
import { Department } from '../departments/department.entity.js';
import { viewerFilter } from '../events/event.service.js';
import { EventType, type EventRecord } from '../events/event-types.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Task } from '../plans/task.entity.js';
import { Draw, DrawEntropy, DrawStatus } from './draw.entity.js';
import * as draws from './draw.service.js';
import { CurrentViewer, viewerIn } from '../../graphql/current-viewer.js';
import type { Viewer } from '../../core/viewer.js';
import { loadersForEvent } from '../../graphql/live.js';
import { revealDraw } from './reveal.service.js';

const DRAW_EVENTS = [EventType.DRAW_OPENED, EventType.DRAW_ENTROPY_ADDED, EventType.DRAW_REVEALED, EventType.DRAW_CANCELLED] as const;
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

  @Query(() => GraphQLJSON, { description: '抽取记录（完成后）：种子、密钥、随机串、参数、名录与结果，可用 verify-draw 离线复核' })
  async drawRecord(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<unknown> {
    return draws.drawRecord(ctx.em, viewer, id);
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
    return draws.cancelDraw(ctx.em, viewer, drawId, reason);
  }

  @Subscription(() => DrawUpdate, {
    description: '实时观看一次抽取：开启、见证人加入随机串、揭示结果与检查组',
    subscribe: async ({ args, context }) => {
      const ctx = context as HubContext;
      const { drawId } = args as { drawId: string };
      await draws.getDraw(ctx.em, viewerIn(ctx), drawId);
      return ctx.services.events.stream(
        viewerFilter(viewerIn(ctx), [...DRAW_EVENTS], (e) => e.payload.drawId === drawId),
        { tx: '0', id: '0' },
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

  @FieldResolver(() => String, { nullable: true, description: '服务器密钥：完成后公布，SHA-256 后应等于承诺值' })
  secret(@Root() draw: Draw): string | null {
    return draw.status === DrawStatus.REVEALED ? draw.secret : null;
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
