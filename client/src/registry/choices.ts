import { graphql } from '../gql';

/** The industries and regions the registry's filters and forms choose from. */
export const RegistryChoices = graphql(`
  query RegistryChoices {
    industries {
      id
      name
    }
    regions {
      id
      name
    }
  }
`);
