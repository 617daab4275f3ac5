import type { Orm } from '../../server/src/db/orm.js';

/**
 * Runs `run` and returns every SQL statement the hub sent through MikroORM meanwhile (each query
 * is logged through the connection's logQuery, whether or not logging is on). Used by the
 * statement-count tests and by bench:list.
 */
export async function statementsOf(orm: Orm, run: () => Promise<unknown>): Promise<string[]> {
  const connection = orm.em.getConnection() as unknown as { logQuery: (this: unknown, query: string, context?: unknown) => void };
  const original = connection.logQuery;
  const seen: string[] = [];
  connection.logQuery = function (this: unknown, query: string, context?: unknown) {
    seen.push(query);
    return original.call(this, query, context);
  };
  try {
    await run();
  } finally {
    connection.logQuery = original;
  }
  return seen;
}
