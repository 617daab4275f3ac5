import { graphql } from '../gql';
import { useLiveRefetch } from '../common/use-live-refetch';

const Changed = graphql(`
  subscription PublicationChanged {
    publicationChanged {
      action
      cursor
      publication {
        id
      }
    }
  }
`);

/** Every list of the publication pages refetches when any publication of the department changes. */
export function usePublicationLive(reload: () => void): void {
  useLiveRefetch(Changed, {}, reload);
}
