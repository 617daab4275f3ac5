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

/** The hash of an entry: its fields and the previous entry's hash, in a fixed order. */
export function entryHash(prevHash: string, f: AuditFields): string {
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
  return crypto.createHash('sha256').update(line).digest('hex');
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
 * Appends one entry in its own transaction. Appends are serialised by an advisory lock so the
 * chain has one order; the previous hash is read under that lock.
 */
export async function appendAudit(em: EntityManager, fields: Omit<AuditFields, 'at'>): Promise<void> {
  await em.transactional(async (tx) => {
    const connection = tx.getConnection();
    const ctx: unknown = tx.getTransactionContext();
    await connection.execute(`select pg_advisory_xact_lock(hashtext('audit_log'))`, [], 'all', ctx);
    const [last] = await connection.execute<{ hash: string }[]>('select hash from audit_log order by id desc limit 1', [], 'all', ctx);
    const at = new Date(Math.floor(Date.now() / 1000) * 1000); // whole seconds: stable through every client's Date
    const prevHash = last?.hash ?? GENESIS;
    const all = { ...fields, at };
    await connection.execute(
      `insert into audit_log (at, actor_id, department_id, operation, target, success, error_code, input_digest, prev_hash, hash)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        entryHash(prevHash, all),
      ],
      'run',
      ctx,
    );
  });
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
}

export type AuditVerification = { ok: true; entries: number } | { ok: false; entryId: string; reason: string };

/**
 * Walks the chain in order: every entry's hash must match its fields, and its previous hash the
 * entry before it. The first entry left after a purge anchors the chain.
 */
export async function verifyAudit(db: Queryable): Promise<AuditVerification> {
  let prev: string | null = null;
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
      const expected = entryHash(r.prev_hash, {
        at: new Date(r.at),
        actorId: r.actor_id,
        departmentId: r.department_id,
        operation: r.operation,
        target: r.target,
        success: r.success,
        errorCode: r.error_code,
        inputDigest: r.input_digest,
      });
      if (expected !== r.hash) return { ok: false, entryId: r.id, reason: '本条内容与其哈希不符：该条已被修改' };
      prev = r.hash;
      count++;
      afterId = r.id;
    }
  }
  return { ok: true, entries: count };
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
