import { CheckItemKind, InspectionMethod } from '../../checklist/check-item.entity.js';
import { normalizeHeader } from '../../imports/tabular.js';
import type { DrawType, Mode } from '../plan.enums.js';
import { type ParsedRatio, parseDepartments, parseDrawType, parseItems, parseModes, parseRatio, parseWindow } from './plan-cells.js';

/**
 * Finds the plan tables in a published document (the whole text, or a spreadsheet's rows) by
 * their header rows, and reads them: header variants, the header repeated on each printed page,
 * two-level headers, merged cells (a blank cell continues the cell above), and sub-rows without
 * 序号 that belong to the task above. The prose around the tables is ignored.
 */

type TaskColumn = 'seq' | 'name' | 'drawType' | 'items' | 'scope' | 'ratio' | 'riskRule' | 'window' | 'lead' | 'partners' | 'mode';
type ItemColumn = 'seq' | 'category' | 'item' | 'target' | 'kind' | 'method' | 'body' | 'basis';

const TASK_HEADERS: Record<TaskColumn, string[]> = {
  seq: ['序号'],
  name: ['抽查任务名称', '任务名称'],
  drawType: ['抽查类型'],
  items: ['抽查事项', '检查事项'],
  scope: ['抽查对象范围', '检查对象范围', '抽查范围', '抽查对象'],
  ratio: ['抽查比例及频次', '抽查比例/数量', '抽查比例', '抽查比例及数量'],
  riskRule: ['智慧监管(信用风险分类)要求', '智慧监管要求', '信用风险管理分类管理', '信用风险管理', '信用风险分类要求'],
  window: ['抽查起止时间', '抽查检查起止时间', '抽查检查时间', '抽查时间'],
  lead: ['发起部门', '发起主体/指导单位', '发起主体', '发起单位'],
  partners: ['配合部门', '配合单位'],
  mode: ['抽查模式', '抽查检查模式', '检查主体检查方式'],
};

const ITEM_HEADERS: Record<ItemColumn, string[]> = {
  seq: ['序号'],
  category: ['抽查类别'],
  item: ['抽查事项'],
  target: ['检查对象'],
  kind: ['事项类别'],
  method: ['检查方式'],
  body: ['检查主体'],
  basis: ['检查依据'],
};

export interface ParsedTask {
  seq: number | null;
  name: string;
  drawType: DrawType | null;
  items: string[];
  scope: string;
  ratio: ParsedRatio;
  frequencyPerYear: number | null;
  window: { fromMonth: number; toMonth: number } | null;
  lead: string[];
  partners: string[];
  modes: Mode[];
  warnings: string[];
  /** Not in the dry-run JSON: the table it came from and the cells as published. */
  riskRule: string;
  tableTitle: string;
  joint: boolean;
  source: Record<string, string>;
}

export interface ParsedCheckItem {
  seq: number | null;
  category: string;
  item: string;
  target: string;
  kind: CheckItemKind;
  method: InspectionMethod;
  body: string;
  basis: string;
  warnings: string[];
}

export interface ParsedPlanDocument {
  /** The title of the first task table, e.g. "晋城市商务局2026年度部门联合双随机抽查工作计划（…）". */
  title: string;
  year: number | null;
  tasks: ParsedTask[];
  checkItems: ParsedCheckItem[];
}

function columnsOf<C extends string>(cells: string[], headers: Record<C, string[]>): Partial<Record<C, number>> {
  const normalized = cells.map(normalizeHeader);
  const map: Partial<Record<C, number>> = {};
  for (const [column, variants] of Object.entries(headers) as [C, string[]][]) {
    const index = normalized.findIndex((h) => variants.some((v) => normalizeHeader(v) === h));
    if (index >= 0) map[column] = index;
  }
  return map;
}

function isTaskHeader(cells: string[]): boolean {
  const map = columnsOf(cells, TASK_HEADERS);
  return map.seq !== undefined && map.name !== undefined;
}

function isItemHeader(cells: string[]): boolean {
  const normalized = cells.map(normalizeHeader);
  return normalized.includes('序号') && normalized.includes('检查依据') && !isTaskHeader(cells);
}

/** A second header row under a two-level header (e.g. 抽查项目 → 抽查类别 | 抽查事项). */
function isSubHeader(cells: string[]): boolean {
  const filled = cells.map((c) => c.trim()).filter(Boolean);
  return (
    filled.length > 0 &&
    filled.every(
      (c) =>
        Object.values(ITEM_HEADERS).flat().includes(normalizeHeader(c)) || Object.values(TASK_HEADERS).flat().includes(normalizeHeader(c)),
    )
  );
}

