import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Args, ArgsType, Ctx, Field, ID, Int, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { HubContext } from '../../graphql/context.js';
import { UnauthenticatedError } from '../../core/errors.js';
import { checkPageSize } from '../../core/paging.js';
import type { StreamFilter } from './event-types.js';
import { EventType, type EventRecord } from './event-types.js';
import { decodeEventCursor, encodeEventCursor, STREAM_START, viewerFilter } from './event.service.js';

@ObjectType({ description: '事件：他人需要看到的每一次变更，与变更在同一事务中写入' })
export class HubEvent {
  @Field(() => ID, { description: '事件在流中的位置；断线重连时作为 after 传回，不会漏收' })
  cursor!: string;

  @Field(() => String, { description: '事件序号（按提交顺序递增，可能不连续）' })
  seq!: string;

  @Field(() => EventType, { description: '事件类型' })
  type!: EventType;

  @Field(() => [ID], { description: '可见部门；为空表示所有登录用户可见' })
  departmentIds!: number[];

  @Field(() => GraphQLJSON, { description: '事件内容（随类型而定）' })
  payload!: unknown;

  @Field(() => ID, { nullable: true, description: '操作人账号' })
  actorId!: number | null;

  @Field(() => Date, { description: '发生时间' })
  createdAt!: Date;
}

function toHubEvent(e: EventRecord): HubEvent {
  return Object.assign(new HubEvent(), {
    cursor: encodeEventCursor(e),
    seq: e.seq,
    type: e.type,
    departmentIds: e.departmentIds,
    payload: e.payload,
    actorId: e.actorId,
    createdAt: e.createdAt,
  });
}

@ArgsType()
class EventStreamArgs {
  @Field(() => ID, { nullable: true, description: '从此 cursor 之后开始（先补发错过的事件，再实时推送）；不传则只收新事件' })
  after?: string | null;

  @Field(() => [EventType], { nullable: true, description: '只接收这些类型' })
  types?: EventType[] | null;
}

@ObjectType({ description: '一页事件' })
class EventPage {
  @Field(() => [HubEvent], { description: '按发生顺序排列的事件' })
  events!: HubEvent[];

  @Field(() => ID, { nullable: true, description: '本页最后一个事件的 cursor' })
  endCursor!: string | null;
}

function filterFor(ctx: HubContext, types: EventType[] | null | undefined): StreamFilter {
  if (!ctx.viewer) throw new UnauthenticatedError();
  return viewerFilter(ctx.viewer, types?.length ? types : null);
}

@Resolver(() => HubEvent)
export class EventResolver {
  @Query(() => EventPage, { description: '按顺序读取本人可见的事件（用于补齐与报表）' })
  async events(
    @Args(() => EventStreamArgs) args: EventStreamArgs,
    @Arg('first', () => Int, { defaultValue: 100, description: '条数（1–500）' }) first: number,
    @Ctx() ctx: HubContext,
  ): Promise<EventPage> {
    checkPageSize(first);
    const filter = filterFor(ctx, args.types);
    const after = args.after ? decodeEventCursor(args.after) : STREAM_START;
    const events = (await ctx.services.events.read(filter, after, first)).map(toHubEvent);
    return Object.assign(new EventPage(), { events, endCursor: events.at(-1)?.cursor ?? null });
  }

  @Subscription(() => HubEvent, {
    name: 'events',
    description: '事件流：先补发 after 之后错过的事件，再实时推送；只含本人可见的事件',
    subscribe: ({ args, context }) => {
      const ctx = context as HubContext;
      const { after, types } = args as EventStreamArgs;
      return ctx.services.events.stream(filterFor(ctx, types), after ? decodeEventCursor(after) : null);
    },
  })
  eventStream(@Root() event: EventRecord, @Args(() => EventStreamArgs) _args: EventStreamArgs): HubEvent {
    return toHubEvent(event);
  }
}
