import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Queryable } from '../events/event.service.js';

export const GENESIS = '0'.repeat(64);
/** Entries younger than this cannot be purged (the database enforces it too). */
export const RETENTION_DAYS = 180;

export interface AuditFields {
  at: Date;
  actorId: number | null;
  departmentId: number | null;
  operation: string;
  target: string;
  success: boolean;
  errorCode: string | null;
  inputDigest: string;
}

/**
 * The hash of an entry: its fields and the previous entry's hash, in a fixed order, as an
 * HMAC-SHA-256 under the audit key (kept outside the database: see audit-key.ts). Entries written
 * before the key existed carry a plain SHA-256 (`keyed` false).
 */
export function entryHash(key: Buffer | null, prevHash: string, f: AuditFields): string {
  const line = [
    prevHash,
    f.at.toISOString(),
    f.actorId ?? '',
    f.departmentId ?? '',
    f.operation,
    f.target,
    f.success ? '1' : '0',
    f.errorCode ?? '',
    f.inputDigest,
  ].join('|');
  return (key ? crypto.createHmac('sha256', key) : crypto.createHash('sha256')).update(line).digest('hex');
}

/** SHA-256 of the operation's arguments, with secrets removed. */
export function inputDigest(args: unknown): string {
  const json = JSON.stringify(args, (key, value: unknown) => (/password|token|secret/i.test(key) ? '[已去除]' : value));
  return crypto
    .createHash('sha256')
    .update(json ?? '')
    .digest('hex');
}

/**
 * Appends one entry in the caller's transaction (the mutation's own, so the change and its entry
 * commit together, or neither). Appends are serialised by an advisory lock held to the commit, so
 * the chain has one order; the previous hash is read under that lock.
 */
export async function appendAudit(em: EntityManager, key: Buffer, fields: Omit<AuditFields, 'at'>): Promise<void> {
  const connection = em.getConnection();
  const ctx: unknown = em.getTransactionContext();
  if (!ctx) return em.transactional((tx) => appendAudit(tx, key, fields));
  await connection.execute(`select pg_advisory_xact_lock(hashtext('audit_log'))`, [], 'all', ctx);
  const [last] = await connection.execute<{ hash: string }[]>('select hash from audit_log order by id desc limit 1', [], 'all', ctx);
  const at = new Date(Math.floor(Date.now() / 1000) * 1000); // whole seconds: stable through every client's Date
  const prevHash = last?.hash ?? GENESIS;
  await connection.execute(
    `insert into audit_log (at, actor_id, department_id, operation, target, success, error_code, input_digest, prev_hash, hash, keyed)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true)`,
    [
      at.toISOString(),
      fields.actorId,
      fields.departmentId,
      fields.operation,
      fields.target,
      fields.success,
      fields.errorCode,
      fields.inputDigest,
      prevHash,
      entryHash(key, prevHash, { ...fields, at }),
    ],
    'run',
    ctx,
  );
}

interface Row {
  id: string;
  at: Date;
  actor_id: number | null;
  department_id: number | null;
  operation: string;
  target: string;
  success: boolean;
  error_code: string | null;
  input_digest: string;
  prev_hash: string;
  hash: string;
  keyed: boolean;
}

function fieldsOf(r: Row): AuditFields {
  return {
    at: new Date(r.at),
    actorId: r.actor_id,
    departmentId: r.department_id,
    operation: r.operation,
    target: r.target,
    success: r.success,
    errorCode: r.error_code,
    inputDigest: r.input_digest,
  };
}

export type AuditVerification = { ok: true; entries: number } | { ok: false; entryId: string; reason: string };

/** The newest entry: what a checkpoint pins. */
export interface AuditHead {
  entryId: string;
  hash: string;
  at: string;
}

/**
 * A checkpoint the AUDITOR exports and keeps outside the database: the chain's head then, signed
 * with the audit key. Later, `verify-audit --checkpoint` proves the entry is still there unchanged,
 * so even the database's owner cannot cut the tail of the log unnoticed.
 */
export interface AuditCheckpoint extends AuditHead {
  signature: string;
}

function checkpointSignature(key: Buffer, head: AuditHead): string {
  return crypto.createHmac('sha256', key).update(`checkpoint|${head.entryId}|${head.hash}|${head.at}`).digest('hex');
}

