import type { Writable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import type express from 'express';
import { DomainError, sendDomainError } from '../../core/errors.js';
import type { Viewer } from '../../core/viewer.js';
import { logger } from '../../logger.js';
import { type AuditFields, inputDigest } from './audit.service.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What a download writes once the request is checked: its name, extra headers, and the body. */
export interface Download {
  fileName: string;
  contentType?: string;
  headers?: Record<string, string>;
  write: (out: Writable) => Promise<void>;
}

export interface DownloadDependencies {
  fork: () => EntityManager;
  authenticate: (header: unknown) => Promise<Viewer>;
  recordAudit: (fields: Omit<AuditFields, 'at'>) => Promise<void>;
}

/**
 * A GET that hands out a file (an export), audited as `operation` with the request's parameters
 * as its target. Everything that can refuse — viewer, scope, input, size — runs in `prepare`,
 * before the first byte, so a refusal is a clean JSON answer and is audited too.
 */
export function auditedDownload(
  deps: DownloadDependencies,
  operation: string,
  prepare: (em: EntityManager, viewer: Viewer, req: express.Request) => Promise<Download>,
): express.RequestHandler {
  return async (req, res, next) => {
    let viewer: Viewer | null = null;
    const args = { ...req.params, ...(req.query as Record<string, unknown>) };
    const audit = (success: boolean, errorCode: string | null) =>
      deps.recordAudit({
        actorId: viewer!.userId,
        departmentId: viewer!.departmentId,
        operation,
        target: new URLSearchParams(args as Record<string, string>).toString().slice(0, 255),
        success,
        errorCode,
        inputDigest: inputDigest(args),
      });
    try {
      viewer = await deps.authenticate(req.headers.authorization);
      const download = await prepare(deps.fork(), viewer, req);
      await audit(true, null);
      res.setHeader('Content-Type', download.contentType ?? XLSX_TYPE);
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(download.fileName)}`);
      for (const [name, value] of Object.entries(download.headers ?? {})) res.setHeader(name, value);
      await download.write(res);
    } catch (error) {
      if (!res.headersSent) {
        if (viewer) await audit(false, error instanceof DomainError ? error.code : 'INTERNAL_SERVER_ERROR').catch(() => undefined);
        if (error instanceof DomainError) return sendDomainError(res, error);
      }
      logger.error({ err: error, operation }, 'download failed');
      if (!res.headersSent) next(error);
      else res.destroy();
    }
  };
}
