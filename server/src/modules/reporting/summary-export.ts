import type { Writable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../core/viewer.js';
import { sampleSizes, type TaskParams } from '../draws/selection.js';
import type { RiskClass } from '../registry/registry.enums.js';
import { statistics } from './statistics.service.js';
import { StatisticsGroup, type StatisticsResult, type StatisticsRow } from './statistics.types.js';
import { type Column, streamedWorkbook } from './xlsx.js';

/** The year-end 汇总表 as departments send it upward. */
const COLUMNS: Column[] = [
  { header: '序号', width: 6, numFmt: '0' },
  { header: '任务名称', width: 44 },
  { header: '应抽户数', width: 10, numFmt: '0' },
  { header: '实抽户数', width: 10, numFmt: '0' },
  { header: '已检查', width: 10, numFmt: '0' },
  { header: '发现问题', width: 10, numFmt: '0' },
  { header: '责令改正', width: 10, numFmt: '0' },
  { header: '移送', width: 8, numFmt: '0' },
  { header: '已公示', width: 10, numFmt: '0' },
  { header: '公示率', width: 10, numFmt: '0.0%' },
];

type DrawSpec = {
  tasks: (Pick<TaskParams, 'ratio' | 'riskStratified'> & { taskId: number; strata: Record<RiskClass, { size: number }> })[];
};

/** 应抽户数 per task: the sample sizes the draws computed from their committed strata (selection.ts, the draw's own rule). */
async function plannedByTask(em: EntityManager, year: number): Promise<Map<number, number>> {
  const draws = await em
    .getConnection()
    .execute<{ spec: DrawSpec | null }[]>(`select spec from draw where year = ? and cancelled_at is null and spec is not null`, [year]);
  const planned = new Map<number, number>();
  for (const { spec } of draws) {
    for (const task of spec?.tasks ?? []) {
      const sizes = Object.fromEntries(Object.entries(task.strata).map(([r, s]) => [r, s.size])) as Record<RiskClass, number>;
      const n = Object.values(sampleSizes(task, sizes)).reduce((sum, s) => sum + s.n, 0);
      planned.set(task.taskId, (planned.get(task.taskId) ?? 0) + n);
    }
  }
  return planned;
}

/** The 汇总表's figures, read before anything is written (refusals — year, scope — come from the statistics). */
export interface Summary {
  year: number;
  /** Per department and task, each department's own share. */
  byTask: StatisticsResult;
  /** Per department (a visit under two tasks counted once). */
  byDepartment: StatisticsResult;
  planned: Map<number, number>;
}

export async function summaryOf(em: EntityManager, viewer: Viewer, year: number): Promise<Summary> {
  const byTask = await statistics(em, viewer, { year }, [StatisticsGroup.DEPARTMENT, StatisticsGroup.TASK]);
  const byDepartment = await statistics(em, viewer, { year }, [StatisticsGroup.DEPARTMENT]);
  return { year, byTask, byDepartment, planned: await plannedByTask(em, year) };
}

/**
 * One sheet per department in the reader's scope that took part in the year's visits: a row per
 * task with the department's own share (its items, findings, referrals), and the total.
 */
export async function writeSummaryXlsx({ year, byTask: result, byDepartment: totals, planned }: Summary, out: Writable): Promise<void> {
  const book = streamedWorkbook(out);
  const departments = totals.rows.filter((row) => (row.visits ?? 0) > 0 || (row.firmsInScope ?? 0) > 0);
  const line = (row: StatisticsRow, no: number | string, name: string, plannedCount: number | null) => [
    no,
    name,
    plannedCount,
    row.firmsDrawn,
    row.visitsFinalised,
    row.visitsWithProblem,
    row.correctionsOrdered,
    row.referralsOpened,
    row.published,
    row.publicationRate,
  ];
  for (const department of departments) {
    const name = department.key.departmentName ?? '';
    const sheet = book.sheet(name.slice(0, 31), COLUMNS, [`${name} ${year} 年度“双随机、一公开”抽查工作汇总表`]);
    const rows = result.rows.filter((r) => r.key.departmentId === department.key.departmentId);
    let plannedTotal = 0;
    rows.forEach((row, i) => {
      const p = planned.get(row.key.taskId!) ?? 0;
      plannedTotal += p;
      sheet.addRow(line(row, i + 1, row.key.taskName ?? '', p)).commit();
    });
    const total = sheet.addRow(line(department, '合计', '', plannedTotal));
    total.font = { bold: true };
    total.commit();
    sheet.addRow([]).commit();
    sheet.addRow([`统计日：${result.asOf}。已检查 = 已办结户次；发现问题 = 发现问题户次；定义见 docs/statistics.md。`]).commit();
  }
  if (departments.length === 0) book.sheet('汇总表', COLUMNS, [`${year} 年度“双随机、一公开”抽查工作汇总表（本年度尚无数据）`]).commit();
  await book.commit();
}
