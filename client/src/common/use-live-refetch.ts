import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useRef } from 'react';
import { type AnyVariables, useSubscription } from 'urql';

/**
 * A live page: whenever the subscription delivers a change, `reload` runs (usually a network-only
 * refetch of the page's query). The subscription's `after` replay means nothing is missed.
 */
export function useLiveRefetch<Data, Variables extends AnyVariables>(
  subscription: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  reload: () => void,
): void {
  const latest = useRef(reload);
  latest.current = reload;
  useSubscription<Data, Data, Variables>({ query: subscription, variables } as never, (_, update) => {
    latest.current();
    return update;
  });
}
