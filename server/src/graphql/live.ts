import type { EventRecord } from '../modules/events/event-types.js';
import type { HubContext } from './context.js';
import { Loaders } from './loaders.js';

/**
 * One event is delivered to every subscriber of this process as the same object. Its payload is
 * resolved once: the first subscriber's execution creates a registry of loaders (with its own
 * EntityManager fork) for the event, and every other subscriber reads through the same one, so
 * 5,000 subscribers cost the queries of one. Scope is still checked per subscriber: the stream
 * filter admits only events the viewer may see, and field resolvers check the viewer as usual.
 */
const perEvent = new WeakMap<EventRecord, Loaders>();

/**
 * The loaders for delivering `event`, installed as `ctx.loaders` for this execution. graphql-ws
 * executes one subscription's events one after the other, so the swap cannot leak between events.
 */
export function loadersForEvent(ctx: HubContext, event: EventRecord): Loaders {
  let loaders = perEvent.get(event);
  if (!loaders) {
    loaders = new Loaders(ctx.services.fork());
    perEvent.set(event, loaders);
  }
  ctx.loaders = loaders;
  return loaders;
}
