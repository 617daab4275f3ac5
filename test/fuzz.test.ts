import {
  getNamedType,
  getNullableType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isLeafType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubSchema } from '../server/src/graphql/schema.js';
import { TestHub } from './support/hub.js';

/**
 * 1,000 generated bad inputs across every query, mutation and subscription, each as a persona
 * from anonymous to the administrators, with a fixed seed: whatever comes back, never an
 * INTERNAL_SERVER_ERROR and never an HTTP 5xx. Every case corrupts at least one argument (or a
 * field deep in an input object) and fills the rest plausibly, so the server gets past the
 * type check and reaches the services with the bad value.
 */
const CASES = 1_000;
const SEED = 20261202;

/** mulberry32: small, seeded, good enough to pick cases. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BAD: Record<string, unknown[]> = {
  String: [
    'a\u0000b',
    'x\u0007y',
    '',
    '   ',
    'x'.repeat(5_000),
    '测'.repeat(100_000),
    '\ud800',
    "' or 1=1 --",
    '%_\\',
    '2026-02-30',
    '0001-01-01',
    '2026/01/01',
    '{"a":1}',
  ],
  ID: [
    '',
    '-1',
    '0',
    '1.5',
    'abc',
    '-'.repeat(36),
    '9'.repeat(30),
    '00000000-0000-0000-0000-00000000000g',
    ' 1',
    '1\u0000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
  ],
  Int: [2 ** 31, -(2 ** 31) - 1, 1.5, '12', -1, 0, 2 ** 53, true],
  Float: ['NaN', -1e308, 1e308, 'x'],
  Boolean: ['true', 1],
  DateTimeISO: ['2026-13-45T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '', 123, 'yesterday'],
  JSON: [JSON.parse('['.repeat(200) + ']'.repeat(200)), Array.from({ length: 10_000 }, (_, i) => i)],
};

class Generator {
  constructor(readonly random: () => number) {}

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)];
  }

  /** A value of the right shape that a service could accept. */
  plausible(type: GraphQLInputType, depth = 0): unknown {
    if (isNonNullType(type)) return this.plausible(type.ofType, depth);
    if (isListType(type)) return [this.plausible(type.ofType, depth + 1)];
    if (isEnumType(type)) return type.getValues()[0].value;
    if (isInputObjectType(type)) {
      const out: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        if (isNonNullType(field.type) || (depth < 3 && this.random() < 0.5)) out[field.name] = this.plausible(field.type, depth + 1);
      }
      return out;
    }
    const name = getNamedType(type).name;
    return { ID: '1', Int: 1, Float: 1, String: '测试', Boolean: true, DateTimeISO: '2026-06-01T00:00:00Z', JSON: {} }[name] ?? '1';
  }

  /** A value that is wrong for the type: of another type, out of range, malformed, missing or too big. */
  bad(type: GraphQLInputType, depth = 0): unknown {
    const roll = this.random();
    if (roll < 0.08) return null;
    const inner = getNullableType<GraphQLInputType>(type);
    if (isListType(inner)) {
      if (roll < 0.2) return 'not a list';
      if (roll < 0.3) return Array.from({ length: 10_000 }, () => this.plausible(inner.ofType));
      return [this.bad(inner.ofType, depth + 1)];
    }
    if (isEnumType(inner)) return this.pick(['NOT_A_VALUE', '', inner.getValues()[0].value.toLowerCase(), 1]);
    if (isInputObjectType(inner)) {
      if (roll < 0.2) return this.pick([{}, { unknownField: 1 }, 'text', []]);
      // One field of a plausible object corrupted, possibly deep down.
      const value = this.plausible(inner, depth) as Record<string, unknown>;
      const field = this.pick(Object.values(inner.getFields()));
      value[field.name] = this.bad(field.type, depth + 1);
      return value;
    }
    const name = getNamedType(inner).name;
    return this.pick(BAD[name] ?? BAD.String);
  }
}

