import express from 'express';
import { auditedDownload, type DownloadDependencies } from '../audit/audited-download.js';
import { enterpriseArchive } from './archive.service.js';
import { writeArchiveXlsx } from './archive-export.js';

/** GET /api/enterprises/:uscc/archive.xlsx — the credit archive as the viewer may read it; every export audited. */
export function archiveRoutes(deps: DownloadDependencies): express.Router {
  const router = express.Router();
  router.get(
    '/api/enterprises/:uscc/archive.xlsx',
    auditedDownload(deps, 'exportArchive', async (em, viewer, req) => {
      // Read (and refused) before the first byte goes out, so a refusal is still a clean JSON answer.
      const archive = await enterpriseArchive(em, viewer, String(req.params.uscc));
      return { fileName: `企业信用档案-${archive.enterprise.name}.xlsx`, write: (out) => writeArchiveXlsx(em, archive, out) };
    }),
  );
  return router;
}
