/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment SessionFields on AuthPayload {\n    token\n    expiresAt\n    user {\n      id\n      username\n      displayName\n      roles\n      department {\n        id\n        name\n        shortName\n      }\n    }\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n": typeof types.LoginDocument,
    "\n  subscription EventStream($after: ID, $types: [EventType!]) {\n    events(after: $after, types: $types) {\n      cursor\n      type\n      payload\n      actorId\n      createdAt\n    }\n  }\n": typeof types.EventStreamDocument,
    "\n  mutation RenewToken {\n    renewToken {\n      ...SessionFields\n    }\n  }\n": typeof types.RenewTokenDocument,
    "\n  mutation UpdateTask($id: ID!, $input: UpdateTaskInput!) {\n    updateTask(id: $id, input: $input) {\n      id\n      version\n      name\n      scopeText\n      windowFromMonth\n      windowToMonth\n      frequencyPerYear\n    }\n  }\n": typeof types.UpdateTaskDocument,
    "\n  query PlanTasks($year: Int) {\n    plans(year: $year) {\n      id\n      name\n      documentNo\n      status\n      year\n      department {\n        id\n        shortName\n      }\n      tasks {\n        id\n        seq\n        name\n        version\n        itemsText\n        scopeText\n        frequencyPerYear\n        windowFromMonth\n        windowToMonth\n        riskStratified\n        riskRuleText\n        modes\n        drawType\n        joint\n        ratio {\n          kind\n          label\n          text\n        }\n        leadDepartment {\n          id\n          shortName\n        }\n        partnerDepartments {\n          id\n          shortName\n        }\n        items {\n          id\n          code\n          item\n          kind\n          legalBasis\n        }\n        source {\n          header\n          text\n        }\n      }\n    }\n  }\n": typeof types.PlanTasksDocument,
};
const documents: Documents = {
    "\n  fragment SessionFields on AuthPayload {\n    token\n    expiresAt\n    user {\n      id\n      username\n      displayName\n      roles\n      department {\n        id\n        name\n        shortName\n      }\n    }\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n": types.LoginDocument,
    "\n  subscription EventStream($after: ID, $types: [EventType!]) {\n    events(after: $after, types: $types) {\n      cursor\n      type\n      payload\n      actorId\n      createdAt\n    }\n  }\n": types.EventStreamDocument,
    "\n  mutation RenewToken {\n    renewToken {\n      ...SessionFields\n    }\n  }\n": types.RenewTokenDocument,
    "\n  mutation UpdateTask($id: ID!, $input: UpdateTaskInput!) {\n    updateTask(id: $id, input: $input) {\n      id\n      version\n      name\n      scopeText\n      windowFromMonth\n      windowToMonth\n      frequencyPerYear\n    }\n  }\n": types.UpdateTaskDocument,
    "\n  query PlanTasks($year: Int) {\n    plans(year: $year) {\n      id\n      name\n      documentNo\n      status\n      year\n      department {\n        id\n        shortName\n      }\n      tasks {\n        id\n        seq\n        name\n        version\n        itemsText\n        scopeText\n        frequencyPerYear\n        windowFromMonth\n        windowToMonth\n        riskStratified\n        riskRuleText\n        modes\n        drawType\n        joint\n        ratio {\n          kind\n          label\n          text\n        }\n        leadDepartment {\n          id\n          shortName\n        }\n        partnerDepartments {\n          id\n          shortName\n        }\n        items {\n          id\n          code\n          item\n          kind\n          legalBasis\n        }\n        source {\n          header\n          text\n        }\n      }\n    }\n  }\n": types.PlanTasksDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionFields on AuthPayload {\n    token\n    expiresAt\n    user {\n      id\n      username\n      displayName\n      roles\n      department {\n        id\n        name\n        shortName\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment SessionFields on AuthPayload {\n    token\n    expiresAt\n    user {\n      id\n      username\n      displayName\n      roles\n      department {\n        id\n        name\n        shortName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription EventStream($after: ID, $types: [EventType!]) {\n    events(after: $after, types: $types) {\n      cursor\n      type\n      payload\n      actorId\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  subscription EventStream($after: ID, $types: [EventType!]) {\n    events(after: $after, types: $types) {\n      cursor\n      type\n      payload\n      actorId\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenewToken {\n    renewToken {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation RenewToken {\n    renewToken {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateTask($id: ID!, $input: UpdateTaskInput!) {\n    updateTask(id: $id, input: $input) {\n      id\n      version\n      name\n      scopeText\n      windowFromMonth\n      windowToMonth\n      frequencyPerYear\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateTask($id: ID!, $input: UpdateTaskInput!) {\n    updateTask(id: $id, input: $input) {\n      id\n      version\n      name\n      scopeText\n      windowFromMonth\n      windowToMonth\n      frequencyPerYear\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlanTasks($year: Int) {\n    plans(year: $year) {\n      id\n      name\n      documentNo\n      status\n      year\n      department {\n        id\n        shortName\n      }\n      tasks {\n        id\n        seq\n        name\n        version\n        itemsText\n        scopeText\n        frequencyPerYear\n        windowFromMonth\n        windowToMonth\n        riskStratified\n        riskRuleText\n        modes\n        drawType\n        joint\n        ratio {\n          kind\n          label\n          text\n        }\n        leadDepartment {\n          id\n          shortName\n        }\n        partnerDepartments {\n          id\n          shortName\n        }\n        items {\n          id\n          code\n          item\n          kind\n          legalBasis\n        }\n        source {\n          header\n          text\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PlanTasks($year: Int) {\n    plans(year: $year) {\n      id\n      name\n      documentNo\n      status\n      year\n      department {\n        id\n        shortName\n      }\n      tasks {\n        id\n        seq\n        name\n        version\n        itemsText\n        scopeText\n        frequencyPerYear\n        windowFromMonth\n        windowToMonth\n        riskStratified\n        riskRuleText\n        modes\n        drawType\n        joint\n        ratio {\n          kind\n          label\n          text\n        }\n        leadDepartment {\n          id\n          shortName\n        }\n        partnerDepartments {\n          id\n          shortName\n        }\n        items {\n          id\n          code\n          item\n          kind\n          legalBasis\n        }\n        source {\n          header\n          text\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;