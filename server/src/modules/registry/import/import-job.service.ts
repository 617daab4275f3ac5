import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { hasRole, type Viewer } from '../../../core/viewer.js';
import { ForbiddenError, DomainError, NotFoundError } from '../../../core/errors.js';
import { logger } from '../../../logger.js';
import { Role } from '../../auth/roles.js';
import { User } from '../../auth/user.entity.js';
import { Department } from '../../departments/department.entity.js';
import { publishProgress } from '../../events/event.service.js';
import { readPlanFile } from '../../plans/import/plan-file.js';
import { importPlanDocument } from '../../plans/import/plan-import.service.js';
import { enterpriseImport } from './enterprise-import.js';
import { ImportKind, ImportJob, ImportStatus } from './import-job.entity.js';
import type { ImportMode, ImportReport } from './import-report.js';
import { officerImport } from './officer-import.js';
import { type ImportProgress, runImport } from './registry-import.js';

export interface StartImport {
  kind: ImportKind;
  mode: ImportMode;
  allowPartial: boolean;
  fileName: string;
  /** The uploaded file on this server's disk; removed when the job ends. */
  path: string;
  size: number;
}

/** Progress is sent at most this often per job. */
const PROGRESS_INTERVAL_MS = 250;

/**
 * Runs uploads as import jobs in this server process and records each job in the database, so
 * any instance can report on it. Shutdown waits for running jobs.
 */
export class ImportJobs {
  private readonly running = new Set<Promise<void>>();
  private readonly signals: pg.Pool;

  constructor(
    private readonly fork: () => EntityManager,
    private readonly databaseUrl: string,
  ) {
    this.signals = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  }

  /** Starts an import; returns at once with the job, which runs on. Rules: STAFF or HEAD; plans of the own department. */
  async start(viewer: Viewer, request: StartImport): Promise<ImportJob> {
    if (!hasRole(viewer, Role.STAFF, Role.HEAD, Role.ADMIN)) {
      await fs.rm(request.path, { force: true });
      throw new ForbiddenError('只有业务人员、部门负责人或管理员可以导入');
    }
    const em = this.fork();
    const job = new ImportJob(
      crypto.randomUUID(),
      request.kind,
      request.mode,
      request.allowPartial,
      request.fileName,
      request.size,
      em.getReference(Department, viewer.departmentId, { wrapped: true }),
      em.getReference(User, viewer.userId, { wrapped: true }),
    );
    await em.persist(job).flush();
    const work = this.run(job.id, viewer, request).finally(() => this.running.delete(work));
    this.running.add(work);
    return job;
  }

  private async run(jobId: string, viewer: Viewer, request: StartImport): Promise<void> {
    let last = 0;
    const onProgress = (p: ImportProgress) => {
      const now = Date.now();
      if (p.phase !== 'done' && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      publishProgress(this.signals, { jobId, phase: p.phase === 'done' ? 'writing' : p.phase, rows: p.rows, bytesRead: p.bytesRead, totalBytes: p.totalBytes }).catch(() => {});
    };
    let status = ImportStatus.FAILED;
    let report: unknown = null;
    let failure: string | undefined;
    let rows = 0;
    try {
      if (request.kind === ImportKind.PLAN) {
        const doc = await readPlanFile(request.path);
        const em = this.fork();
        const department = await em.findOneOrFail(Department, viewer.departmentId);
        const result = await importPlanDocument(em, doc, { departmentCode: department.code, actorId: viewer.userId });
        report = { plans: result.plans.map((p) => ({ id: p.id, name: p.name, year: p.year })), tasks: result.tasks, checkItems: result.checkItems, warnings: result.warnings };
        rows = result.tasks;
        status = ImportStatus.SUCCEEDED;
      } else {
        const options = { mode: request.mode, allowPartial: request.allowPartial, actorId: viewer.userId, onProgress };
        const result: ImportReport =
          request.kind === ImportKind.ENTERPRISE
            ? await runImport(this.databaseUrl, enterpriseImport, request.path, options)
            : await runImport(this.databaseUrl, officerImport, request.path, options);
        report = result;
        rows = result.total;
        status = result.committed ? ImportStatus.SUCCEEDED : ImportStatus.REJECTED;
      }
    } catch (error) {
      if (error instanceof DomainError) {
        // A rule the file broke (no plan table, plan already imported …): the user's to fix.
        status = ImportStatus.REJECTED;
        failure = error.message;
      } else {
        logger.error({ err: error, jobId }, 'import job failed');
        failure = '导入时发生系统错误，未写入任何数据；请稍后重试或联系管理员';
      }
    } finally {
      await fs.rm(request.path, { force: true });
    }
    const em = this.fork();
    await em.nativeUpdate(ImportJob, { id: jobId }, { status, report: report as object, failure, finishedAt: new Date() });
    await publishProgress(this.signals, { jobId, phase: 'done', rows, bytesRead: request.size, totalBytes: request.size, status }).catch(() => {});
  }

  /** A job of the viewer's department (ADMIN: any). */
  async get(em: EntityManager, viewer: Viewer, id: string): Promise<ImportJob> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('导入任务', id);
    const job = await em.findOne(ImportJob, { id });
    if (!job) throw new NotFoundError('导入任务', id);
    if (job.department.id !== viewer.departmentId && !hasRole(viewer, Role.ADMIN)) throw new ForbiddenError('该导入任务不属于本部门');
    return job;
  }

  list(em: EntityManager, viewer: Viewer, first: number): Promise<ImportJob[]> {
    return em.find(ImportJob, { department: viewer.departmentId }, { orderBy: { createdAt: 'desc' }, limit: first });
  }

  /** Waits for running imports (each ends by committing or rolling back), then closes. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.running]);
    await this.signals.end();
  }
}
