import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { HubConfig } from '../../config.js';

export const AUDIT_KEY_FILE = 'audit.key';

/**
 * The key that signs the audit chain. It lives outside the database (AUDIT_KEY, or a file under
 * DATA_DIR made on first use, readable by the hub's account only), so the hub's database role —
 * or anyone holding its credentials — can append entries but never forge one that verifies.
 * Several instances share one key: set the same AUDIT_KEY on each (docs/deploy.md).
 */
export async function loadAuditKey(config: Pick<HubConfig, 'auditKey' | 'dataDir'>): Promise<Buffer> {
  if (config.auditKey) {
    if (config.auditKey.length < 32) throw new Error('环境变量 AUDIT_KEY 至少应有 32 个字符');
    return Buffer.from(config.auditKey, 'utf8');
  }
  const file = path.join(config.dataDir, AUDIT_KEY_FILE);
  const existing = await fs.readFile(file, 'utf8').catch(() => null);
  if (existing?.trim()) return Buffer.from(existing.trim(), 'utf8');
  await fs.mkdir(config.dataDir, { recursive: true });
  const made = crypto.randomBytes(32).toString('base64url');
  // 'wx': two instances starting at once on one DATA_DIR keep the first one's key.
  await fs.writeFile(file, made, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'utf8');
}
