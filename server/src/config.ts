import path from 'node:path';
import type { S3Settings } from './modules/attachments/blob-store.js';

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
  /** The hub's address as staff reach it: the QR code on a printed record links there. */
  publicUrl: string;
  /** Most rows one list export writes (EXPORT_ROW_CAP); beyond it the caller is told how to narrow. */
  exportRowCap: number;
  /** Where evidence files are kept: DATA_DIR/blobs, or an S3-compatible bucket shared by several instances. */
  blobStore: { kind: 'file'; dir: string } | ({ kind: 's3' } & S3Settings);
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
    exportRowCap: intFromEnv('EXPORT_ROW_CAP', 200_000, env),
    publicUrl: (env.PUBLIC_URL || `http://localhost:${intFromEnv('PORT', 4000, env)}`).replace(/\/+$/, ''),
    blobStore: blobStoreConfig(env, path.resolve(env.DATA_DIR || path.join(root, '.data'))),
  };
}

/** BLOB_STORE=file (default, DATA_DIR/blobs) or s3 with S3_BUCKET, S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY. */
function blobStoreConfig(env: NodeJS.ProcessEnv, dataDir: string): HubConfig['blobStore'] {
  const kind = env.BLOB_STORE || 'file';
  if (kind === 'file') return { kind, dir: path.resolve(env.BLOB_DIR || path.join(dataDir, 'blobs')) };
  if (kind !== 's3') throw new Error(`环境变量 BLOB_STORE 应为 file 或 s3，当前值为 "${kind}"`);
  if (!env.S3_BUCKET) throw new Error('BLOB_STORE=s3 时须设置 S3_BUCKET（以及 S3_ENDPOINT、S3_ACCESS_KEY_ID、S3_SECRET_ACCESS_KEY）');
  return {
    kind,
    bucket: env.S3_BUCKET,
    endpoint: env.S3_ENDPOINT || undefined,
    region: env.S3_REGION || 'us-east-1',
    accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
    // Self-hosted stores (MinIO and the like) answer on path-style URLs.
    forcePathStyle: env.S3_FORCE_PATH_STYLE ? env.S3_FORCE_PATH_STYLE !== 'false' : Boolean(env.S3_ENDPOINT),
  };
}
