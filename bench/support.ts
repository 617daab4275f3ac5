import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase } from '../server/src/db/database.js';
import { isPortFree, startEmbeddedPostgres } from '../server/src/db/embedded.js';

export interface BenchDatabase {
  /** The superuser's URL (owner of everything). */
  url: string;
  /** The same database as the hub's least-privileged role (hub_app); its grants come with the first migration run as owner. */
  appUrl: string;
  /** A scratch folder removed with the database. */
  dir: string;
  stop(): Promise<void>;
}

/**
 * A throw-away embedded PostgreSQL with the migrated schema and the demo organisations (regions,
 * departments, industries, the 2026 plan, officers, accounts) and `enterprises` synthetic firms. Seeded by the
 * CLI in a child process, so that its password hashing does not count in this process's memory.
 */
export async function benchDatabase(label: string, enterprises = 0): Promise<BenchDatabase> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `hub-bench-${label}-`));
  let port = 16500 + Math.floor(Math.random() * 500);
  while (!(await isPortFree(port))) port++;
  const cluster = await startEmbeddedPostgres(dir, port);
  await ensureDatabase(cluster.urlFor('postgres'), 'bench');
  const url = cluster.urlFor('bench');
  execFileSync(process.execPath, ['--import', 'tsx', 'server/src/cli/hub.ts', 'seed'], {
    env: { ...process.env, DATABASE_URL: url, SEED_ENTERPRISES: String(enterprises), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  return {
    url,
    appUrl: cluster.appUrlFor('bench'),
    dir,
    stop: async () => {
      await cluster.stop();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

export async function freePort(from: number): Promise<number> {
  for (let port = from; ; port++) if (await isPortFree(port)) return port;
}

/** Starts a server script as a process of its own (its own core time) and waits until a line of its output says it is ready. */
export async function serve(args: string[], env: Record<string, string>, ready: (line: string) => boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.split('\n').some(ready)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${args[0]} exited (${code}):\n${log}`)));
  });
  return child;
}

/** Stops servers started with serve() and waits for them to exit. */
export async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.on('exit', resolve)))));
}

/** Resident memory of a process, from /proc. */
export function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match![1]);
}

export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
