import { Arg, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { HubContext } from '../../graphql/context.js';
import { checkPageSize } from '../../core/paging.js';
import type { ProgressSignal } from '../events/event.service.js';
import { ImportJob, ImportKind, ImportStatus } from './import-job.entity.js';
import { ImportReport } from './import-report.js';
import { CurrentViewer, viewerIn } from '../../graphql/current-viewer.js';
import type { Viewer } from '../../core/viewer.js';

@ObjectType({ description: '导入进度' })
export class ImportProgressUpdate {
  @Field(() => ID, { description: '导入任务' })
  jobId!: string;

  @Field(() => String, { description: '阶段：reading 读取校验、checking 查重、writing 写入、done 结束' })
  phase!: string;

  @Field(() => Int, { description: '已读取的数据行数' })
  rows!: number;

  @Field(() => Int, { description: '已读取字节数' })
  bytesRead!: number;

  @Field(() => Int, { description: '文件总字节数' })
  totalBytes!: number;

  @Field(() => ImportStatus, { nullable: true, description: '结束时的状态' })
  status?: ImportStatus | null;
}

@Resolver(() => ImportJob)
export class ImportJobResolver {
  @Query(() => ImportJob, { description: '导入任务（本部门）；上传文件见 POST /api/imports' })
  importJob(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<ImportJob> {
    return ctx.services.imports.get(ctx.em, viewer, id);
  }

  @Query(() => [ImportJob], { description: '本部门最近的导入任务' })
  importJobs(
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<ImportJob[]> {
    checkPageSize(first);
    return ctx.services.imports.list(ctx.em, viewer, first);
  }

  @Subscription(() => ImportProgressUpdate, {
    description: '导入进度（实时，最新为准）；结束时 phase=done 并带状态',
    subscribe: async ({ args, context }) => {
      const ctx = context as HubContext;
      const { jobId } = args as { jobId: string };
      // Listen first, then look: a job that ended in between still reports its end.
      const stream = ctx.services.events.progress(jobId);
      try {
        // The same scope rule as importJob: only the job's department follows it.
        const job = await ctx.services.imports.get(ctx.em, viewerIn(ctx), jobId);
        if (job.status !== ImportStatus.RUNNING) {
          stream.offer({ jobId, phase: 'done', rows: 0, bytesRead: job.fileSize, totalBytes: job.fileSize, status: job.status });
        }
      } catch (error) {
        stream.close();
        throw error;
      }
      return stream;
    },
  })
  importProgress(@Root() signal: ProgressSignal, @Arg('jobId', () => ID) _jobId: string): ImportProgressUpdate {
    return Object.assign(new ImportProgressUpdate(), signal);
  }

  @FieldResolver(() => ImportReport, { nullable: true, description: '名录库导入报告（ENTERPRISE、OFFICER）' })
  registryReport(@Root() job: ImportJob): ImportReport | null {
    return job.kind !== ImportKind.PLAN && job.report ? Object.assign(new ImportReport(), job.report) : null;
  }
}
