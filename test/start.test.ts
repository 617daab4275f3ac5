import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { projectRoot } from '../server/src/config.js';
import { ensureDatabase } from '../server/src/db/database.js';
import { DatabaseStartError, isPortFree, startEmbeddedPostgres } from '../server/src/db/embedded.js';
import { superuser } from './support/hub.js';

const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

async function freePort(): Promise<number> {
  for (let port = 24000 + Math.floor(Math.random() * 4000); ; port++) if (await isPortFree(port)) return port;
}

/** Runs the real entry point (server/src/main.ts) until it serves /healthz, then stops it with SIGTERM. */
async function startAndStop(databaseUrl: string, env: Record<string, string> = {}): Promise<{ exitCode: number | null; log: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server/src/main.ts')], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), SEED_ENTERPRISES: '1500', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (;;) {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    if (health?.status === 200) break;
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGTERM');
  return { exitCode: await exited, log };
}

async function counts(url: string) {
  const db = await superuser(url);
  const tables = [
    'region',
    'department',
    'industry',
    'enterprise',
    'officer',
    'check_item',
    'plan',
    'task',
    'app_user',
    'draw',
    'inspection',
    'publication',
    'correction',
  ];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await db.query(`select count(*) from ${t}`)).rows[0].count);
  await db.end();
  return out;
}

// Each start seeds and serves a real process: generous bounds, so a loaded machine waits rather than fails.
describe('starting the hub', { timeout: 240_000 }, () => {
  it('migrates and seeds an empty database once; a restart duplicates nothing', async () => {
    const name = `start_${crypto.randomBytes(4).toString('hex')}`;
    await ensureDatabase(inject('pgAdminUrl'), name);
    const url = inject('pgAdminUrl').replace(/\/postgres$/, `/${name}`);

    // Enough firms that the demo draw of 报废机动车 (0.3 % of the synthetic registry) finds several.
    const first = await startAndStop(url, { SEED_ENTERPRISES: '10000' });
    expect(first.exitCode).toBe(0);
    expect(first.log).toContain('demo data seeded');
    expect(first.log).toContain('demo activity seeded');
    const afterFirst = await counts(url);
    expect(afterFirst).toMatchObject({ region: 8, department: 16, enterprise: 10000, check_item: 17, plan: 1, task: 4 });
    // The demo's witnessed draw, its visits, publications and an approved correction (how many
    // visits depends on how many scrapyards the registry has: two published at 20,000 firms).
    expect(afterFirst).toMatchObject({ draw: 1, correction: 1 });
    expect(afterFirst.publication).toBeGreaterThanOrEqual(1);
    expect(afterFirst.inspection).toBeGreaterThanOrEqual(afterFirst.publication);
    expect(afterFirst.app_user).toBeGreaterThan(40);
    // Every officer signs in as themself (user name = 执法证号), so an open visit's whole team can
    // record, and the README tour completes with demo logins alone.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows: withoutLogin } = await db.query(
      `select o.certificate_no from officer o where not exists (select 1 from app_user u where u.officer_id = o.id and 'OFFICER' = any(u.roles))`,
    );
    expect(withoutLogin).toEqual([]);
    const { rows: open } = await db.query(
      `select i.id, array_agg(u.username order by u.username) as logins, count(distinct o.department_id) as departments
         from inspection i join inspection_officer io on io.inspection_id = i.id join officer o on o.id = io.officer_id
         join app_user u on u.officer_id = o.id
        where i.status in ('ASSIGNED', 'IN_PROGRESS') group by i.id`,
    );
    await db.end();
    expect(open.length).toBeGreaterThan(0);
    expect(Number(open[0].departments)).toBeGreaterThanOrEqual(2);

    const second = await startAndStop(url, { SEED_ENTERPRISES: '10000' });
    expect(second.exitCode).toBe(0);
    expect(second.log).not.toContain('demo data seeded');
    expect(await counts(url)).toEqual(afterFirst);
  });

  it('starts with an empty database when SEED_DEMO=false', async () => {
    const name = `noseed_${crypto.randomBytes(4).toString('hex')}`;
    await ensureDatabase(inject('pgAdminUrl'), name);
    const url = inject('pgAdminUrl').replace(/\/postgres$/, `/${name}`);
    const run = await startAndStop(url, { SEED_DEMO: 'false' });
    expect(run.exitCode).toBe(0);
    expect((await counts(url)).department).toBe(0);
  });
});