function cleanTitle(line: string): string {
  return line
    .replace(/^#+\s*/, '')
    .replace(/\*\*/g, '')
    .trim();
}

const ITEM_KINDS: Record<string, CheckItemKind> = {
  一般检查事项: CheckItemKind.GENERAL,
  一般: CheckItemKind.GENERAL,
  重点检查事项: CheckItemKind.KEY,
  重点: CheckItemKind.KEY,
};
const METHODS: [string, InspectionMethod][] = [
  ['实地', InspectionMethod.ON_SITE],
  ['书面', InspectionMethod.DOCUMENTARY],
  ['网络', InspectionMethod.ONLINE],
  ['委托', InspectionMethod.ENTRUSTED],
];

/** HTML paragraphs in a cell (<p>…</p>) become plain text. */
function plain(text: string): string {
  return text
    .replace(/<\/p>\s*<p>/g, '\n')
    .replace(/<\/?p>/g, '')
    .trim();
}

/** Reads a document given as rows of cells (a text document's lines split on tabs, or a sheet's rows). */
export function parsePlanRows(rows: string[][]): ParsedPlanDocument {
  const doc: ParsedPlanDocument = { title: '', year: null, tasks: [], checkItems: [] };
  let lastText = '';
  let i = 0;
  while (i < rows.length) {
    const cells = rows[i];
    const filled = cells.filter((c) => c.trim());
    if (isTaskHeader(cells) || isItemHeader(cells)) {
      const task = isTaskHeader(cells);
      const title = lastText;
      let header = cells.map((c) => c.trim());
      i++;
      if (i < rows.length && isSubHeader(rows[i])) {
        header = header.map((h, k) => rows[i][k]?.trim() || h);
        i++;
      }
      const firstHeader = cells.map(normalizeHeader).join('\t');
      const isRepeat = (row: string[] | undefined) => row !== undefined && row.map(normalizeHeader).join('\t') === firstHeader;
      const body: string[][] = [];
      // The table runs until prose (a one-cell line) or a blank line not followed by the same
      // header again (the header repeated on a new printed page continues the table).
      while (i < rows.length) {
        const row = rows[i];
        const count = row.filter((c) => c.trim()).length;
        if (isRepeat(row)) {
          i++;
          if (i < rows.length && isSubHeader(rows[i])) i++;
          continue;
        }
        if (count === 0) {
          let next = i + 1;
          while (next < rows.length && rows[next].every((c) => !c.trim())) next++;
          if (isRepeat(rows[next])) {
            i = next;
            continue;
          }
          break;
        }
        if (count === 1 && row.length < 3) break;
        body.push(row);
        i++;
      }
      if (task) {
        const tasks = readTaskTable(header, body, title);
        if (!doc.title) doc.title = title;
        doc.tasks.push(...tasks);
      } else {
        doc.checkItems.push(...readItemTable(header, body));
      }
      continue;
    }
    if (filled.length === 1) {
      const text = cleanTitle(filled[0]);
      // A title broken over two lines: "…工作计划" then "（“一业一查”…）".
      lastText = /^[（(]/.test(text) && lastText ? `${lastText}${text}` : text;
    } else if (filled.length === 0) {
      // keep the title across blank lines
    } else {
      lastText = '';
    }
    i++;
  }
  const year = /(\d{4})\s*年度/.exec(doc.title);
  doc.year = year ? Number(year[1]) : null;
  return doc;
}

/** Fills blank cells from the row above (merged cells) and folds rows without 序号 into the task above. */
function readTaskTable(header: string[], body: string[][], title: string): ParsedTask[] {
  const col = columnsOf(header, TASK_HEADERS);
  const joint = !/内部/.test(title);
  const tasks: { cells: string[]; extraItems: string[]; extraPartners: string[]; warnings: string[] }[] = [];
  let previous: string[] = [];
  for (const raw of body) {
    const cells = header.map((_, k) => (raw[k] ?? '').trim());
    const seqText = col.seq !== undefined ? cells[col.seq] : '';
    if (!seqText && tasks.length > 0) {
      // A sub-row: its cells add to the task above.
      const current = tasks[tasks.length - 1];
      if (col.items !== undefined && cells[col.items]) current.extraItems.push(...parseItems(cells[col.items]));
      if (col.partners !== undefined && cells[col.partners]) current.extraPartners.push(cells[col.partners]);
      continue;
    }
    const filled = cells.map((c, k) => c || previous[k] || '');
    const warnings: string[] = [];
    if (!seqText) warnings.push('该行没有序号，且上方没有任务可以归属');
    tasks.push({ cells: filled, extraItems: [], extraPartners: [], warnings });
    previous = filled;
  }
  return tasks.map(({ cells, extraItems, extraPartners, warnings }) => {
    // "无", "—" or "/" says a cell is empty on purpose (a blank one continues the cell above).
    const cell = (c: TaskColumn) => (col[c] !== undefined && !/^(无|—|-|\/)$/.test(cells[col[c]]) ? cells[col[c]] : '');
    const seq = /^\d+$/.test(cell('seq')) ? Number(cell('seq')) : null;
    if (cell('seq') && seq === null) warnings.push(`序号“${cell('seq')}”不是数字`);
    const ratio = parseRatio(cell('ratio'));
    const window = parseWindow(cell('window'));
    const modes = parseModes(cell('mode'));
    const drawType = parseDrawType(cell('drawType'));
    const lead = parseDepartments(cell('lead'));
    const partners = parseDepartments([cell('partners'), ...extraPartners].join(' '));
    const name = cell('name');
    if (!name) warnings.push('抽查任务名称为空');
    const source: Record<string, string> = {};
    header.forEach((h, k) => {
      if (h) source[h] = cells[k];
    });
    return {
      seq,
      name,
      drawType: drawType.drawType,
      items: [...parseItems(cell('items')), ...extraItems],
      scope: cell('scope'),
      ratio: ratio.ratio,
      frequencyPerYear: ratio.frequencyPerYear,
      window: window.window,
      lead: lead.names,
      partners: partners.names,
      modes: modes.modes,
      warnings: [
        ...warnings,
        ...ratio.warnings,
        ...window.warnings,
        ...modes.warnings,
        ...drawType.warnings,
        ...lead.warnings,
        ...partners.warnings,
      ],
      riskRule: cell('riskRule'),
      tableTitle: title,
      joint,
      source,
    };
  });
}

function readItemTable(header: string[], body: string[][]): ParsedCheckItem[] {
  const col = columnsOf(header, ITEM_HEADERS);
  const items: ParsedCheckItem[] = [];
  let previous: string[] = [];
  let seq: number | null = null;
  for (const raw of body) {
    const cells = header.map((_, k) => plain(raw[k] ?? ''));
    const cell = (c: ItemColumn) => (col[c] !== undefined ? cells[col[c]] : '');
    if (/^\d+$/.test(cell('seq'))) {
      seq = Number(cell('seq'));
      previous = [];
    }
    // Within one numbered block, blank cells continue the cell above (merged cells).
    const filled = cells.map((c, k) => (k === col.item ? c : c || previous[k] || ''));
    previous = filled;
    const get = (c: ItemColumn) => (col[c] !== undefined ? filled[col[c]] : '');
    const warnings: string[] = [];
    let item = get('item').replace(/^\d+\s*[、.．]\s*/, '');
    if (!item) {
      item = get('category');
      warnings.push('原文未填写抽查事项，暂以抽查类别代替');
    }
    const kindText = get('kind').replace(/\s/g, '');
    const kind = ITEM_KINDS[kindText] ?? CheckItemKind.GENERAL;
    if (!ITEM_KINDS[kindText]) warnings.push(`事项类别“${kindText}”无法识别，按一般检查事项处理`);
    const methodText = get('method');
    const method = METHODS.find(([word]) => methodText.includes(word))?.[1] ?? InspectionMethod.ON_SITE;
    if (!METHODS.some(([word]) => methodText.includes(word))) warnings.push(`检查方式“${methodText}”无法识别，按实地检查处理`);
    items.push({
      seq,
      category: get('category'),
      item,
      target: get('target'),
      kind,
      method,
      body: get('body'),
      basis: get('basis'),
      warnings,
    });
  }
  return items;
}

/** A published document as text: tables are lines of tab-separated cells. */
export function parsePlanText(text: string): ParsedPlanDocument {
  return parsePlanRows(text.split(/\r?\n/).map((line) => line.split('\t')));
}

/** The dry-run JSON shape (see the import issue): only the published task fields and warnings. */
export function dryRunJson(doc: ParsedPlanDocument) {
  return {
    tasks: doc.tasks.map((t) => ({
      seq: t.seq,
      name: t.name,
      drawType: t.drawType,
      items: t.items,
      scope: t.scope,
      ratio: t.ratio,
      frequencyPerYear: t.frequencyPerYear,
      window: t.window,
      lead: t.lead,
      partners: t.partners,
      modes: t.modes,
      warnings: t.warnings,
    })),
  };
}
