import { graphql } from '../gql';

graphql(`
  fragment StatisticsRowFields on StatisticsRow {
    label
    key {
      departmentId
      taskId
      regionId
      industryId
      riskClass
      month
    }
    firmsInScope
    firmsDrawn
    visits
    departmentVisits
    itemsPlanned
    itemsChecked
    visitsFinalised
    completionRate
    visitsWithProblem
    problemRate
    correctionsOrdered
    correctionsDone
    correctionsOverdue
    referralsOpened
    referralsAccepted
    referralsClosed
    referralsOverdue
    published
    publishedOnTime
    publicationRate
    onTimeRate
    itemsPerVisit
    visitsSaved
    teamPlaces
    officerWorkload
  }
`);

export const Dashboard = graphql(`
  query StatisticsDashboard($filter: StatisticsFilter!) {
    statisticsMeasures {
      key
      label
      formula
      kind
    }
    byTask: statistics(filter: $filter, groupBy: [TASK]) {
      asOf
      total {
        ...StatisticsRowFields
      }
      rows {
        ...StatisticsRowFields
      }
    }
    byIndustry: statistics(filter: $filter, groupBy: [INDUSTRY]) {
      rows {
        ...StatisticsRowFields
      }
    }
    byRegion: statistics(filter: $filter, groupBy: [REGION]) {
      rows {
        ...StatisticsRowFields
      }
    }
    byMonth: statistics(filter: $filter, groupBy: [MONTH]) {
      rows {
        ...StatisticsRowFields
      }
    }
    byRisk: statistics(filter: $filter, groupBy: [RISK_CLASS]) {
      rows {
        ...StatisticsRowFields
      }
    }
  }
`);

export const Options = graphql(`
  query StatisticsOptions($year: Int!) {
    statisticsOptions(year: $year) {
      departments {
        id
        name
      }
      tasks {
        id
        name
      }
      regions {
        id
        name
      }
      industries {
        id
        name
      }
    }
  }
`);

export const ApiTokens = graphql(`
  query ApiTokens {
    apiTokens {
      id
      name
      createdAt
      expiresAt
      revokedAt
      lastUsedAt
      uses
      active
      createdBy
    }
  }
`);

export const CreateApiToken = graphql(`
  mutation CreateApiToken($name: String!, $expiresAt: DateTimeISO!) {
    createApiToken(name: $name, expiresAt: $expiresAt) {
      token
      apiToken {
        id
      }
    }
  }
`);

export const RevokeApiToken = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      id
      active
      revokedAt
    }
  }
`);
