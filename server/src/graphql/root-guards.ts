import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { audited } from './audit.js';
import { requireViewer, type RootFieldKind } from './auth.js';
import { BadInputError } from '../core/errors.js';
import type { HubContext } from './context.js';

type Resolver = GraphQLFieldResolver<unknown, HubContext, Record<string, unknown>>;

// Control characters (NUL and the like; tab and line breaks are text) have no place in any argument.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Refuses an argument holding a control character or a lone surrogate, naming it (input.name, itemIds[2]). */
function refuseControlCharacters(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (CONTROL.test(value)) throw new BadInputError(path, '含有不允许的控制字符');
    // A lone surrogate (\ud800) is not text: PostgreSQL refuses it in JSON (events, audit), so it stops here, named.
    if (!value.isWellFormed()) throw new BadInputError(path, '含有无效的字符（不成对的 Unicode 代理项）');
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => refuseControlCharacters(v, `${path}[${i}]`));
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, v] of Object.entries(value)) refuseControlCharacters(v, path ? `${path}.${key}` : key);
  }
}

/**
 * Login and audit belong to operations, not to every field of their answers: the root fields of
 * Query, Mutation and Subscription get them here, once, after the schema is built. (As global
 * type-graphql middlewares they wrapped each of the thousands of fields of a list page in
 * promises.) Every mutation is audited; every non-public root field needs a viewer, and the right kind of account (auth.ts).
 */
export function guardRootFields(schema: GraphQLSchema): void {
  const mutation = schema.getMutationType();
  for (const type of [schema.getQueryType(), mutation, schema.getSubscriptionType()]) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      const kind = (field.extensions ?? {}) as RootFieldKind;
      const resolve = field.resolve as Resolver | undefined;
      if (resolve) {
        const guarded: Resolver = (root, args, context, info) => {
          requireViewer(kind, context);
          refuseControlCharacters(args, '');
          return resolve(root, args, context, info);
        };
        field.resolve =
          type === mutation
            ? (root, args: Record<string, unknown>, context: HubContext, info) =>
                audited(context, info.fieldName, args, () => guarded(root, args, context, info))
            : guarded;
      }
      const subscribe = field.subscribe as Resolver | undefined;
      if (subscribe) {
        const guardedSubscribe: Resolver = (root, args, context, info) => {
          requireViewer(kind, context);
          refuseControlCharacters(args, '');
          return subscribe(root, args, context, info);
        };
        field.subscribe = guardedSubscribe;
      }
    }
  }
}
