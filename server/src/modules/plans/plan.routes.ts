import express from 'express';
import type { Orm } from '../../db/orm.js';
import { DomainError, sendDomainError } from '../../core/errors.js';
import { parseId } from '../../core/ids.js';
import type { Viewer } from '../../core/viewer.js';
import { logger } from '../../logger.js';
import { type AuditFields, inputDigest } from '../audit/audit.service.js';
import { planSheet, writePlanXlsx } from './plan-export.js';

/**
 * GET /api/plans/:id/export.xlsx — the plan in the columns of the published tables (Bearer token;
 * the plan as the viewer may read it: a partner gets the joint tasks it is in). Recorded in the
 * audit log (exportPlan); import-plan reads the file back to the same tasks.
 */
export function planRoutes(
  orm: Orm,
  authenticate: (header: unknown) => Promise<Viewer>,
  audit: (fields: Omit<AuditFields, 'at'>) => Promise<void>,
) {
  const router = express.Router();
  router.get('/api/plans/:id/export.xlsx', async (req, res, next) => {
    const em = orm.em.fork();
    let viewer: Viewer | null = null;
    let sheet;
    try {
      viewer = await authenticate(req.headers.authorization);
      sheet = await planSheet(em, viewer, parseId('id', req.params.id));
    } catch (error) {
      if (viewer) {
        await audit({
          actorId: viewer.userId,
          departmentId: viewer.departmentId,
          operation: 'exportPlan',
          target: `id=${req.params.id}`.slice(0, 255),
          success: false,
          errorCode: error instanceof DomainError ? error.code : 'INTERNAL_SERVER_ERROR',
          inputDigest: inputDigest({ id: req.params.id }),
        });
      }
      if (error instanceof DomainError) return sendDomainError(res, error);
      return next(error);
    }
    try {
      await audit({
        actorId: viewer.userId,
        departmentId: viewer.departmentId,
        operation: 'exportPlan',
        target: `id=${req.params.id}`,
        success: true,
        errorCode: null,
        inputDigest: inputDigest({ id: req.params.id }),
      });
      res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(sheet.fileName)}`);
      await writePlanXlsx(sheet, res);
    } catch (err) {
      logger.error({ err }, 'plan export failed');
      if (!res.headersSent) next(err);
      else res.destroy();
    }
  });
  return router;
}
