/**
 * PostGraphile 5 over the hub's database, for bench:list (a peer, not part of the product):
 * `node --import tsx bench/servers/postgraphile.ts DATABASE_URL PORT`.
 */
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const [databaseUrl, port] = process.argv.slice(2);
const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: databaseUrl, schemas: ['public'], poolConfig: { max: 10 } })],
  grafserv: { graphqlPath: '/graphql', graphiql: false },
  grafast: { explain: false },
});
const server = createServer();
void pgl.createServ(grafserv).addTo(server);
server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
