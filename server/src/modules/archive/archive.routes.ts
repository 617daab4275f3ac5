import type { EntityManager } from '@mikro-orm/postgresql';
import express from 'express';
import { DomainError, sendDomainError } from '../../core/errors.js';
import type { Viewer } from '../../core/viewer.js';
import { logger } from '../../logger.js';
import { type AuditFields, inputDigest } from '../audit/audit.service.js';
import { enterpriseArchive } from './archive.service.js';
import { writeArchiveXlsx } from './archive-export.js';

interface Dependencies {
  fork: () => EntityManager;
  authenticate: (header: unknown) => Promise<Viewer>;
  recordAudit: (fields: Omit<AuditFields, 'at'>) => Promise<void>;
}

/** GET /api/enterprises/:uscc/archive.xlsx — the credit archive as the viewer may read it; every export audited. */
export function archiveRoutes(deps: Dependencies): express.Router {
  const router = express.Router();
  router.get('/api/enterprises/:uscc/archive.xlsx', async (req, res, next) => {
    let viewer: Viewer | null = null;
    const audit = (success: boolean, errorCode: string | null) =>
      deps.recordAudit({
        actorId: viewer!.userId,
        departmentId: viewer!.departmentId,
        operation: 'exportArchive',
        target: `uscc=${req.params.uscc}`.slice(0, 255),
        success,
        errorCode,
        inputDigest: inputDigest({ uscc: req.params.uscc }),
      });
    try {
      viewer = await deps.authenticate(req.headers.authorization);
      // Read (and refused) before the first byte goes out, so a refusal is still a clean JSON answer.
      const em = deps.fork();
      const archive = await enterpriseArchive(em, viewer, req.params.uscc);
      const { enterprise } = archive;
      await audit(true, null);
      res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`企业信用档案-${enterprise.name}.xlsx`)}`);
      await writeArchiveXlsx(em, archive, res);
    } catch (error) {
      if (error instanceof DomainError && !res.headersSent) {
        if (viewer) await audit(false, error.code).catch(() => undefined);
        return sendDomainError(res, error);
      }
      logger.error({ err: error }, 'archive export failed');
      if (!res.headersSent) next(error);
      else res.destroy();
    }
  });
  return router;
}
