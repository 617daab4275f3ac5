import { isUuid } from '../../core/ids.js';
import { FileReadError } from './tabular.js';
import fs from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { assertInScope, hasRole, type Viewer } from '../../core/viewer.js';
import { ForbiddenError, DomainError, NotFoundError } from '../../core/errors.js';
import { logger } from '../../logger.js';
import { Role } from '../../core/roles.js';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { publishProgress } from '../events/event.service.js';
import { ImportKind, ImportJob, ImportStatus } from './import-job.entity.js';
import type { ImportMode } from './import-report.js';
import type { ImportProgress } from './table-import.js';

export interface StartImport {
  /** The job's id, chosen with the upload's file name (<id><ext>) so a job's file can be found. */
  id: string;
  kind: ImportKind;
  mode: ImportMode;
  allowPartial: boolean;
  fileName: string;
  /** The uploaded file on this server's disk; removed when the job ends. */
  path: string;
  size: number;
}

/** What one kind of import is given: the file and options, who asks, and where to report progress. */
export interface ImportRun {
  path: string;
  /** The name the uploader gave the file (the stored path is the server's own). */
  fileName: string;
  mode: ImportMode;
  allowPartial: boolean;
  viewer: Viewer;
  databaseUrl: string;
  fork: () => EntityManager;
  onProgress: (progress: ImportProgress) => void;
}

/**
 * Runs one kind of import in its own transaction and says how it ended. The contexts that own
 * the data supply them (registry: enterprises and officers; plans: published plans); this
 * context only runs jobs, so it depends on none of them.
 */
export type ImportRunner = (run: ImportRun) => Promise<{ status: ImportStatus; report: unknown; rows: number }>;

/** The advisory-lock key of a job (hashed to the int4 PostgreSQL's lock functions take). */
function lockKey(jobId: string): string {
  return `import-job:${jobId}`;
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
  /**
   * Holds a session-level advisory lock per running job: when this process dies, its connection
   * closes and the locks go with it, so any instance can tell an interrupted job from a running one.
   */
  private owner: pg.Client | null = null;
  /** The jobs this instance runs (its own session would be granted their locks again). */
  private readonly here = new Set<string>();

  constructor(
    private readonly fork: () => EntityManager,
    private readonly databaseUrl: string,
    private readonly runners: Record<ImportKind, ImportRunner>,
  ) {
    this.signals = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    // An idle connection cut by a database restart must not bring the process down.
    this.signals.on('error', (err) => logger.warn({ err }, 'import progress connection error'));
  }

  /** Starts an import; returns at once with the job, which runs on. Rules: STAFF or HEAD; plans of the own department. */
  async start(viewer: Viewer, request: StartImport): Promise<ImportJob> {
    if (!hasRole(viewer, Role.STAFF, Role.HEAD)) {
      await fs.rm(request.path, { force: true });
      throw new ForbiddenError('只有业务人员或部门负责人可以导入');
    }
    const em = this.fork();
    const job = new ImportJob(
      request.id,
      request.kind,
      request.mode,
      request.allowPartial,
      request.fileName,
      request.size,
      em.getReference(Department, viewer.departmentId, { wrapped: true }),
      em.getReference(User, viewer.userId, { wrapped: true }),
    );
    await em.persist(job).flush();
    await (await this.ownerClient()).query('select pg_advisory_lock(hashtext($1))', [lockKey(job.id)]);
    this.here.add(job.id);
    const work = this.run(job.id, viewer, request).finally(() => {
      this.running.delete(work);
      this.here.delete(job.id);
      void this.owner?.query('select pg_advisory_unlock(hashtext($1))', [lockKey(job.id)]).catch(() => {});
    });
    this.running.add(work);
    return job;
  }

  private async run(jobId: string, viewer: Viewer, request: StartImport): Promise<void> {
    let last = 0;
    const onProgress = (p: ImportProgress) => {
      const now = Date.now();
      if (p.phase !== 'done' && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      publishProgress(this.signals, {
        jobId,
        phase: p.phase === 'done' ? 'writing' : p.phase,
        rows: p.rows,
        bytesRead: p.bytesRead,
        totalBytes: p.totalBytes,
      }).catch(() => {});
    };
    let status = ImportStatus.FAILED;
    let report: unknown = null;
    let failure: string | undefined;
    let rows = 0;
    try {
      ({ status, report, rows } = await this.runners[request.kind]({
        path: request.path,
        fileName: request.fileName,
        mode: request.mode,
        allowPartial: request.allowPartial,
        viewer,
        databaseUrl: this.databaseUrl,
        fork: this.fork,
        onProgress,
      }));
    } catch (error) {
      if (error instanceof FileReadError) {
        // The file itself cannot be read: nothing was written; the reason names the row.
        failure = error.message;
      } else if (error instanceof DomainError) {
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
    await em.nativeUpdate(ImportJob, { id: jobId }, { status, report: report, failure, finishedAt: new Date() });
    await publishProgress(this.signals, { jobId, phase: 'done', rows, bytesRead: request.size, totalBytes: request.size, status }).catch(
      () => {},
    );
  }

  /** A job of the viewer's department. */
  async get(em: EntityManager, viewer: Viewer, id: string): Promise<ImportJob> {
    if (!isUuid(id)) throw new NotFoundError('导入任务', id);
    const job = await em.findOne(ImportJob, { id });
    if (!job) throw new NotFoundError('导入任务', id);
    assertInScope(viewer, [job.department.id], '该导入任务不属于本部门');
    return job;
  }

  list(em: EntityManager, viewer: Viewer, first: number): Promise<ImportJob[]> {
    return em.find(ImportJob, { department: viewer.departmentId }, { orderBy: { createdAt: 'desc' }, limit: first });
  }

  private async ownerClient(): Promise<pg.Client> {
    if (!this.owner) {
      const client = new pg.Client({ connectionString: this.databaseUrl });
      // Cut (the database restarted): the next job opens a new one. The jobs it held locks for
      // lost their transactions with the same cut.
      client.on('error', (err) => {
        logger.warn({ err }, 'import lock connection lost');
        if (this.owner === client) this.owner = null;
      });
      await client.connect();
      this.owner = client;
    }
    return this.owner;
  }

  /**
   * Marks FAILED the jobs left RUNNING by an instance that stopped without finishing them (killed,
   * crashed): nothing of theirs was committed (one transaction each). Run at start; a job whose
   * lock another live instance holds is left running.
   */
  async failInterrupted(): Promise<number> {
    const em = this.fork();
    const client = await this.ownerClient();
    let failed = 0;
    for (const job of await em.find(ImportJob, { status: ImportStatus.RUNNING })) {
      if (this.here.has(job.id)) continue;
      const { rows } = await client.query<{ free: boolean }>('select pg_try_advisory_lock(hashtext($1)) as free', [lockKey(job.id)]);
      if (!rows[0].free) continue;
      await em.nativeUpdate(
        ImportJob,
        { id: job.id, status: ImportStatus.RUNNING },
        { status: ImportStatus.FAILED, failure: '导入因服务中断而终止，未写入任何数据；请重新上传', finishedAt: new Date() },
      );
      await client.query('select pg_advisory_unlock(hashtext($1))', [lockKey(job.id)]);
      failed++;
    }
    if (failed) logger.warn({ failed }, 'import jobs interrupted by a stop were marked failed');
    return failed;
  }

  /** Waits for running imports (each ends by committing or rolling back), then closes. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.running]);
    await this.signals.end();
    await this.owner?.end();
  }
}
