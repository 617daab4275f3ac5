import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { GraphQLFormattedError } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import pg from 'pg';
import { inject } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../server/src/config.js';
import { ensureDatabase } from '../../server/src/db/database.js';
import { openOrm, type Orm } from '../../server/src/db/orm.js';
import { type Hub, startHub } from '../../server/src/graphql/server.js';

export const DEMO_PASSWORD = 'demo2026';
/** The audit key of every hub under test (and of the CLI the tests run). */
export const TEST_AUDIT_KEY = 'test-audit-key-0123456789abcdefghijklmnopqrstuvwxyz';

/** Evidence files of every hub under test (content-addressed, so test files can share it). */
export const TEST_BLOB_DIR = path.join(os.tmpdir(), 'hub-test-blobs');

/** A hub's configuration for tests: any free port, no client, quiet, the test audit key; `env` adds settings. */
function testConfig(clientDir = '/nonexistent', env: Record<string, string> = {}) {
  return { ...loadConfig({ LOG_LEVEL: 'silent', AUDIT_KEY: TEST_AUDIT_KEY, BLOB_DIR: TEST_BLOB_DIR, ...env }), port: 0, clientDir };
}

export interface GqlResult<T = Record<string, any>> {
  data?: T | null;
  errors?: GraphQLFormattedError[];
}

export interface Session {
  token: string | null;
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  /** Runs the query and returns data, failing the test on any error. */
  ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** A database cloned from the seeded template: every test file gets its own. `url` is the superuser's, `appUrl` the hub's role's. */
export async function cloneTemplate(): Promise<{ url: string; appUrl: string; name: string }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  await ensureDatabase(adminUrl, name, inject('templateDb'));
  const onDb = (base: string) => Object.assign(new URL(base), { pathname: `/${name}` }).toString();
  return { url: onDb(adminUrl), appUrl: onDb(inject('pgAppUrl')), name };
}

