import path from 'node:path';

/** Runtime configuration, read once from the environment. The CLI and the server share it. */
export interface HubConfig {
  /** HTTP port for GraphQL, WebSocket, health and the client. */
  port: number;
  /** External PostgreSQL, connected as the hub's least-privileged role; when unset the embedded server is started. */
  databaseUrl?: string;
  /** The database owner's URL for migrations and grants (external PostgreSQL); unset: DATABASE_URL does both. */
  databaseOwnerUrl?: string;
  /** The key that signs the audit chain (≥ 32 characters); unset: DATA_DIR/audit.key, made on first start. */
  auditKey?: string;
  /** Where the embedded PostgreSQL keeps its data. */
  dataDir: string;
  /** Port of the embedded PostgreSQL. */
  pgPort: number;
  /** Seed demo data into an empty database on start. */
  seedDemo: boolean;
  /** Number of synthetic enterprises in the demo registry. */
  seedEnterprises: number;
  /** HS256 secret for access tokens; when unset one is generated and kept in the database. */
  tokenSecret?: string;
  /** Access-token lifetime in seconds. */
  tokenTtlSeconds: number;
  logLevel: string;
  /** Folder of the built client. */
  clientDir: string;
}

const root = path.resolve(import.meta.dirname, '..', '..');

export const projectRoot = root;

function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`环境变量 ${name} 应为非负整数，当前值为 "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  return {
    port: intFromEnv('PORT', 4000, env),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseOwnerUrl: env.DATABASE_OWNER_URL || undefined,
    auditKey: env.AUDIT_KEY || undefined,
    dataDir: path.resolve(env.DATA_DIR || path.join(root, '.data')),
    pgPort: intFromEnv('PG_PORT', 5433, env),
    seedDemo: env.SEED_DEMO !== 'false',
    seedEnterprises: intFromEnv('SEED_ENTERPRISES', 20_000, env),
    tokenSecret: env.TOKEN_SECRET || undefined,
    tokenTtlSeconds: intFromEnv('TOKEN_TTL_SECONDS', 2 * 60 * 60, env),
    logLevel: env.LOG_LEVEL || 'info',
    clientDir: path.resolve(env.CLIENT_DIR || path.join(root, 'client', 'dist')),
  };
}
