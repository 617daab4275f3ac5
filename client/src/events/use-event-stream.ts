import { useEffect, useRef, useState } from 'react';
import { useSubscription } from 'urql';
import { graphql } from '../gql';
import type { EventType, EventStreamSubscription } from '../gql/graphql';

const EventStream = graphql(`
  subscription EventStream($after: ID, $types: [EventType!]) {
    events(after: $after, types: $types) {
      cursor
      type
      payload
      actorId
      createdAt
    }
  }
`);

export type HubEventMessage = EventStreamSubscription['events'];

/**
 * Calls `onEvent` for each live event of the given types. The subscription always carries the
 * last cursor seen, so a reconnecting socket asks the server to replay what it missed.
 */
export function useEventStream(types: EventType[], onEvent: (event: HubEventMessage) => void): void {
  const [cursor, setCursor] = useState<string | null>(null);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [{ data }] = useSubscription({ query: EventStream, variables: { types, after: cursor } });
  useEffect(() => {
    if (!data || data.events.cursor === cursor) return;
    setCursor(data.events.cursor);
    handler.current(data.events);
  }, [data, cursor]);
}
