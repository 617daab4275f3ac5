import express from 'express';
import type { Orm } from '../../db/orm.js';
import { CSV_BOM, csvLine } from '../../core/csv.js';
import { BadInputError, DomainError, ForbiddenError, sendDomainError } from '../../core/errors.js';
import { parseId } from '../../core/ids.js';
import { Role } from '../../core/roles.js';
import { hasRole, type Viewer } from '../../core/viewer.js';
import { logger } from '../../logger.js';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { type AuditFilter, searchAudit } from './audit-search.js';
import { type AuditFields, inputDigest } from './audit.service.js';
import { operationName } from './operation-names.js';

const HEADER = ['序号', '时间', '账号', '姓名', '部门', '操作', '操作代码', '对象', '结果', '错误代码', '输入摘要', '本条哈希'];
const PAGE = 5_000;

/** The query string as an audit filter; a bad value is a BAD_USER_INPUT naming it. */
function filterOf(q: Record<string, unknown>): AuditFilter {
  const text = (name: string) => (typeof q[name] === 'string' && q[name] ? q[name] : null);
  const id = (name: string) => (text(name) ? parseId(name, text(name)!) : null);
  const success = text('success');
  if (success && success !== 'true' && success !== 'false') throw new BadInputError('success', '应为 true 或 false');
  return {
    actorId: id('actorId'),
    departmentId: id('departmentId'),
    operation: text('operation'),
    success: success === null ? null : success === 'true',
    from: text('from'),
    to: text('to'),
  };
}

/**
 * GET /api/audit.csv?actorId=&departmentId=&operation=&success=&from=&to= — the audit log under the
 * same filters as `auditLog`, for the 审计管理员 only (Bearer token), streamed page by page with
 * names in Chinese. The export itself is recorded in the log (exportAudit).
 */
export function auditRoutes(
  orm: Orm,
  authenticate: (header: unknown) => Promise<Viewer>,
  audit: (fields: Omit<AuditFields, 'at'>) => Promise<void>,
) {
  const router = express.Router();
  router.get('/api/audit.csv', async (req, res, next) => {
    let viewer: Viewer;
    let filter: AuditFilter;
    try {
      viewer = await authenticate(req.headers.authorization);
      if (!hasRole(viewer, Role.AUDITOR)) throw new ForbiddenError('只有审计管理员可以导出审计日志');
      filter = filterOf(req.query);
    } catch (error) {
      if (error instanceof DomainError) return sendDomainError(res, error);
      return next(error);
    }
    const em = orm.em.fork();
    try {
      const users = new Map((await em.find(User, {})).map((u) => [u.id, u]));
      const departments = new Map((await em.find(Department, {})).map((d) => [d.id, d.name]));
      await audit({
        actorId: viewer.userId,
        departmentId: viewer.departmentId,
        operation: 'exportAudit',
        target: new URLSearchParams(req.query as Record<string, string>).toString().slice(0, 255),
        success: true,
        errorCode: null,
        inputDigest: inputDigest(req.query),
      });
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('审计日志.csv')}`);
      res.write(`${CSV_BOM}${csvLine(HEADER)}`);
      for (let before: string | null = null; ;) {
        const rows = await searchAudit(em, filter, PAGE, before);
        for (const e of rows) {
          const user = e.actorId == null ? undefined : users.get(e.actorId);
          res.write(
            csvLine([
              e.id,
              e.at.toISOString(),
              user?.username ?? '',
              user?.displayName ?? '',
              e.departmentId == null ? '' : (departments.get(e.departmentId) ?? ''),
              operationName(e.operation),
              e.operation,
              e.target,
              e.success ? '成功' : '失败',
              e.errorCode ?? '',
              e.inputDigest,
              e.hash,
            ]),
          );
        }
        if (rows.length < PAGE) break;
        before = rows[rows.length - 1].id;
        em.clear();
      }
      res.end();
    } catch (err) {
      logger.error({ err }, 'audit export failed');
      if (!res.headersSent) next(err);
      else res.destroy();
    }
  });
  return router;
}
