/**
 * The baseline for bench:fanout: bare graphql-ws broadcasting a payload of the same size as the
 * hub's `inspectionUpdated { id status version }`, from an in-memory list of subscribers.
 * `node --import tsx bench/servers/bare-ws.ts PORT`; POST /emit {"version": n} broadcasts.
 */
import { createServer } from 'node:http';
import { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

interface Change {
  id: string;
  status: string;
  version: number;
}

/** Each subscriber's queue: pushed to on every change, read by graphql-ws. */
const listeners = new Set<(change: Change) => void>();

function subscribe(): AsyncIterableIterator<{ changed: Change }> {
  const queue: Change[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  const listener = (change: Change) => {
    queue.push(change);
    wake?.();
  };
  listeners.add(listener);
  const iterator: AsyncIterableIterator<{ changed: Change }> = {
    async next() {
      while (!done && queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      if (done) return { done: true, value: undefined };
      return { done: false, value: { changed: queue.shift()! } };
    },
    return() {
      done = true;
      listeners.delete(listener);
      wake?.();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

const ChangeType = new GraphQLObjectType({
  name: 'Change',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLString) },
    status: { type: new GraphQLNonNull(GraphQLString) },
    version: { type: new GraphQLNonNull(GraphQLInt) },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString, resolve: () => 'ok' } } }),
  subscription: new GraphQLObjectType({ name: 'Subscription', fields: { changed: { type: new GraphQLNonNull(ChangeType), subscribe } } }),
});

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (d: Buffer) => (body += d.toString()));
  req.on('end', () => {
    const { version } = JSON.parse(body) as { version: number };
    for (const listener of listeners) listener({ id: '1001', status: 'ASSIGNED', version });
    res.end('ok');
  });
});
useServer({ schema }, new WebSocketServer({ server, path: '/graphql' }));
server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('ready'));
