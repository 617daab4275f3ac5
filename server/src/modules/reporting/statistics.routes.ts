import type { Writable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import express from 'express';
import { BadInputError, DomainError, sendDomainError } from '../../core/errors.js';
import { parseIds } from '../../core/ids.js';
import type { Viewer } from '../../core/viewer.js';
import { logger } from '../../logger.js';
import { type AuditFields, inputDigest } from '../audit/audit.service.js';
import { RiskClass } from '../registry/registry.enums.js';
import { statistics } from './statistics.service.js';
import { writeStatisticsXlsx } from './statistics-export.js';
import { type StatisticsFilter, StatisticsGroup } from './statistics.types.js';
import { writeSummaryXlsx } from './summary-export.js';
import { prepareDrawList, prepareVisitExport, writeDrawListXlsx, writeVisitListXlsx } from './visit-list-export.js';
import { attachmentName, XLSX_TYPE } from './xlsx.js';

interface Dependencies {
  fork: () => EntityManager;
  /** The viewer of a request that a reporting token may make too. */
  authenticateReporting: (header: unknown) => Promise<Viewer>;
  /** The viewer of a request for staff only. */
  authenticate: (header: unknown) => Promise<Viewer>;
  recordAudit: (fields: Omit<AuditFields, 'at'>) => Promise<void>;
  /** Most rows a visits list may have (EXPORT_ROW_CAP). */
  exportRowCap: number;
}

/** What an export does once the request is checked: its file name, its row count if known, and how to write it. */
interface Prepared {
  fileName: string;
  rows?: number;
  write: (out: Writable) => Promise<void>;
}

const list = (raw: unknown): string[] => (typeof raw === 'string' && raw !== '' ? raw.split(',') : []);

function enumList<T extends string>(field: string, raw: unknown, values: readonly T[], what: string): T[] {
  const items = list(raw);
  const unknown = items.filter((v) => !values.includes(v as T));
  if (unknown.length) throw new BadInputError(field, `未知的${what}：${unknown.join('、')}`);
  return items as T[];
}

/** The statistics filter and grouping from a query string, named as in the GraphQL API. */
export function statisticsQuery(query: Record<string, unknown>): { filter: StatisticsFilter; groupBy: StatisticsGroup[] } {
  const ids = (field: string) => (list(query[field]).length ? parseIds(field, list(query[field])) : undefined);
  const month = (field: 'from' | 'to') => (typeof query[field] === 'string' && query[field] !== '' ? query[field] : undefined);
  return {
    filter: {
      year: Number(query.year),
      departmentIds: ids('departmentIds'),
      taskIds: ids('taskIds'),
      regionIds: ids('regionIds'),
      industryIds: ids('industryIds'),
      riskClasses: enumList('riskClasses', query.riskClasses, Object.values(RiskClass), '风险分类'),
      from: month('from'),
      to: month('to'),
    },
    groupBy: enumList('groupBy', query.groupBy, Object.values(StatisticsGroup), '分组'),
  };
}

/**
 * The reporting exports (XLSX, streamed): a statistics table, the year-end 汇总表, the visits list
 * and a draw's 抽查名单. Each is checked — viewer, scope, filter, size — before the first byte,
 * so a refusal is a clean JSON answer; each is audited, refusals included.
 */
export function statisticsRoutes(deps: Dependencies): express.Router {
  const router = express.Router();
  const route = (
    path: string,
    operation: string,
    reporting: boolean,
    prepare: (em: EntityManager, viewer: Viewer, req: express.Request) => Promise<Prepared>,
  ) =>
    router.get(path, async (req, res, next) => {
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
        viewer = await (reporting ? deps.authenticateReporting : deps.authenticate)(req.headers.authorization);
        const em = deps.fork();
        const prepared = await prepare(em, viewer, req);
        await audit(true, null);
        res.setHeader('Content-Type', XLSX_TYPE);
        res.setHeader('Content-Disposition', attachmentName(prepared.fileName));
        if (prepared.rows !== undefined) res.setHeader('X-Export-Rows', String(prepared.rows));
        await prepared.write(res);
      } catch (error) {
        if (error instanceof DomainError && !res.headersSent) {
          if (viewer) await audit(false, error.code).catch(() => undefined);
          return sendDomainError(res, error);
        }
        logger.error({ err: error, operation }, 'export failed');
        if (!res.headersSent) next(error);
        else res.destroy();
      }
    });

  route('/api/statistics.xlsx', 'exportStatistics', true, async (em, viewer, req) => {
    const { filter, groupBy } = statisticsQuery(req.query);
    const result = await statistics(em, viewer, filter, groupBy);
    return {
      fileName: `统计表-${filter.year}.xlsx`,
      rows: result.rows.length,
      write: (out) => writeStatisticsXlsx(result, `${filter.year} 年度“双随机、一公开”统计表`, out),
    };
  });

  route('/api/statistics/summary.xlsx', 'exportSummary', true, async (em, viewer, req) => {
    const year = Number(req.query.year);
    // Refusals (year, scope) come from the statistics it is built on, before anything is written.
    await statistics(em, viewer, { year }, []);
    return { fileName: `汇总表-${year}.xlsx`, write: (out) => writeSummaryXlsx(em, viewer, year, out) };
  });

  route('/api/inspections.xlsx', 'exportInspections', false, async (em, viewer, req) => {
    const { filter, rows } = await prepareVisitExport(em, viewer, req.query, deps.exportRowCap);
    return { fileName: `检查清单-${filter.year}.xlsx`, rows, write: (out) => writeVisitListXlsx(em, viewer, filter, out) };
  });

  route('/api/draws/:id/list.xlsx', 'exportDrawList', false, async (em, viewer, req) => {
    const draw = await prepareDrawList(em, viewer, String(req.params.id));
    return {
      fileName: `抽查名单-${draw.year}-${draw.id.slice(0, 8)}.xlsx`,
      rows: draw.visits ?? undefined,
      write: (out) => writeDrawListXlsx(em, draw, out),
    };
  });

  return router;
}