/** A GraphQL literal for any JSON value; what is not valid for the type is for the server to refuse. */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return 'null';
  const named = getNamedType(type);
  if (typeof value === 'string' && isEnumType(named) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
  if (Array.isArray(value)) {
    const inner = getNullableType(type);
    const of = isListType(inner) ? inner.ofType : inner;
    return `[${value.map((v) => literal(v, of)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const fields = isInputObjectType(named) ? named.getFields() : {};
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type ?? named)}`)
      .join(', ')}}`;
  }
  return typeof value === 'number' && !Number.isFinite(value) ? '0' : JSON.stringify(value);
}

interface Case {
  kind: 'query' | 'mutation' | 'subscription';
  field: string;
  query: string;
  variables: Record<string, unknown>;
  persona: string | null;
}

function selectionOf(field: GraphQLField<unknown, unknown>): string {
  return isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
}

function makeCase(g: Generator, kind: Case['kind'], field: GraphQLField<unknown, unknown>, persona: string | null): Case {
  const args: readonly GraphQLArgument[] = field.args;
  if (args.length === 0) {
    // Nothing to corrupt: an argument the field does not have.
    return { kind, field: field.name, query: `${kind} { ${field.name}(bogus: 1)${selectionOf(field)} }`, variables: {}, persona };
  }
  const corrupt = new Set([g.pick(args).name]);
  for (const a of args) if (g.random() < 0.2) corrupt.add(a.name);
  const values = new Map<string, unknown>();
  for (const a of args) {
    if (corrupt.has(a.name)) values.set(a.name, g.bad(a.type));
    else if (isNonNullType(a.type) || g.random() < 0.5) values.set(a.name, g.plausible(a.type));
  }
  const inline = g.random() < 0.25;
  const used = [...values.keys()];
  const typeOf = (name: string) => args.find((a) => a.name === name)!.type;
  const header = inline || used.length === 0 ? '' : `(${used.map((n) => `$${n}: ${String(typeOf(n))}`).join(', ')})`;
  const call = used.map((n) => `${n}: ${inline ? literal(values.get(n), typeOf(n)) : `$${n}`}`).join(', ');
  return {
    kind,
    field: field.name,
    query: `${kind}${header} { ${field.name}${call ? `(${call})` : ''}${selectionOf(field)} }`,
    variables: inline ? {} : Object.fromEntries(values),
    persona,
  };
}

/** A case as a failure report shows it (long values cut). */
function shown(c: Case) {
  return { field: c.field, persona: c.persona, query: c.query.slice(0, 300), variables: JSON.stringify(c.variables).slice(0, 300) };
}

let hub: TestHub;
let schema: GraphQLSchema;
beforeAll(async () => {
  hub = await TestHub.start();
  schema = await hubSchema();
});
afterAll(async () => hub?.close());

describe('fuzz: bad input across every operation', () => {
  it(`answers ${CASES.toLocaleString('en')} generated bad inputs without one INTERNAL error or 5xx`, async () => {
    const g = new Generator(rng(SEED));
    const personas = [null, 'commerce.staff', 'commerce.head', 'market.officer', 'market.witness', 'admin', 'security', 'auditor'];
    const fields = [
      ...Object.values(schema.getQueryType()!.getFields()).map((f) => ['query', f] as const),
      ...Object.values(schema.getMutationType()!.getFields())
        // Ending the fuzzer's own sessions would only turn the rest into UNAUTHENTICATED.
        .filter((f) => f.name !== 'logout')
        .map((f) => ['mutation', f] as const),
      ...Object.values(schema.getSubscriptionType()!.getFields()).map((f) => ['subscription', f] as const),
    ];
    const tokens = new Map<string, string | null>();
    const tokenOf = async (persona: string | null) => {
      if (persona === null) return null;
      if (!tokens.has(persona)) tokens.set(persona, (await hub.as(persona)).token);
      return tokens.get(persona)!;
    };

    const internal: { field: string; persona: string | null; query: string; variables: string; message: string }[] = [];
    const codes = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      const [kind, field] = fields[i % fields.length];
      const c = makeCase(g, kind, field, g.pick(personas));
      const token = await tokenOf(c.persona);
      let errors: { message: string; extensions?: { code?: string } }[] = [];
      if (c.kind === 'subscription') {
        // Anonymous sockets are refused at connect; a signed-in one gets the operation's own answer.
        if (!token) continue;
        errors = await subscribeOnce(hub, token, c.query, c.variables);
      } else {
        const res = await fetch(`${hub.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query: c.query, variables: c.variables }),
        });
        const body = (await res.json().catch(() => ({}))) as { errors?: typeof errors };
        if (res.status >= 500) internal.push({ ...shown(c), message: `HTTP ${res.status}` });
        errors = body.errors ?? [];
      }
      for (const e of errors) {
        const code = e.extensions?.code ?? 'NONE';
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code === 'INTERNAL_SERVER_ERROR' || code === 'NONE') {
          internal.push({ ...shown(c), message: e.message });
        }
      }
    }
    expect(internal).toEqual([]);
    // The inputs were bad: the server said so, with the codes the API documents.
    expect(codes.get('BAD_USER_INPUT')! + codes.get('GRAPHQL_VALIDATION_FAILED')!).toBeGreaterThan(CASES / 2);
  });
});

/**
 * One subscription over a fresh socket: its errors if refused. One that is accepted (a bad value
 * the server may legitimately take, such as an odd but valid search text) is closed once the
 * server has acknowledged it by answering a query on the same socket.
 */
async function subscribeOnce(
  hub: TestHub,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ message: string; extensions?: { code?: string } }[]> {
  const client = hub.wsClient(token);
  try {
    return await new Promise((resolve) => {
      let settled = false;
      const done = (errors: { message: string; extensions?: { code?: string } }[]) => {
        if (settled) return;
        settled = true;
        resolve(errors);
      };
      client.subscribe(
        { query, variables },
        {
          next: (value) => value.errors && done(value.errors as never),
          error: (error) =>
            done(
              Array.isArray(error)
                ? (error as never)
                : [{ message: String((error as Error).message ?? error), extensions: { code: 'CLOSED' } }],
            ),
          complete: () => done([]),
        },
      );
      // Operations on one socket are handled in order: once this query answers, the subscription above has started or failed.
      client.subscribe({ query: '{ me { id } }' }, { next: () => {}, error: () => done([]), complete: () => setImmediate(() => done([])) });
    });
  } finally {
    await client.dispose();
  }
}
