import { createClient as createWsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from 'urql';

export interface ClientOptions {
  getToken: () => string | null;
  /** Called when the server says the session is no longer valid. */
  onUnauthenticated: () => void;
}

function wsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/graphql`;
}

/**
 * One urql client: queries and mutations over HTTP POST (Apollo's CSRF guard refuses plain GETs),
 * subscriptions over graphql-ws with the same token.
 */
export function createHubClient({ getToken, onUnauthenticated }: ClientOptions): { client: Client; dispose: () => void } {
  const ws = createWsClient({
    url: wsUrl(),
    connectionParams: () => {
      const token = getToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    retryAttempts: Infinity,
    // Back off, but never more than 10 s: after a day without signal the phone reconnects soon after it returns.
    retryWait: (retries) =>
      new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, 10_000) * (0.5 + Math.random() / 2))),
    shouldRetry: (event) => (event as CloseEvent).code !== 4401,
    on: {
      closed: (event) => {
        if ((event as CloseEvent).code === 4401) onUnauthenticated();
      },
    },
  });
  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    fetchOptions: (): RequestInit => {
      const token = getToken();
      return token ? { headers: { authorization: `Bearer ${token}` } } : {};
    },
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onUnauthenticated();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}

/** The Chinese message of the first error, for display. */
export function errorText(error: { graphQLErrors?: { message: string }[]; networkError?: Error } | undefined): string | null {
  if (!error) return null;
  if (error.graphQLErrors?.length) return error.graphQLErrors[0].message;
  if (error.networkError) return '无法连接服务器，请检查网络后重试';
  return '操作失败';
}

/**
 * The form field a BAD_USER_INPUT or CONFLICT names, without the "input." prefix and a trailing
 * "[n]" (input.itemIds[0] → itemIds), with its reason, to show beside that field; null if none.
 */
export function fieldError(error: {
  graphQLErrors?: { extensions?: Record<string, unknown> }[];
}): { field: string; reason: string } | null {
  const extensions = error.graphQLErrors?.[0]?.extensions;
  if (typeof extensions?.field !== 'string') return null;
  const reason = typeof extensions.reason === 'string' ? extensions.reason : '';
  return { field: extensions.field.replace(/^input\./, '').replace(/\[\d+\]$/, ''), reason };
}
