import type { EntityManager } from '@mikro-orm/postgresql';
import express from 'express';
import { DomainError, sendDomainError } from '../../core/errors.js';
import { parseId } from '../../core/ids.js';
import type { Viewer } from '../../core/viewer.js';
import { type AuditFields, inputDigest } from '../audit/audit.service.js';
import type { BlobStore } from '../attachments/blob-store.js';
import { recordPdf } from './record.service.js';

interface Dependencies {
  fork: () => EntityManager;
  store: BlobStore;
  publicUrl: string;
  authenticate: (header: unknown) => Promise<Viewer>;
  recordAudit: (fields: Omit<AuditFields, 'at'>) => Promise<void>;
}

/**
 * GET /api/inspections/:id/record.pdf — the 现场检查记录: the finalised one as kept (X-Record-Final:
 * true, its hash in X-Content-SHA256), or a draft of the current state. Same scope as reading the
 * visit; every print is audited.
 */
export function recordRoutes(deps: Dependencies): express.Router {
  const router = express.Router();
  router.get('/api/inspections/:id/record.pdf', async (req, res, next) => {
    let viewer: Viewer | null = null;
    const audit = (success: boolean, errorCode: string | null, target: string) =>
      deps.recordAudit({
        actorId: viewer!.userId,
        departmentId: viewer!.departmentId,
        operation: 'inspectionRecord',
        target: target.slice(0, 255),
        success,
        errorCode,
        inputDigest: inputDigest({ id: req.params.id }),
      });
    try {
      viewer = await deps.authenticate(req.headers.authorization);
      const id = parseId('id', req.params.id);
      const record = await recordPdf(deps.fork(), viewer, deps.store, id, `${deps.publicUrl}/inspections/${id}`);
      await audit(true, null, `inspectionId=${id} sha256=${record.sha256}`);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(record.fileName)}`);
      res.setHeader('X-Content-SHA256', record.sha256);
      res.setHeader('X-Record-Final', String(record.final));
      res.setHeader('Cache-Control', 'private, no-cache');
      res.end(record.pdf);
    } catch (error) {
      if (!(error instanceof DomainError)) return next(error);
      if (viewer) await audit(false, error.code, `inspectionId=${req.params.id}`).catch(() => undefined);
      sendDomainError(res, error);
    }
  });
  return router;
}
