import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { loadItems, loadRequiredRef } from '../../core/refs.js';
import type { Viewer } from '../../core/viewer.js';
import { formatScope } from './import/plan-cells.js';
import { DrawType, MODE_LABELS } from './plan.enums.js';
import { getPlan, tasksOfPlan } from './plan.service.js';
import type { Task } from './task.entity.js';

/**
 * A plan as the published tables set it out (序号, 抽查任务名称, 抽查事项, 抽查对象范围, 抽查比例及频次,
 * 智慧监管要求, 抽查起止时间, 发起部门, 配合部门, 抽查模式), plus 抽查类型 last, which some published
 * tables carry. Each cell is written so that import-plan (plan-document.ts) reads back the same task.
 */
export const PLAN_COLUMNS: { header: string; width: number }[] = [
  { header: '序号', width: 6 },
  { header: '抽查任务名称', width: 28 },
  { header: '抽查事项', width: 48 },
  { header: '抽查对象范围', width: 36 },
  { header: '抽查比例及频次', width: 20 },
  { header: '智慧监管要求', width: 28 },
  { header: '抽查起止时间', width: 14 },
  { header: '发起部门', width: 16 },
  { header: '配合部门', width: 24 },
  { header: '抽查模式', width: 12 },
  { header: '抽查类型', width: 10 },
];

const DRAW_TYPE_LABELS: Record<DrawType, string> = { DIRECTED: '定向', UNDIRECTED: '不定向' };

/** The 抽查事项 cell: every department's items numbered "1.…；2.…", or the plan's own text when none are linked. */
function itemsCell(task: Task, items: { item: string }[]): string {
  if (items.length === 0) return task.itemsText;
  if (items.length === 1) return items[0].item;
  return items.map((i, n) => `${n + 1}.${i.item}`).join('；');
}

function ratioCell(task: Task): string {
  const frequency = task.frequencyPerYear && !/次/.test(task.ratio.text) ? `，${task.frequencyPerYear}次/年` : '';
  return `${task.ratio.text}${frequency}`;
}

export interface PlanSheet {
  title: string;
  fileName: string;
  rows: string[][];
}

/** The plan's rows as the viewer may read them (a partner sees only the joint tasks it is in). */
export async function planSheet(em: EntityManager, viewer: Viewer, planId: number): Promise<PlanSheet> {
  const plan = await getPlan(em, viewer, planId);
  const department = await loadRequiredRef(plan.department);
  const tasks = await tasksOfPlan(em, viewer, planId);
  // All tasks at once, so the dataloader reads each relation for the whole plan in one query.
  const rows = await Promise.all(
    tasks.map(async (task) => {
      const [items, industries, regions, lead, partners] = await Promise.all([
        loadItems(task.items),
        loadItems(task.scopeIndustries),
        loadItems(task.scopeRegions),
        loadRequiredRef(task.leadDepartment),
        loadItems(task.partnerDepartments),
      ]);
      // The lead's items first, then each partner's, in list order.
      const order = [lead.id, ...partners.map((p) => p.id)];
      items.sort((a, b) => order.indexOf(a.department.id) - order.indexOf(b.department.id) || a.code.localeCompare(b.code));
      const cells = [
        String(task.seq),
        task.name,
        itemsCell(task, items),
        formatScope(
          task.scopeText,
          industries.map((i) => i.name),
          regions.map((r) => r.name),
        ),
        ratioCell(task),
        task.riskRuleText,
        task.windowFromMonth && task.windowToMonth ? `${task.windowFromMonth}月-${task.windowToMonth}月` : '',
        lead.name,
        partners.map((p) => p.name).join('、'),
        task.modes.map((m) => MODE_LABELS[m]).join('、'),
        task.drawType ? DRAW_TYPE_LABELS[task.drawType] : '',
      ];
      // A blank cell reads as "continues the cell above" (merged cells); "—" says empty.
      return cells.map((c) => c || '—');
    }),
  );
  // The title names the year and the department: import-plan reads both from it.
  const title = plan.name.includes(`${plan.year}年`) ? plan.name : `${department.name}${plan.year}年度${plan.name}`;
  return { title, fileName: `${plan.name}.xlsx`, rows };
}

/** Streams the sheet as XLSX: a title row, a frozen header, wrapped text, widths set. */
export async function writePlanXlsx(sheet: PlanSheet, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const ws = workbook.addWorksheet('抽查任务', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = PLAN_COLUMNS.map((c) => ({ width: c.width }));
  const title = ws.addRow([sheet.title]);
  title.font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, PLAN_COLUMNS.length);
  title.commit();
  const header = ws.addRow(PLAN_COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.commit();
  for (const cells of sheet.rows) {
    const row = ws.addRow([Number(cells[0]), ...cells.slice(1)]);
    row.alignment = { vertical: 'top', wrapText: true };
    row.commit();
  }
  ws.commit();
  await workbook.commit();
}
