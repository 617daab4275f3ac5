import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase } from '../server/src/db/database.js';
import { isPortFree, startEmbeddedPostgres } from '../server/src/db/embedded.js';

export interface BenchDatabase {
  url: string;
  /** A scratch folder removed with the database. */
  dir: string;
  stop(): Promise<void>;
}

/**
 * A throw-away embedded PostgreSQL with the migrated schema and the demo organisations (regions,
 * departments, industries, the 2026 plan, officers, accounts) but no enterprises. Seeded by the
 * CLI in a child process, so that its password hashing does not count in this process's memory.
 */
export async function benchDatabase(label: string): Promise<BenchDatabase> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `hub-bench-${label}-`));
  let port = 16500 + Math.floor(Math.random() * 500);
  while (!(await isPortFree(port))) port++;
  const cluster = await startEmbeddedPostgres(dir, port);
  await ensureDatabase(cluster.urlFor('postgres'), 'bench');
  const url = cluster.urlFor('bench');
  execFileSync(process.execPath, ['--import', 'tsx', 'server/src/cli/hub.ts', 'seed'], {
    env: { ...process.env, DATABASE_URL: url, SEED_ENTERPRISES: '0', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  return {
    url,
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
