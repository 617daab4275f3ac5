import type { Writable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ForbiddenError } from '../../core/errors.js';
import { pgArray } from '../../core/sql.js';
import { Role } from '../../core/roles.js';
import { scopeDepartment, hasRole, type Viewer } from '../../core/viewer.js';
import { getDraw } from '../draws/draw.service.js';
import { DrawStatus } from '../draws/draw.entity.js';
import { RESULT_LABELS, type ResultCategory } from '../inspections/finding.enums.js';
import type { InspectionStatus } from '../inspections/inspection.entity.js';
import { STATUS_NAMES } from '../inspections/inspection.service.js';
import { RISK_CLASS_LABELS, type RiskClass } from '../registry/registry.enums.js';
import { type Column, streamedWorkbook } from './xlsx.js';

/** Rows read per statement: memory stays flat whatever the export's size. */
const BATCH = 2_000;

const COLUMNS: Column[] = [
  { header: '序号', width: 8, numFmt: '0' },
  { header: '统一社会信用代码', width: 22 },
  { header: '企业名称', width: 34 },
  { header: '行政区划', width: 12 },
  { header: '风险分类', width: 10 },
  { header: '轮次', width: 6, numFmt: '0' },
  { header: '抽查任务', width: 40 },
  { header: '发起部门', width: 22 },
  { header: '检查组', width: 48 },
  { header: '状态', width: 8 },
  { header: '办结日期', width: 12 },
  { header: '应查事项', width: 9, numFmt: '0' },
  { header: '已录结果', width: 9, numFmt: '0' },
  { header: '检查结果', width: 36 },
  { header: '发现问题', width: 9 },
  { header: '公示日期', width: 12 },
];

interface VisitRow {
  id: number;
  uscc: string;
  name: string;
  region: string;
  risk_class: RiskClass;
  round: number;
  tasks: string | null;
  lead: string;
  team: string | null;
  status: InspectionStatus;
  completed_on: string | null;
  items: number;
  findings: number;
  results: ResultCategory[] | null;
  published_on: string | null;
}

const ROW_SQL = `select i.id, e.uscc, e.name, r.name as region, e.risk_class, i.round, ld.name as lead, i.status,
       to_char(i.completed_on, 'YYYY-MM-DD') as completed_on, to_char(p.published_on, 'YYYY-MM-DD') as published_on,
       (select string_agg(t.name, '；' order by t.id) from inspection_task it join task t on t.id = it.task_id where it.inspection_id = i.id) as tasks,
       (select string_agg(o.name || '（' || o.certificate_no || '）', '、' order by o.id)
          from inspection_officer io join officer o on o.id = io.officer_id where io.inspection_id = i.id) as team,
       (select count(*)::int from inspection_check_item ic where ic.inspection_id = i.id) as items,
       (select count(*)::int from finding f where f.inspection_id = i.id) as findings,
       array(select distinct x from finding f, unnest(f.results) x where f.inspection_id = i.id order by 1) as results
  from inspection i join enterprise e on e.id = i.enterprise_id join region r on r.id = e.region_id
  join department ld on ld.id = i.lead_department_id left join publication p on p.inspection_id = i.id`;

const PROBLEM = new Set(['PROBLEM_PENDING', 'PROBLEM_CORRECTED']);
const RESULT_ORDER = Object.keys(RESULT_LABELS) as ResultCategory[];

function cells(row: VisitRow, no: number): unknown[] {
  // In the result form's order, not the database's.
  const results = RESULT_ORDER.filter((r) => row.results?.includes(r));
  return [
    no,
    row.uscc,
    row.name,
    row.region,
    RISK_CLASS_LABELS[row.risk_class],
    row.round,
    row.tasks ?? '',
    row.lead,
    row.team ?? '',
    STATUS_NAMES[row.status],
    row.completed_on,
    row.items,
    row.findings,
    results.map((r) => RESULT_LABELS[r]).join('、'),
    results.length === 0 ? '' : results.some((r) => PROBLEM.has(r)) ? '是' : '否',
    row.published_on,
  ];
}

