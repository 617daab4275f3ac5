import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
// Registers the Role enum with GraphQL before the schema is built.
import '../modules/auth/roles.js';
import { buildSchema, type PubSub } from 'type-graphql';
import { AccountResolver } from '../modules/accounts/account.resolver.js';
import { ArchiveResolver } from '../modules/archive/archive.resolver.js';
import { ApiTokenResolver } from '../modules/auth/api-token.resolver.js';
import { StatisticsResolver } from '../modules/reporting/statistics.resolver.js';
import { TodoResolver } from '../modules/todo/todo.resolver.js';
import { InspectionRecordResolver } from '../modules/records/record.resolver.js';
import { AttachmentResolver, FindingEvidenceResolver, InspectionEvidenceResolver } from '../modules/attachments/attachment.resolver.js';
import { AuthResolver, SessionResolver } from '../modules/auth/auth.resolver.js';
import { CheckItemResolver } from '../modules/checklist/check-item.resolver.js';
import { DepartmentResolver, RegionResolver } from '../modules/departments/department.resolver.js';
import { DrawResolver } from '../modules/draws/draw.resolver.js';
import { FindingResolver, InspectionResolver } from '../modules/inspections/inspection.resolver.js';
import { EventResolver } from '../modules/events/event.resolver.js';
import { PlanResolver, TaskPartnerResolver, TaskResolver } from '../modules/plans/plan.resolver.js';
import { ImportJobResolver } from '../modules/imports/import.resolver.js';
import { OfficerConflictResolver } from '../modules/registry/officer-conflict.resolver.js';
import { FindingReferralResolver, ReferralResolver } from '../modules/referrals/referral.resolver.js';
import { EnterpriseResolver, IndustryResolver, OfficerResolver, RiskClassChangeResolver } from '../modules/registry/registry.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import {
  CorrectionResolver,
  InspectionPublicationResolver,
  PublicationResolver,
  PublicResultResolver,
} from '../modules/publication/publication.resolver.js';
import { authChecker } from './auth.js';
import { guardRootFields } from './root-guards.js';

let built: Promise<GraphQLSchema> | undefined;

/**
 * Subscriptions here read the event table through each server's EventBus (`subscribe` option),
 * never an in-memory topic bus that could not cross server processes. type-graphql insists on a
 * PubSub object; this one refuses topic use so that nobody adds an in-process-only path by mistake.
 */
const topicPubSubUnsupported: PubSub = {
  publish() {
    throw new Error('Publish through emitEvent() in the service transaction, not through a topic PubSub');
  },
  subscribe() {
    throw new Error('Subscribe through EventBus.stream(), not through a topic PubSub');
  },
};

/** The code-first schema; built once per process (type-graphql metadata is global). */
export function hubSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      AuthResolver,
      ApiTokenResolver,
      StatisticsResolver,
      SessionResolver,
      AccountResolver,
      RegionResolver,
      DepartmentResolver,
      IndustryResolver,
      EnterpriseResolver,
      OfficerResolver,
      RiskClassChangeResolver,
      CheckItemResolver,
      PlanResolver,
      TaskResolver,
      TaskPartnerResolver,
      EventResolver,
      ImportJobResolver,
      DrawResolver,
      InspectionResolver,
      FindingResolver,
      OfficerConflictResolver,
      ReferralResolver,
      FindingReferralResolver,
      AuditResolver,
      PublicationResolver,
      PublicResultResolver,
      CorrectionResolver,
      InspectionPublicationResolver,
      AttachmentResolver,
      InspectionEvidenceResolver,
      FindingEvidenceResolver,
      InspectionRecordResolver,
      TodoResolver,
      ArchiveResolver,
    ],
    authChecker,
    validate: false,
    pubSub: topicPubSubUnsupported,
    emitSchemaFile: false,
  }).then((schema) => {
    guardRootFields(schema);
    return schema;
  });
  return built;
}

/** The SDL as committed in schema/schema.graphql. */
export async function printHubSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await hubSchema()))}\n`;
}
