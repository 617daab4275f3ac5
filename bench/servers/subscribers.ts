/**
 * The subscribers of bench:fanout, in a process of their own: N graphql-ws clients, each on its
 * own WebSocket, each with one subscription. Driven over IPC by the benchmark:
 * {type:'wait', version, t0} → answers when every client has the change with that version (or
 * after the timeout), with each client's latency from t0.
 */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, count, query, variables] = process.argv.slice(2);
const arrivals: Map<number, number>[] = [];
const clients: Client[] = [];

function connectOne(i: number): Promise<void> {
  arrivals[i] = new Map();
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: false,
    retryAttempts: 0,
  });
  clients.push(client);
  return new Promise((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('closed', (event) => reject(new Error(`closed ${JSON.stringify(event)}`)));
    client.subscribe<Record<string, { version: number }>>(
      { query, variables: JSON.parse(variables) as Record<string, unknown> },
      {
        next: (result) => {
          const payload = result.data && Object.values(result.data)[0];
          if (payload) arrivals[i].set(payload.version, Date.now());
        },
        error: (error) => console.error('subscription error', JSON.stringify(error)),
        complete: () => {},
      },
    );
  });
}

async function main() {
  const n = Number(count);
  for (let i = 0; i < n; i += 100) await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, k) => connectOne(i + k)));
  process.send!({ type: 'connected', count: clients.length });
  process.on('message', (message: { type: string; version: number; t0: number; timeoutMs: number }) => {
    if (message.type === 'close') {
      for (const client of clients) void client.dispose();
      setTimeout(() => process.exit(0), 500);
      return;
    }
    const deadline = Date.now() + message.timeoutMs;
    const check = () => {
      const got = arrivals.filter((a) => a.has(message.version)).length;
      if (got === arrivals.length || Date.now() > deadline) {
        process.send!({
          type: 'arrived',
          version: message.version,
          received: got,
          latencies: arrivals.flatMap((a) => (a.has(message.version) ? [a.get(message.version)! - message.t0] : [])),
        });
      } else {
        setTimeout(check, 5);
      }
    };
    check();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
