import express from 'express';
import type { Orm } from '../../db/orm.js';
import { logger } from '../../logger.js';
import { BadInputError, DomainError, sendDomainError } from '../../core/errors.js';
import { parseId } from '../../core/ids.js';
import { CSV_BOM, csvLine } from '../../core/csv.js';
import { resultText } from '../inspections/finding.enums.js';
import type { PublicRecord } from './public-record.js';
import type { Publication } from './publication.entity.js';
import { currentVersions, type PublicFilter, searchPublicResults } from './public-search.service.js';

/** The most records one export answers; a larger set is narrowed first (by date, department or task). */
export const MAX_EXPORT = 20_000;

const HEADER = [
  '抽查计划编号',
  '抽查计划名称',
  '抽查任务编号',
  '抽查任务名称',
  '抽查类型',
  '抽查机关',
  '企业名称',
  '统一社会信用代码',
  '抽查完成日期',
  '检查事项',
  '检查结果',
  '公示日期',
  '是否更正',
  '更正日期',
  '更正理由',
];
const DRAW_TYPES: Record<string, string> = { DIRECTED: '定向', UNDIRECTED: '不定向' };

/** One line per item of a published record, as the 公示 lists print them. */
function recordLines(pub: Publication, record: PublicRecord): string[] {
  const tasks = record.tasks;
  const join = (pick: (t: PublicRecord['tasks'][number]) => string) => [...new Set(tasks.map(pick))].join('；');
  return record.items.map((item) =>
    csvLine([
      join((t) => t.planNo),
      join((t) => t.planName),
      join((t) => t.taskNo),
      join((t) => t.taskName),
      join((t) => (t.drawType ? DRAW_TYPES[t.drawType] : '')),
      item.department,
      record.enterpriseName,
      record.uscc,
      record.completedOn,
      item.item,
      resultText(item.results, item.problemKinds),
      pub.publishedOn,
      pub.currentVersion > 1 ? '是' : '否',
      pub.correctedOn ?? '',
      pub.correctionReason ?? '',
    ]),
  );
}

/**
 * GET /api/public-results.csv?enterprise=&departmentId=&taskId=&from=&to= — the published results
 * (current versions) as CSV for spreadsheets and other systems, no login, the same filters as
 * `publicResults`. UTF-8 with a byte-order mark so that Excel reads the Chinese.
 */
export function publicationRoutes(orm: Orm): express.Router {
  const router = express.Router();
  router.get('/api/public-results.csv', async (req, res, next) => {
    const em = orm.em.fork();
    const q = req.query as Record<string, unknown>;
    const text = (name: string) => (typeof q[name] === 'string' && q[name] ? q[name] : null);
    let filter: PublicFilter;
    try {
      filter = {
        enterprise: text('enterprise'),
        departmentId: text('departmentId') ? parseId('departmentId', text('departmentId')!) : null,
        taskId: text('taskId') ? parseId('taskId', text('taskId')!) : null,
        from: text('from'),
        to: text('to'),
      };
      const totalCount = await (await searchPublicResults(em, filter, { first: 1 })).totalCount;
      if (totalCount > MAX_EXPORT)
        throw new BadInputError(
          'from',
          `符合条件的结果有 ${totalCount} 条，一次最多导出 ${MAX_EXPORT} 条，请缩小日期范围或按部门、任务筛选`,
        );
    } catch (error) {
      return error instanceof DomainError ? sendDomainError(res, error) : next(error);
    }
    try {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('抽查结果公示.csv')}`);
      res.write(`${CSV_BOM}${csvLine(HEADER)}`);
      let after: string | null = null;
      do {
        const page = await searchPublicResults(em, filter, { first: 100, after });
        const current = await currentVersions(em, page.nodes);
        for (const pub of page.nodes) res.write(recordLines(pub, current.get(pub.id)!.record).join(''));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        em.clear(); // page by page: memory stays flat however long the export
      } while (after);
      res.end();
    } catch (err) {
      // The header is out: the client can only learn of the failure by the connection breaking.
      logger.error({ err }, 'public results export failed');
      res.destroy();
    }
  });
  return router;
}