export function signCheckpoint(key: Buffer, head: AuditHead): AuditCheckpoint {
  return { ...head, signature: checkpointSignature(key, head) };
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Walks the chain in order: every entry's hash must match its fields under the audit key, and its
 * previous hash the entry before it. Plain SHA-256 entries (from before the key) may only precede
 * the keyed ones. The first entry left after a purge anchors the chain. Each checkpoint given must
 * carry a valid signature and name an entry still present with the same hash.
 */
export async function verifyAudit(db: Queryable, key: Buffer, checkpoints: AuditCheckpoint[] = []): Promise<AuditVerification> {
  for (const c of checkpoints) {
    if (!sameHex(checkpointSignature(key, c), String(c.signature))) {
      return { ok: false, entryId: String(c.entryId), reason: '校验点签名无效：不是用本系统的审计密钥导出的' };
    }
  }
  const pinned = new Map(checkpoints.map((c) => [String(c.entryId), c.hash]));
  let prev: string | null = null;
  let keyedSeen = false;
  let count = 0;
  let afterId = '0';
  for (;;) {
    const { rows } = await db.query<Row>('select * from audit_log where id > $1 order by id limit 5000', [afterId]);
    if (rows.length === 0) break;
    for (const r of rows) {
      if (prev !== null && r.prev_hash !== prev) {
        return {
          ok: false,
          entryId: r.id,
          reason: `上一条哈希不符：前一条已被删除或修改（记录为 ${r.prev_hash.slice(0, 12)}…，实际为 ${prev.slice(0, 12)}…）`,
        };
      }
      if (keyedSeen && !r.keyed) return { ok: false, entryId: r.id, reason: '本条未用审计密钥签名，却出现在已签名的条目之后：系伪造' };
      keyedSeen ||= r.keyed;
      const expected = entryHash(r.keyed ? key : null, r.prev_hash, fieldsOf(r));
      if (!sameHex(expected, r.hash)) {
        return { ok: false, entryId: r.id, reason: '本条内容与其哈希不符：该条已被修改，或不是由持有审计密钥的系统写入' };
      }
      const pin = pinned.get(r.id);
      if (pin !== undefined && pin !== r.hash) return { ok: false, entryId: r.id, reason: '与校验点记录的哈希不符：该条已被替换' };
      pinned.delete(r.id);
      prev = r.hash;
      count++;
      afterId = r.id;
    }
  }
  const [missing] = [...pinned.keys()];
  if (missing !== undefined) return { ok: false, entryId: missing, reason: '校验点记录的条目已不存在：日志被截短或删除' };
  return { ok: true, entries: count };
}

/** The chain's newest entry, for a checkpoint. */
export async function auditHead(db: Queryable): Promise<AuditHead | null> {
  const { rows } = await db.query<{ id: string; hash: string; at: Date }>(
    'select id::text, hash, at from audit_log order by id desc limit 1',
  );
  return rows[0] ? { entryId: rows[0].id, hash: rows[0].hash, at: new Date(rows[0].at).toISOString() } : null;
}

/**
 * At start: the newest keyed entry must verify under this key, or the hub would extend a chain
 * that verify-audit then reports broken (a lost or mistyped AUDIT_KEY, a second instance with
 * another key). Null when fine, else the reason.
 */
export async function keyMismatch(db: Queryable, key: Buffer): Promise<string | null> {
  const { rows } = await db.query<Row>('select * from audit_log where keyed order by id desc limit 1');
  const r = rows[0];
  if (!r) return null;
  return entryHash(key, r.prev_hash, fieldsOf(r)) === r.hash ? null : `审计日志第 ${r.id} 条不是用当前审计密钥签名的`;
}

/** Removes entries older than the cut-off; the database refuses any younger than the retention. */
export async function purgeAudit(db: Queryable, before: Date): Promise<number> {
  const limit = new Date(Date.now() - RETENTION_DAYS * 86_400_000);
  if (before > limit) throw new Error(`只能清理 ${RETENTION_DAYS} 天以前的审计日志（${limit.toISOString().slice(0, 10)} 之前）`);
  const { rows } = await db.query<{ n: string }>(
    `with purged as (delete from audit_log where at < $1 returning 1) select count(*) as n from purged`,
    [before.toISOString()],
  );
  return Number(rows[0].n);
}