/** A superuser connection to a test database, for setting up what the API cannot (and for checks). */
export async function superuser(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

export interface Visit {
  id: string;
  items: { id: string; code: string; department: { code: string } }[];
}

export class TestHub {
  private sessions = new Map<string, Session>();
  private clients: Client[] = [];

  private constructor(
    readonly hub: Hub,
    readonly orm: Orm,
    /** The superuser's URL, for the tests' own set-up and checks. */
    readonly databaseUrl: string,
    /** The hub's own role's URL (hub_app): what the server under test connects as. */
    readonly appUrl: string,
  ) {}

  static async start(options: { clientDir?: string; env?: Record<string, string> } = {}): Promise<TestHub> {
    const { url, appUrl } = await cloneTemplate();
    const orm = await openOrm(appUrl, 8);
    const hub = await startHub(orm, testConfig(options.clientDir, options.env), appUrl);
    return new TestHub(hub, orm, url, appUrl);
  }

  /** A hub on a database of the caller's (its own cluster, say): `ownerUrl` for checks, `appUrl` for the hub. */
  static async startOn(ownerUrl: string, appUrl: string): Promise<TestHub> {
    const orm = await openOrm(appUrl, 8);
    return new TestHub(await startHub(orm, testConfig(), appUrl), orm, ownerUrl, appUrl);
  }

  /** A second instance on the same database (as a load balancer would run several). */
  static async attach(first: TestHub, env?: Record<string, string>): Promise<TestHub> {
    const orm = await openOrm(first.appUrl, 4);
    return new TestHub(await startHub(orm, testConfig(undefined, env), first.appUrl), orm, first.databaseUrl, first.appUrl);
  }

  get url(): string {
    return this.hub.url;
  }

  session(token: string | null): Session {
    const url = `${this.hub.url}/graphql`;
    const query = async <T>(q: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: q, variables }),
      });
      return (await res.json()) as GqlResult<T>;
    };
    return {
      token,
      query,
      ok: async <T>(q: string, variables?: Record<string, unknown>) => {
        const result = await query<T>(q, variables);
        if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
        return result.data as T;
      },
    };
  }

  get anonymous(): Session {
    return this.session(null);
  }

  /** Signed in as a demo account (username like "commerce.staff"). */
  /** Puts a seeded plan back to 草稿 (tasks are edited only in a draft) or approves it again. */
  async setPlanStatus(planId: number, status: 'DRAFT' | 'APPROVED'): Promise<void> {
    const db = await superuser(this.databaseUrl);
    await db.query("update plan set status = $2, approved_at = case when $2 = 'APPROVED' then now() end where id = $1", [planId, status]);
    await db.end();
  }

  /** Uploads a file as an import job and waits until the job has ended; returns the job. */
  async importFile(
    token: string,
    kind: string,
    mode: string,
    fileName: string,
    content: string | Buffer,
  ): Promise<{ id: string; status: string }> {
    const res = await fetch(`${this.url}/api/imports?kind=${kind}&mode=${mode}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'x-file-name': encodeURIComponent(fileName),
        'content-type': 'application/octet-stream',
      },
      body: typeof content === 'string' ? content : new Blob([new Uint8Array(content)]),
    });
    const { job } = (await res.json()) as { job: { id: string } };
    // The job's own progress stream says when it is done (it keeps the last update for late subscribers).
    const sub = new Subscription<{ importProgress: { phase: string } }>(
      this.wsClient(token),
      'subscription($id: ID!) { importProgress(jobId: $id) { phase } }',
      { id: job.id },
    );
    while ((await sub.next()).data?.importProgress.phase !== 'done');
    sub.close();
    const { importJob } = await this.session(token).ok<{ importJob: { id: string; status: string } }>(
      'query($id: ID!) { importJob(id: $id) { id status } }',
      { id: job.id },
    );
    return importJob;
  }

  async as(username: string): Promise<Session> {
    const cached = this.sessions.get(username);
    if (cached) return cached;
    const { login } = await this.anonymous.ok<{ login: { token: string } }>(
      'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      { u: username, p: DEMO_PASSWORD },
    );
    const session = this.session(login.token);
    this.sessions.set(username, session);
    return session;
  }

  /** The commerce bureau's witness adds a string to a draw (a reveal needs the plan's witnesses, one by default). */
  async witness(drawId: string, username = 'commerce.witness', value = `见证 ${drawId.slice(0, 8)}`): Promise<void> {
    await (
      await this.as(username)
    ).ok('mutation($id: ID!, $v: String!) { addDrawEntropy(drawId: $id, value: $v) { id } }', { id: drawId, v: value });
  }

  /** The visits of this hub's draw of task 2, and how many of them tests have taken. */
  private drawn: Visit[] | null = null;
  private taken = 0;

  /**
   * Visits of a revealed draw of task 2 (报废机动车; partners 市场监管 and 公安 bring their own
   * items) with the given demo officer accounts as their team, so tests can act as them. A task
   * is drawn once a year, so the draw is made on the first call and later calls take the next
   * visits of it. Returns those visits' ids and items. With `usernames` null the draw's own team stays.
   */
  async visitsWithTeam(usernames: string[] | null, count: number): Promise<Visit[]> {
    if (!this.drawn) {
      const staff = await this.as('commerce.staff');
      const { openDraw } = await staff.ok<{ openDraw: { id: string } }>('mutation { openDraw(taskIds: [2]) { id } }');
      await this.witness(openDraw.id);
      const { revealDraw } = await staff.ok<{ revealDraw: { inspections: Visit[] } }>(
        'mutation($id: ID!) { revealDraw(drawId: $id) { inspections { id items { id code department { code } } } } }',
        { id: openDraw.id },
      );
      this.drawn = revealDraw.inspections;
    }
    const visits = this.drawn.slice(this.taken, this.taken + count);
    this.taken += count;
    if (usernames === null) return visits;
    const db = await superuser(this.databaseUrl);
    const ids = visits.map((v) => v.id);
    await db.query('delete from inspection_officer where inspection_id = any($1)', [ids]);
    await db.query(
      'insert into inspection_officer (inspection_id, officer_id) select i, officer_id from unnest($1::int[]) i, app_user where username = any($2)',
      [ids, usernames],
    );
    await db.end();
    return visits;
  }

  /**
   * A visit drawn 市抽县查: task 1 becomes a city-draws-county-checks task scoped to 泽州县 and is
   * drawn, so 泽州县's bureaus go in place of the city departments; the first visit gets the demo
   * officers of those bureaus (zezhou-industry.officer, zezhou-market.officer) as its team.
   * Returns the visit with its items and the departments of the officers the draw chose.
   */
  async countyCheckedVisit(): Promise<Visit & { drawnDepartments: string[] }> {
    const db = await superuser(this.databaseUrl);
    await db.query(`update task set modes = '{CITY_DRAWS_COUNTY_CHECKS}' where id = 1`);
    await db.query(`delete from task_scope_region where task_id = 1`);
    await db.query(`insert into task_scope_region (task_id, region_id) select 1, id from region where code = '140525'`);
    const staff = await this.as('commerce.staff');
    const { openDraw } = await staff.ok<{ openDraw: { id: string } }>('mutation { openDraw(taskIds: [1]) { id } }');
    await this.witness(openDraw.id);
    const { revealDraw } = await staff.ok<{ revealDraw: { inspections: (Visit & { officers: { department: { code: string } }[] })[] } }>(
      'mutation($id: ID!) { revealDraw(drawId: $id) { inspections { id items { id code department { code } } officers { department { code } } } } }',
      { id: openDraw.id },
    );
    const [{ officers, ...visit }] = revealDraw.inspections;
    await db.query('delete from inspection_officer where inspection_id = $1', [visit.id]);
    await db.query(
      `insert into inspection_officer (inspection_id, officer_id) select $1, officer_id from app_user where username in ('zezhou-industry.officer', 'zezhou-market.officer')`,
      [visit.id],
    );
    await db.end();
    return { ...visit, drawnDepartments: officers.map((o) => o.department.code) };
  }

  async visitWithTeam(usernames: string[]): Promise<Visit> {
    return (await this.visitsWithTeam(usernames, 1))[0];
  }

  /**
   * Finalises visits through the real flow: each department's demo officer (on the team) records
   * “未发现问题” for its items, the lead officer submits, the lead head finalises.
   */
  async finalise(visits: Visit[]): Promise<void> {
    for (const visit of visits) {
      for (const item of visit.items) {
        await (
          await this.as(`${item.department.code}.officer`)
        ).ok(
          'mutation($i: ID!, $item: ID!) { recordFinding(inspectionId: $i, itemId: $item, input: { results: [NO_PROBLEM], followUp: NONE, method: ON_SITE }) { id } }',
          { i: visit.id, item: item.id },
        );
      }
      await this.finaliseSubmitted(visit.id, await this.submit(visit.id));
    }
  }

  /** The lead officer submits the visit (every item recorded); returns the visit's new version. */
  async submit(visitId: string): Promise<number> {
    const lead = await this.as('commerce.officer');
    const { inspection } = await lead.ok('query($id: ID!) { inspection(id: $id) { version } }', { id: visitId });
    const { submitInspection } = await lead.ok('mutation($id: ID!, $v: Int!) { submitInspection(id: $id, version: $v) { version } }', {
      id: visitId,
      v: inspection.version,
    });
    return submitInspection.version as number;
  }

  /** The lead head finalises a submitted visit at this version. */
  async finaliseSubmitted(visitId: string, version: number): Promise<void> {
    await (
      await this.as('commerce.head')
    ).ok('mutation($id: ID!, $v: Int!) { finaliseInspection(id: $id, version: $v) { status } }', { id: visitId, v: version });
  }

  /**
   * A WebSocket for this token with one open subscription; resolves `opened` once the server has
   * acknowledged it and `closed` with the close code the server ends it with.
   */
  async watchUntilClosed(token: string): Promise<{ closed: Promise<number> }> {
    let connected!: () => void;
    const open = new Promise<void>((resolve) => (connected = resolve));
    const closed = new Promise<number>((resolve) => {
      const client = this.wsClient(token, (code) => resolve(code), connected);
      new Subscription(client, 'subscription { events { seq } }');
    });
    await open;
    return { closed };
  }

  /** A graphql-ws client authenticated with the token (or none). */
  wsClient(token: string | null, onClosed?: (code: number, reason: string) => void, onConnected?: () => void): Client {
    const client = createClient({
      url: `${this.hub.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: true,
      on: {
        connected: () => onConnected?.(),
        closed: (event) => {
          const e = event as { code: number; reason: string };
          onClosed?.(e.code, e.reason);
        },
      },
    });
    this.clients.push(client);
    return client;
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map(async (c) => c.dispose()));
    await this.hub.close();
    await this.orm.close();
  }
}

