import express from 'express';
import type { Orm } from '../../db/orm.js';
import { parseId } from '../../core/ids.js';
import type { Viewer } from '../../core/viewer.js';
import type { AuditFields } from '../audit/audit.service.js';
import { auditedDownload } from '../audit/audited-download.js';
import { planSheet, writePlanXlsx } from './plan-export.js';

/**
 * GET /api/plans/:id/export.xlsx — the plan in the columns of the published tables (Bearer token;
 * the plan as the viewer may read it: a partner gets the joint tasks it is in). Recorded in the
 * audit log (exportPlan); import-plan reads the file back to the same tasks.
 */
export function planRoutes(
  orm: Orm,
  authenticate: (header: unknown) => Promise<Viewer>,
  recordAudit: (fields: Omit<AuditFields, 'at'>) => Promise<void>,
) {
  const router = express.Router();
  router.get(
    '/api/plans/:id/export.xlsx',
    auditedDownload({ fork: () => orm.em.fork(), authenticate, recordAudit }, 'exportPlan', async (em, viewer, req) => {
      const sheet = await planSheet(em, viewer, parseId('id', String(req.params.id)));
      return { fileName: sheet.fileName, write: (out) => writePlanXlsx(sheet, out) };
    }),
  );
  return router;
}
