import type { Writable } from 'node:stream';
import type { ResultCategory } from '../inspections/finding.enums.js';
import { MEASURES } from './measures.js';
import { GROUP_LABELS, type StatisticsResult, type StatisticsRow } from './statistics.types.js';
import { type Column, streamedWorkbook } from './xlsx.js';

const RESULT_HEADERS: Record<ResultCategory, string> = {
  NO_PROBLEM: '未发现问题（项）',
  PROBLEM_PENDING: '发现问题待后续处理（项）',
  PROBLEM_CORRECTED: '发现问题已责令改正（项）',
  ACTIVITY_NOT_FOUND: '未发现相关经营活动（项）',
  CLOSED_OR_LIQUIDATING: '已关闭停业或正在清算（项）',
  NON_COOPERATION: '不配合检查情节严重（项）',
};

/** Any statistics table as a sheet: the group, every measure in the order of measures.ts, the result counts, the total last. */
export async function writeStatisticsXlsx(result: StatisticsResult, title: string, out: Writable): Promise<void> {
  const book = streamedWorkbook(out);
  const columns: Column[] = [
    { header: result.groupBy.length ? result.groupBy.map((g) => GROUP_LABELS[g].replace(/（.*）/, '')).join(' / ') : '范围', width: 40 },
    ...MEASURES.map((m) => ({
      header: m.label,
      width: Math.max(10, m.label.length * 2 + 2),
      numFmt: m.kind === 'rate' ? '0.0%' : m.kind === 'ratio' ? '0.00' : '0',
    })),
    ...Object.values(RESULT_HEADERS).map((header) => ({ header, width: 14, numFmt: '0' })),
  ];
  const sheet = book.sheet('统计表', columns, [title]);
  const write = (row: StatisticsRow, bold = false) => {
    const added = sheet.addRow([
      row.label,
      ...MEASURES.map((m) => row[m.key]),
      ...(Object.keys(RESULT_HEADERS) as ResultCategory[]).map(
        (category) => row.resultCounts.find((r) => r.category === category)?.items ?? null,
      ),
    ]);
    if (bold) added.font = { bold: true };
    added.commit();
  };
  for (const row of result.rows) write(row);
  if (result.groupBy.length) write(result.total, true);
  const notes = book.workbook.addWorksheet('指标说明');
  notes.columns = [
    { key: 'label', width: 18 },
    { key: 'formula', width: 90 },
  ];
  notes.addRow(['指标', '计算方法']).commit();
  for (const m of MEASURES) notes.addRow([m.label, m.formula]).commit();
  notes.addRow([`统计日：${result.asOf}（逾期按此日判断）`]).commit();
  await book.commit();
}