/** Collects a subscription's results; `next()` waits for the next one. */
export class Subscription<T = any> {
  private buffer: GqlResult<T>[] = [];
  private waiting: ((r: GqlResult<T>) => void)[] = [];
  private failure: unknown = null;
  readonly done: Promise<void>;
  private dispose: () => void = () => {};

  constructor(client: Client, query: string, variables?: Record<string, unknown>) {
    this.done = new Promise((resolve) => {
      this.dispose = client.subscribe<T>(
        { query, variables },
        {
          next: (value) => {
            const waiter = this.waiting.shift();
            if (waiter) waiter(value as GqlResult<T>);
            else this.buffer.push(value as GqlResult<T>);
          },
          error: (error) => {
            this.failure = error;
            resolve();
          },
          complete: () => resolve(),
        },
      );
    });
  }

  next(): Promise<GqlResult<T>> {
    const ready = this.buffer.shift();
    if (ready) return Promise.resolve(ready);
    // graphql-ws hands over what closed the stream (errors, a close event): passed on as it came.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      void this.done.then(() => this.failure && reject(this.failure));
    });
  }

  async take(n: number): Promise<GqlResult<T>[]> {
    const out: GqlResult<T>[] = [];
    for (let i = 0; i < n; i++) out.push(await this.next());
    return out;
  }

  get error(): unknown {
    return this.failure;
  }

  close(): void {
    this.dispose();
  }
}

export function codes(result: GqlResult): (string | undefined)[] {
  return (result.errors ?? []).map((e) => e.extensions?.code as string | undefined);
}