describe('seeding again by hand', { timeout: 240_000 }, () => {
  it('creates only what is missing', async () => {
    const { seedDemo } = await import('../server/src/modules/demo/demo.seed.js');
    const { openOrm, migrate } = await import('../server/src/db/orm.js');
    const name = `reseed_${crypto.randomBytes(4).toString('hex')}`;
    await ensureDatabase(inject('pgAdminUrl'), name);
    const url = inject('pgAdminUrl').replace(/\/postgres$/, `/${name}`);
    const orm = await openOrm(url, 4);
    try {
      await migrate(orm);
      const first = await seedDemo(orm, { enterprises: 800 });
      expect(first).toMatchObject({ enterprises: 800, tasks: 4, checkItems: 17 });
      const second = await seedDemo(orm, { enterprises: 1000 });
      expect(second).toEqual({
        regions: 0,
        departments: 0,
        industries: 0,
        checkItems: 0,
        tasks: 0,
        officers: 0,
        enterprises: 200,
        users: 0,
      });
    } finally {
      await orm.close();
    }
  });
});

describe('a taken port', () => {
  async function occupy(): Promise<{ port: number; close: () => void }> {
    const port = await freePort();
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return { port, close: () => server.close() };
  }

  it('for the embedded database says which variable to set', async () => {
    const taken = await occupy();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-port-'));
    try {
      const error = await startEmbeddedPostgres(dir, taken.port).catch((e) => e);
      expect(error).toBeInstanceOf(DatabaseStartError);
      expect(error.message).toContain(`端口 ${taken.port} 已被占用`);
      expect(error.message).toContain('PG_PORT');
    } finally {
      taken.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('for HTTP stops the start with a message naming PORT', async () => {
    const taken = await occupy();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server/src/main.ts')], {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: 'postgres://unused@127.0.0.1:1/none', PORT: String(taken.port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const code = await new Promise((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(err).toContain(`端口 ${taken.port} 已被占用`);
      expect(err).toContain('PORT=');
    } finally {
      taken.close();
    }
  });
});

describe('after the hub is killed (probe finding 7)', { timeout: 240_000 }, () => {
  /** Starts the real entry point on the embedded database of `dataDir`; resolves once /healthz answers. */
  async function startEmbedded(dataDir: string, pgPort: number): Promise<{ child: ChildProcess; port: number; log: () => string }> {
    const port = await freePort();
    const { DATABASE_URL: _external, ...inherited } = process.env;
    const env = { ...inherited, DATA_DIR: dataDir, PG_PORT: String(pgPort), PORT: String(port), SEED_DEMO: 'false', LOG_LEVEL: 'info' };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server/src/main.ts')], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    for (;;) {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
      if (health?.status === 200) break;
      if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { child, port, log: () => log };
  }

  it('the next start takes over the embedded PostgreSQL the killed hub left running', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-killed-'));
    const pgPort = await freePort();
    try {
      const first = await startEmbedded(dataDir, pgPort);
      const killed = new Promise((resolve) => first.child.on('exit', resolve));
      first.child.kill('SIGKILL');
      await killed;
      // The cluster outlived its hub: the port is still taken.
      expect(await isPortFree(pgPort)).toBe(false);
      const second = await startEmbedded(dataDir, pgPort);
      expect(second.log()).toContain('shutting it down');
      const stopped = new Promise((resolve) => second.child.on('exit', resolve));
      second.child.kill('SIGTERM');
      expect(await stopped).toBe(0);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
