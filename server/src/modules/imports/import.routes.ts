import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import crypto from 'node:crypto';
import express from 'express';
import type { Viewer } from '../../core/viewer.js';
import { DomainError, sendDomainError } from '../../core/errors.js';
import { type AuditFields, inputDigest } from '../audit/audit.service.js';
import { ImportKind } from './import-job.entity.js';
import type { ImportJobs } from './import-job.service.js';
import { ImportMode } from './import-report.js';

/** Largest file accepted: a province's registry as CSV stays well below. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
/** Uploads wait here, named <job id><ext>, until their job ends (then they are deleted). */
export const UPLOAD_DIR = path.join(os.tmpdir(), 'inspection-hub-uploads');
const EXTENSIONS: Record<ImportKind, string[]> = {
  ENTERPRISE: ['.csv', '.xlsx'],
  OFFICER: ['.csv', '.xlsx'],
  PLAN: ['.txt', '.md', '.xlsx', '.csv'],
};

/**
 * POST /api/imports?kind=ENTERPRISE|OFFICER|PLAN&mode=INSERT|UPSERT&allowPartial=true
 * Body: the file itself; header X-File-Name (URI-encoded). Answers 202 with the job id at once;
 * the job's progress arrives over the `importProgress` subscription and its report on `importJob`.
 * Files go over plain HTTP rather than GraphQL multipart: simpler, streamable, and no CSRF gap.
 */
export function importRoutes(
  jobs: ImportJobs,
  authenticate: (header: unknown) => Promise<Viewer>,
  recordAudit: (fields: Omit<AuditFields, 'at'>) => Promise<void>,
): express.Router {
  const router = express.Router();
  router.post('/api/imports', async (req, res) => {
    let viewer: Viewer;
    try {
      viewer = await authenticate(req.headers.authorization);
    } catch (error) {
      return sendDomainError(res, error as DomainError);
    }
    const query = (name: string, fallback: string) => (typeof req.query[name] === 'string' ? req.query[name] : fallback);
    const kind = query('kind', '') as ImportKind;
    const mode = query('mode', 'INSERT').toUpperCase() as ImportMode;
    let fileName: string;
    try {
      fileName = decodeURIComponent(String(req.headers['x-file-name'] ?? ''));
    } catch {
      return sendDomainError(res, badInput('file', '文件名（X-File-Name）应为 URI 编码'));
    }
    const ext = path.extname(fileName).toLowerCase();
    if (!Object.values(ImportKind).includes(kind)) return sendDomainError(res, badInput('kind', '应为 ENTERPRISE、OFFICER 或 PLAN'));
    if (!Object.values(ImportMode).includes(mode)) return sendDomainError(res, badInput('mode', '应为 INSERT 或 UPSERT'));
    if (!fileName) return sendDomainError(res, badInput('file', '缺少文件名（X-File-Name）'));
    if (!EXTENSIONS[kind].includes(ext)) return sendDomainError(res, badInput('file', `文件类型应为 ${EXTENSIONS[kind].join('、')}`));
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_UPLOAD_BYTES) return sendDomainError(res, badInput('file', `文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`));

    await fsp.mkdir(UPLOAD_DIR, { recursive: true });
    const id = crypto.randomUUID();
    const file = path.join(UPLOAD_DIR, `${id}${ext}`);
    let size = 0;
    try {
      const out = fs.createWriteStream(file);
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_UPLOAD_BYTES) req.destroy(new Error('too large'));
      });
      await pipeline(req, out);
    } catch {
      await fsp.rm(file, { force: true });
      return sendDomainError(
        res,
        badInput('file', size > MAX_UPLOAD_BYTES ? `文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB` : '上传中断，请重试'),
      );
    }
    if (size === 0) {
      await fsp.rm(file, { force: true });
      return sendDomainError(res, badInput('file', '文件为空'));
    }
    const audit = (success: boolean, errorCode: string | null) =>
      recordAudit({
        actorId: viewer.userId,
        departmentId: viewer.departmentId,
        operation: 'uploadImport',
        target: `kind=${kind}`,
        success,
        errorCode,
        inputDigest: inputDigest({ kind, mode, fileName, size }),
      });
    try {
      const job = await jobs.start(viewer, { id, kind, mode, allowPartial: req.query.allowPartial === 'true', fileName, path: file, size });
      await audit(true, null);
      res.status(202).json({ job: { id: job.id, kind: job.kind, status: job.status, fileName: job.fileName } });
    } catch (error) {
      await audit(false, error instanceof DomainError ? error.code : 'INTERNAL_SERVER_ERROR');
      if (error instanceof DomainError) return sendDomainError(res, error);
      throw error;
    }
  });
  return router;
}

function badInput(field: string, reason: string): DomainError {
  return new DomainError('BAD_USER_INPUT', reason, { field, reason });
}
