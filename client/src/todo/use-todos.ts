import { useQuery } from 'urql';
import { useEventStream } from '../events/use-event-stream';
import { graphql } from '../gql';

export const Todos = graphql(`
  query Todos {
    todos {
      kind
      title
      detail
      dueOn
      path
    }
  }
`);

/**
 * The user's 待办, kept current: any event that can add or settle one re-reads the list (the
 * header's count and the 待办 page share the one query in urql's cache).
 */
export function useLiveTodos(enabled: boolean) {
  const [result, refetch] = useQuery({ query: Todos, pause: !enabled });
  useEventStream(
    [
      'INSPECTION_UPDATED',
      'FINDING_RECORDED',
      'REFERRAL_UPDATED',
      'FOLLOW_UP_DONE',
      'PUBLICATION_CHANGED',
      'DRAW_REVEALED',
      'DRAW_TEAM_AMENDED',
    ],
    () => enabled && refetch({ requestPolicy: 'network-only' }),
  );
  return result;
}
