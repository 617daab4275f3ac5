import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { type DocumentNode, GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * What one GraphQL document may ask, on HTTP (Apollo) and WebSocket (graphql-ws) alike, with
 * graphql-armor's rules: fragments are counted once (a fragment spread twice is not walked
 * twice), so a small document cannot make the server walk an exponential tree. Anonymous callers
 * (the public pages) get tighter limits. The client's own documents stay well inside (a test
 * validates every one of them; the dearest, the publication due list, costs about 36,000 by
 * armor's measure, the public result list about 2,000).
 */
export interface Limits {
  depth: number;
  cost: number;
  aliases: number;
  directives: number;
  tokens: number;
  characters: number;
}

export const SIGNED_IN_LIMITS: Limits = { depth: 12, cost: 100_000, aliases: 15, directives: 10, tokens: 3_000, characters: 20_000 };
export const ANONYMOUS_LIMITS: Limits = { depth: 8, cost: 10_000, aliases: 5, directives: 5, tokens: 800, characters: 5_000 };

/** A rule's refusal, reported as a validation error in Chinese (armor's own text says "Syntax Error"). */
function refuse(what: string, limit: number) {
  const message = `查询${what}超过上限（${limit}）`;
  return {
    exposeLimits: false,
    errorMessage: message,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null) =>
        context?.reportError(new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
    ],
  };
}

/** The validation rules for a document (depth, cost, aliases, directives); anonymous callers get no introspection either. */
export function limitRules(limits: Limits): ValidationRule[] {
  return [
    ...(limits === ANONYMOUS_LIMITS ? [NoSchemaIntrospectionCustomRule] : []),
    maxDepthRule({ ...refuse('嵌套层数', limits.depth), n: limits.depth, flattenFragments: true }),
    costLimitRule({ ...refuse('复杂度', limits.cost), maxCost: limits.cost, flattenFragments: true }),
    maxAliasesRule({ ...refuse('别名数', limits.aliases), n: limits.aliases }),
    maxDirectivesRule({ ...refuse('指令数', limits.directives), n: limits.directives }),
  ] as ValidationRule[];
}

/** The document's length (comments count here, not as tokens). */
export function checkLength(query: string, limits: Limits): void {
  if (query.length > limits.characters) {
    throw new GraphQLError(`查询长度超过上限（${limits.characters} 个字符）`, {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
    });
  }
}

/**
 * The document's text against the character and token limits, parsed once: the parser stops at
 * the token limit instead of building a huge tree. Throws a GraphQLError the caller can read.
 */
export function parseWithinLimits(query: string, limits: Limits): DocumentNode {
  checkLength(query, limits);
  try {
    return new MaxTokensParserWLexer(query, {
      n: limits.tokens,
      errorMessage: `查询词法单元数超过上限（${limits.tokens}）`,
    }).parseDocument();
  } catch (error) {
    if (error instanceof GraphQLError) {
      throw new GraphQLError(error.message, { extensions: { ...error.extensions, code: error.extensions.code ?? 'GRAPHQL_PARSE_FAILED' } });
    }
    throw error;
  }
}
