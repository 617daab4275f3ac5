import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError } from '../core/errors.js';

/** A domain error as GraphQL carries it: the message, and the code with its details in `extensions`. */
export function toGraphQLError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: error.code, ...error.details } });
}

const PASS_THROUGH_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'CONFLICT',
  'UNAUTHENTICATED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'SERVICE_UNAVAILABLE',
]);

/** Close code for WebSockets when the database is away: "try again later", which clients retry. */
export const CLOSE_TRY_AGAIN = 1013;

export const UNAVAILABLE_MESSAGE = '数据库暂不可用，请稍后重试';

/**
 * Whether an error means the database cannot be reached (down, restarting, connection cut): a
 * 503 for the caller to retry, not an internal error. PostgreSQL's connection-exception class
 * (08…) and shutdown codes (57P01–57P03), or the socket's own errors.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; cause?: unknown; originalError?: unknown; message?: unknown } | undefined, depth = 0;
    e && depth < 6;
    depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (/^(08...|57P0[123]|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)$/.test(code)) return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|connect ECONNREFUSED|terminating connection due to administrator command/.test(e.message)
    )
      return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}

/** "Did you mean …?" would spell the schema out to anyone probing it. */
function withoutSuggestions(message: string): string {
  return message.replace(/ Did you mean .*\?$/, '');
}

/** The domain error behind a GraphQL error (resolvers' errors arrive wrapped with their path). */
function domainErrorOf(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  if (error instanceof GraphQLError) return domainErrorOf(error.originalError);
  return null;
}

/** The code a client will see for an error thrown by a resolver (INTERNAL_SERVER_ERROR for anything untyped). */
export function errorCodeOf(error: unknown): string {
  const domain = domainErrorOf(error);
  if (domain) return domain.code;
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) return code;
  return isDatabaseUnavailable(error) ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR';
}

/**
 * The one place where errors become what a client sees: a domain error with its code and
 * details, GraphQL's own parse/validation errors as they are, anything else a generic message
 * (the original is logged). Never a stack trace. Used by HTTP (Apollo) and WebSocket (graphql-ws).
 */
export function toClientError(
  formatted: GraphQLFormattedError,
  error: unknown,
  onInternal: (error: unknown) => void,
): GraphQLFormattedError {
  const domain = domainErrorOf(error);
  if (domain) {
    return {
      message: domain.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: domain.code, ...domain.details },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
    const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
    return { message: withoutSuggestions(formatted.message), locations: formatted.locations, path: formatted.path, extensions };
  }
  // A request error (a variable's value that does not fit its type) has no path — field errors,
  // internal ones included, always have one: the caller's input. Apollo codes these on HTTP;
  // graphql-ws does not.
  if (error instanceof GraphQLError && !error.path) {
    return {
      message: withoutSuggestions(formatted.message),
      locations: formatted.locations,
      extensions: { code: 'BAD_USER_INPUT' },
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      message: UNAVAILABLE_MESSAGE,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    };
  }
  onInternal(error);
  return {
    message: '服务器内部错误，请稍后重试或联系管理员',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
