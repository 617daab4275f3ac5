import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, Subscription, superuser, TestHub } from './support/hub.js';

/** Regression tests for the outside probe's findings (issue: hardened for a real deployment). */

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(async () => hub?.close());

const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';

describe('no INTERNAL error for what a caller can send (finding 8)', () => {
  it.each([
    ['a malformed draw id', 'NOT_FOUND', '{ draw(id: "------------------------------------") { id } }'],
    ['a malformed draw id in a filter', 'BAD_USER_INPUT', '{ inspections(drawId: "x") { totalCount } }'],
    [
      'an events cursor beyond int64',
      'BAD_USER_INPUT',
      `{ events(after: "${Buffer.from('99999999999999999999999.1').toString('base64url')}") { endCursor } }`,
    ],
    ['a subscription over HTTP POST', 'BAD_USER_INPUT', 'subscription { events { type } }'],
    [
      'a visit date in year 1',
      'BAD_USER_INPUT',
      'mutation { scheduleInspection(id: 1, version: 1, scheduledAt: "0001-01-01T00:00:00Z") { id } }',
    ],
  ])('answers %s with %s', async (_name, code, query) => {
    expect(codes(await (await hub.as('commerce.staff')).query(query))).toEqual([code]);
  });

  it('answers malformed JSON with 400 and a body over 1 MB with 413, both named', async () => {
    const post = (body: string) => fetch(`${hub.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const malformed = await post('{"query": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'body' } });
    const large = await post(JSON.stringify({ query: '{ __typename }', padding: 'a'.repeat(1_100_000) }));
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'body' } });
  });

  it('keeps the public page size the schema states, and spells no field names out ("Did you mean")', async () => {
    const { data } = await (
      await hub.as('commerce.staff')
    ).query<{ __type: { fields: { name: string; args: { name: string; description: string }[] }[] } }>(
      '{ __type(name: "Query") { fields { name args { name description } } } }',
    );
    const first = data?.__type.fields.find((f) => f.name === 'publicResults')?.args.find((a) => a.name === 'first');
    expect(first?.description).toBe('每页条数（1–100）');
    expect(codes(await hub.anonymous.query('{ publicResults(first: 101) { totalCount } }'))).toEqual(['BAD_USER_INPUT']);
    const typo = await hub.anonymous.query('{ publicResults { nodez { id } } }');
    expect(typo.errors![0].message).not.toContain('Did you mean');
  });
});

describe('control characters (finding 5)', () => {
  it('refuses a NUL byte in any argument, naming it, and still writes the audit entry', async () => {
    const nul = await hub.anonymous.query(LOGIN, { u: 'commerce.staff\u0000', p: 'x' });
    expect(nul.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'username' });
    const staff = await hub.as('commerce.staff');
    const nested = await staff.query('mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }', {
      input: { year: 2027, name: '计划\u0000名称' },
    });
    expect(nested.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const { auditLog } = await (await hub.as('auditor')).ok('{ auditLog(first: 20, operation: "login") { target success errorCode } }');
    expect(auditLog).toContainEqual({ target: 'username=commerce.staff\uFFFD', success: false, errorCode: 'BAD_USER_INPUT' });
  });

  it('refuses a lone surrogate (not text; PostgreSQL refuses it in JSON) by name, not as an internal error', async () => {
    const staff = await hub.as('commerce.staff');
    const lone = await staff.query('mutation($id: ID!, $reason: String!) { retireCheckItem(id: $id, reason: $reason) { id } }', {
      id: '1',
      reason: '\ud800',
    });
    expect(lone.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  });
});

describe('login lockout (finding 3)', () => {
  it('counts failed logins under the user name as login reads it, spaces or not', async () => {
    for (let i = 0; i < 8; i++) await hub.anonymous.query(LOGIN, { u: i % 2 ? ' tax.staff' : 'tax.staff ', p: 'wrong' });
    const locked = await hub.anonymous.query(LOGIN, { u: 'tax.staff', p: 'demo2026' });
    expect(codes(locked)).toEqual(['UNAUTHENTICATED']);
    expect(locked.errors![0].message).toContain('锁定');
    const db = await superuser(hub.databaseUrl);
    const { rows } = await db.query(`select distinct target from audit_log where operation = 'login' and target like '%tax.staff%'`);
    await db.end();
    expect(rows).toEqual([{ target: 'username=tax.staff' }]);
  });
});

describe('a disabled account (finding 6)', () => {
  it('loses its open subscriptions at once', async () => {
    const { login } = await hub.anonymous.ok(LOGIN, { u: 'police.witness', p: 'demo2026' });
    // The socket is up and accepted (connection_init acknowledged) before the account changes.
    const { closed } = await hub.watchUntilClosed(login.token);
    const admin = await hub.as('admin');
    const { users } = await admin.ok('{ users(search: "police.witness") { nodes { id username } } }');
    const id = users.nodes.find((u: { username: string }) => u.username === 'police.witness').id;
    await admin.ok('mutation($id: ID!) { disableUser(id: $id, reason: "调离") { id } }', { id });
    expect(await closed).toBe(4401);
    expect(codes(await hub.session(login.token).query('{ me { username } }'))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('limits on every path (finding 2, 9)', () => {
  // query { ...F1 } fragment Fi on Query { ...F(i+1) ...F(i+1) }: 947 bytes that made the old depth rule walk 2^24 spreads.
  const FRAGMENT_BOMB = [
    'query { ...F1 }',
    ...Array.from({ length: 24 }, (_, i) => `fragment F${i + 1} on Query { ...F${i + 2} ...F${i + 2} }`),
    'fragment F25 on Query { __typename }',
  ].join('\n');
  const ALIASES = `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: enterprises(first: 500) { totalCount }`).join(' ')} }`;
  // inspection → findings → inspection … nested past any real page.
  const CYCLE = `{ inspections(first: 500) { nodes { ${'findings { inspection { '.repeat(8)}id${' } }'.repeat(8)} } } }`;
  const SUBSCRIBE_DEEP = `subscription { inspectionUpdated(inspectionId: "1") { ${'findings { inspection { '.repeat(8)}id${' } }'.repeat(8)} } }`;

  it.each([
    ['a fragment bomb', FRAGMENT_BOMB],
    ['50 aliases of a 500-row list', ALIASES],
    ['a cyclic query nested 17 deep', CYCLE],
  ])('refuses %s on HTTP, signed in or not', async (_name, query) => {
    for (const session of [hub.anonymous, await hub.as('commerce.staff')]) {
      expect([...new Set(codes(await session.query(query)))]).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
  });

  it('refuses the same over the WebSocket, and a document too long', async () => {
    const staff = await hub.as('commerce.staff');
    for (const query of [FRAGMENT_BOMB, SUBSCRIBE_DEEP, `subscription { events { type ${' __typename'.repeat(4000)} } }`]) {
      // graphql-ws answers a refused document with an error message: the subscription fails with it.
      const failure: unknown = await new Subscription(hub.wsClient(staff.token), query).next().then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toEqual([expect.objectContaining({ message: expect.stringContaining('上限') })]);
    }
  });

  it('holds a signed-in document to its length on HTTP as on the WebSocket (comments are no tokens, but they are characters)', async () => {
    const long = `{ __typename }\n#${'注'.repeat(20_000)}`;
    const refused = await (await hub.as('commerce.staff')).query(long);
    expect(codes(refused)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(refused.errors![0].message).toContain('20000 个字符');
  });

  it('lets signed-in callers introspect and refuses anonymous ones, on every start', async () => {
    expect((await (await hub.as('commerce.staff')).ok('{ __schema { queryType { name } } }')).__schema.queryType.name).toBe('Query');
    expect(codes(await hub.anonymous.query('{ __schema { queryType { name } } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});
