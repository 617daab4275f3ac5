import express from 'express';
import { BadInputError } from '../../core/errors.js';
import { parseIds } from '../../core/ids.js';
import type { Viewer } from '../../core/viewer.js';
import { auditedDownload, type DownloadDependencies } from '../audit/audited-download.js';
import { RiskClass } from '../registry/registry.enums.js';
import { statistics } from './statistics.service.js';
import { writeStatisticsXlsx } from './statistics-export.js';
import { type StatisticsFilter, StatisticsGroup } from './statistics.types.js';
import { summaryOf, writeSummaryXlsx } from './summary-export.js';
import { prepareDrawList, prepareVisitExport, writeDrawListXlsx, writeVisitListXlsx } from './visit-list-export.js';

interface Dependencies extends DownloadDependencies {
  /** The viewer of a request that a reporting token may make too (`authenticate`: staff only). */
  authenticateReporting: (header: unknown) => Promise<Viewer>;
  /** Most rows a visits list may have (EXPORT_ROW_CAP). */
  exportRowCap: number;
}

const list = (raw: unknown): string[] => (typeof raw === 'string' && raw !== '' ? raw.split(',') : []);

function enumList<T extends string>(field: string, raw: unknown, values: readonly T[], what: string): T[] {
  const items = list(raw);
  const unknown = items.filter((v) => !values.includes(v as T));
  if (unknown.length) throw new BadInputError(field, `未知的${what}：${unknown.join('、')}`);
  return items as T[];
}

/** Comma-separated ids of a query string, checked by name; undefined when absent. */
const idList = (query: Record<string, unknown>, field: string) =>
  list(query[field]).length ? parseIds(field, list(query[field])) : undefined;

/** The statistics filter and grouping from a query string, named as in the GraphQL API. */
export function statisticsQuery(query: Record<string, unknown>): { filter: StatisticsFilter; groupBy: StatisticsGroup[] } {
  const ids = (field: string) => idList(query, field);
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
  const staff = deps;
  const reporting = { ...deps, authenticate: deps.authenticateReporting };

  router.get(
    '/api/statistics.xlsx',
    auditedDownload(reporting, 'exportStatistics', async (em, viewer, req) => {
      const { filter, groupBy } = statisticsQuery(req.query);
      const result = await statistics(em, viewer, filter, groupBy);
      return {
        fileName: `统计表-${filter.year}.xlsx`,
        headers: { 'X-Export-Rows': String(result.rows.length) },
        write: (out) => writeStatisticsXlsx(result, `${filter.year} 年度“双随机、一公开”统计表`, out),
      };
    }),
  );

  router.get(
    '/api/statistics/summary.xlsx',
    auditedDownload(reporting, 'exportSummary', async (em, viewer, req) => {
      const year = Number(req.query.year);
      // Read (and refused: year, scope) before anything is written.
      const summary = await summaryOf(em, viewer, year);
      return { fileName: `汇总表-${year}.xlsx`, write: (out) => writeSummaryXlsx(summary, out) };
    }),
  );

  router.get(
    '/api/inspections.xlsx',
    auditedDownload(staff, 'exportInspections', async (em, viewer, req) => {
      const { filter, rows } = await prepareVisitExport(
        em,
        viewer,
        { year: Number(req.query.year), taskIds: idList(req.query, 'taskIds') ?? [] },
        deps.exportRowCap,
      );
      return {
        fileName: `检查清单-${filter.year}.xlsx`,
        headers: { 'X-Export-Rows': String(rows) },
        write: (out) => writeVisitListXlsx(em, viewer, filter, out),
      };
    }),
  );

  router.get(
    '/api/draws/:id/list.xlsx',
    auditedDownload(staff, 'exportDrawList', async (em, viewer, req) => {
      const draw = await prepareDrawList(em, viewer, String(req.params.id));
      return {
        fileName: `抽查名单-${draw.year}-${draw.id.slice(0, 8)}.xlsx`,
        headers: { 'X-Export-Rows': String(draw.visits) },
        write: (out) => writeDrawListXlsx(em, draw, out),
      };
    }),
  );

  return router;
}
