import type { EntityManager } from '@mikro-orm/postgresql';
import express from 'express';
import { BadInputError, DomainError, sendDomainError } from '../../core/errors.js';
import { parseId } from '../../core/ids.js';
import type { Viewer } from '../../core/viewer.js';
import { logger } from '../../logger.js';
import { type AuditFields, inputDigest } from '../audit/audit.service.js';
import type { Attachment } from './attachment.entity.js';
import { addAttachment, type DeviceExif, readAttachment } from './attachment.service.js';
import { type BlobStore, sha256Of } from './blob-store.js';
import { MAX_EVIDENCE_BYTES } from './evidence-file.js';

interface Dependencies {
  fork: () => EntityManager;
  store: BlobStore;
  auditKey: Buffer;
  authenticate: (header: unknown) => Promise<Viewer>;
  recordAudit: (fields: Omit<AuditFields, 'at'>) => Promise<void>;
}

/** What the upload answers: the row as the client lists it. */
export function attachmentJson(a: Attachment) {
  return {
    id: String(a.id),
    sha256: a.sha256,
    fileName: a.fileName,
    mediaType: a.mediaType,
    size: a.size,
    takenAt: a.takenAt?.toISOString() ?? null,
    latitude: a.latitude ?? null,
    longitude: a.longitude ?? null,
    reason: a.reason ?? null,
    findingId: a.finding ? String(a.finding.id) : null,
  };
}

/** The body, up to the limit: a larger one is refused without reading it all. */
async function readBody(req: express.Request, fileName: string): Promise<Buffer> {
  const tooLarge = () => new BadInputError('file', `「${fileName}」文件超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`, { fileName });
  if (Number(req.headers['content-length'] ?? 0) > MAX_EVIDENCE_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_EVIDENCE_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Optional headers in which the phone passes on what a photo's EXIF said before it was resized. */
function deviceExif(req: express.Request): DeviceExif | undefined {
  const header = (name: string) => (typeof req.headers[name] === 'string' ? req.headers[name] : undefined);
  const number = (name: string, limit: number) => {
    const value = Number(header(name));
    return header(name) !== undefined && Number.isFinite(value) && Math.abs(value) <= limit ? value : null;
  };
  const taken = header('x-taken-at') ? new Date(header('x-taken-at')!) : null;
  const device = {
    takenAt: taken && !isNaN(taken.getTime()) ? taken : null,
    latitude: number('x-latitude', 90),
    longitude: number('x-longitude', 180),
  };
  return device.takenAt || device.latitude !== null ? device : undefined;
}

/**
 * Evidence over plain HTTP, like imports (no multipart, no CSRF gap: the token is a header):
 *   POST /api/inspections/:id/attachments?findingId=&reason=  body: the file; X-File-Name (URI-encoded)
 *   GET  /api/attachments/:id            the file, checked against its hash as it is read
 *   GET  /api/attachments/:id/thumbnail  a 320-px WebP (images only)
 * The same authentication and scope as the GraphQL API; a referral's receiving department reads.
 */
export function attachmentRoutes(deps: Dependencies): express.Router {
  const router = express.Router();

  router.post('/api/inspections/:id/attachments', async (req, res, next) => {
    let viewer: Viewer | null = null;
    const audit = (success: boolean, errorCode: string | null, target: string) =>
      deps.recordAudit({
        actorId: viewer!.userId,
        departmentId: viewer!.departmentId,
        operation: 'addAttachment',
        target,
        success,
        errorCode,
        inputDigest: inputDigest({ inspectionId: req.params.id, query: req.query }),
      });
    try {
      viewer = await deps.authenticate(req.headers.authorization);
      const inspectionId = parseId('inspectionId', req.params.id);
      let fileName: string;
      try {
        fileName = decodeURIComponent(String(req.headers['x-file-name'] ?? '')).trim();
      } catch {
        throw new BadInputError('fileName', '文件名（X-File-Name）应为 URI 编码');
      }
      if (!fileName) throw new BadInputError('fileName', '缺少文件名（X-File-Name）');
      const findingId = typeof req.query.findingId === 'string' && req.query.findingId ? parseId('findingId', req.query.findingId) : null;
      const reason = typeof req.query.reason === 'string' ? req.query.reason : null;
      const data = await readBody(req, fileName);
      const attachment = await addAttachment(deps.fork(), viewer, deps.store, deps.auditKey, {
        inspectionId,
        findingId,
        fileName,
        reason,
        data,
        device: deviceExif(req),
      });
      res.status(201).json({ attachment: attachmentJson(attachment) });
    } catch (error) {
      if (!(error instanceof DomainError)) return next(error);
      if (viewer) await audit(false, error.code, `inspectionId=${req.params.id}`.slice(0, 255)).catch(() => undefined);
      // The rest of a refused body is not read; the connection closes after the answer.
      res.setHeader('Connection', 'close');
      sendDomainError(res, error);
    }
  });

  const download = (thumbnail: boolean) => async (req: express.Request, res: express.Response, next: express.NextFunction) => {
    try {
      const viewer = await deps.authenticate(req.headers.authorization);
      const attachment = await readAttachment(deps.fork(), viewer, parseId('id', String(req.params.id)));
      const sha256 = thumbnail ? attachment.thumbnailSha256 : attachment.sha256;
      if (!sha256) throw new BadInputError('id', '该证据没有缩略图（PDF 或 HEIC），请下载原文件');
      const data = await deps.store.get(sha256);
      if (sha256Of(data) !== sha256) {
        logger.error({ attachmentId: attachment.id, sha256 }, 'stored evidence does not match its hash');
        res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: '证据文件与记录的哈希不符，请联系管理员核查存储' } });
        return;
      }
      res.setHeader('Content-Type', thumbnail ? 'image/webp' : attachment.mediaType);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      // A PDF opened from here cannot run script against the hub's origin.
      res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'");
      res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
      res.setHeader('ETag', `"${sha256}"`);
      res.setHeader('X-Content-SHA256', sha256);
      if (!thumbnail) res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`);
      res.end(data);
    } catch (error) {
      if (error instanceof DomainError) return sendDomainError(res, error);
      next(error);
    }
  };
  router.get('/api/attachments/:id', download(false));
  router.get('/api/attachments/:id/thumbnail', download(true));
  return router;
}