/** Visits matched by `where` (over alias i), read in keyset batches of BATCH and written as they come. */
async function writeRows(
  em: EntityManager,
  where: string,
  params: unknown[],
  out: Writable,
  sheetName: string,
  title: string,
): Promise<void> {
  const book = streamedWorkbook(out);
  const sheet = book.sheet(sheetName, COLUMNS, [title]);
  const conn = em.getConnection();
  let after = -1;
  let no = 0;
  for (;;) {
    const rows = await conn.execute<VisitRow[]>(`${ROW_SQL} where ${where} and i.id > ? order by i.id limit ${BATCH}`, [...params, after]);
    for (const row of rows) sheet.addRow(cells(row, ++no)).commit();
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1].id;
    // Let the response drain before reading more: the file streams out at the client's pace.
    if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
  }
  await book.commit();
}

export interface VisitExportFilter {
  year: number;
  taskIds: number[];
}

/** Checks a visits export before any byte goes out: who may, what, and that it is within the cap. Returns its row count. */
export async function prepareVisitExport(
  em: EntityManager,
  viewer: Viewer,
  filter: VisitExportFilter,
  cap: number,
): Promise<{ filter: VisitExportFilter; rows: number }> {
  if (!hasRole(viewer, Role.STAFF, Role.HEAD)) throw new ForbiddenError('检查清单由本部门业务人员或负责人导出');
  if (!Number.isInteger(filter.year) || filter.year < 2000 || filter.year > 2100)
    throw new BadInputError('year', '年度应在 2000–2100 之间');
  const { where, params } = visitWhere(viewer, filter);
  const [{ n }] = await em.getConnection().execute<{ n: number }[]>(`select count(*)::int as n from inspection i where ${where}`, params);
  if (n > cap) {
    throw new BadInputError('taskIds', `共 ${n} 条，超过单次导出上限 ${cap} 条：请按抽查任务分别导出（taskIds=…）`, { rows: n, cap });
  }
  return { filter, rows: n };
}

function visitWhere(viewer: Viewer, filter: VisitExportFilter): { where: string; params: unknown[] } {
  const department = scopeDepartment(viewer);
  const where = ['i.year = ?'];
  const params: unknown[] = [filter.year];
  if (department !== null) {
    where.push('i.department_ids @> array[?]::int[]');
    params.push(department);
  }
  if (filter.taskIds.length) {
    where.push('exists (select 1 from inspection_task it where it.inspection_id = i.id and it.task_id = any(?::int[]))');
    params.push(pgArray(filter.taskIds));
  }
  return { where: where.join(' and '), params };
}

/** 检查清单: the visits the viewer may read for the year (and tasks), with team, state and results. */
export async function writeVisitListXlsx(em: EntityManager, viewer: Viewer, filter: VisitExportFilter, out: Writable): Promise<void> {
  const { where, params } = visitWhere(viewer, filter);
  await writeRows(em, where, params, out, '检查清单', `${filter.year} 年度检查清单`);
}

/** 抽查名单: a revealed draw's firms in drawn order with their teams — for the draw's departments only (getDraw). */
export async function prepareDrawList(em: EntityManager, viewer: Viewer, drawId: string) {
  const draw = await getDraw(em, viewer, drawId);
  if (draw.status !== DrawStatus.REVEALED) throw new BadInputError('id', '抽取尚未揭示，还没有抽查名单');
  return draw;
}

export async function writeDrawListXlsx(em: EntityManager, draw: { id: string; year: number }, out: Writable): Promise<void> {
  await writeRows(em, 'i.draw_id = ?', [draw.id], out, '抽查名单', `${draw.year} 年度抽查名单（抽取编号 ${draw.id}）`);
}
