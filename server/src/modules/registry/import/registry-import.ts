import path from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { logger } from '../../../logger.js';
import { emitEventOn } from '../../events/event.service.js';
import { EventType } from '../../events/event-types.js';
import { ImportMode, ImportReport } from './import-report.js';
import { type ColumnMap, type ColumnSpec, matchHeader, readTable, type TableProgress } from './tabular.js';

/** A staged value: text, a number, an int array, or null. */
export type StagedValue = string | number | number[] | null;

/** Reads one data row into staged values, or records its errors in the report and returns null. */
export type RowParser<F extends string> = (cell: (field: F) => string, row: number, report: ImportReport) => StagedValue[] | null;

/** What differs between registries: columns, row rules, staging table and the set-based merge. */
export interface ImportTarget<F extends string> {
  kind: 'ENTERPRISE' | 'OFFICER';
  columns: ColumnSpec<F>[];
  /** Column that identifies a record (统一社会信用代码, 执法证号) and its header for reports. */
  key: { column: string; header: string };
  /** The staging table's columns after row_no, in the order the parser returns values. */
  stageColumns: string;
  /** Loads what the rows are checked against (regions, industries, departments) and returns the row parser. */
  prepare(db: pg.ClientBase): Promise<RowParser<F>>;
  /** Moves the staged rows into the registry; returns how many were inserted and updated. */
  merge(db: pg.ClientBase, mode: ImportMode): Promise<{ inserted: number; updated: number }>;
  targetTable: string;
}

export interface ImportProgress extends TableProgress {
  phase: 'reading' | 'checking' | 'writing' | 'done';
  rows: number;
}

export interface ImportOptions {
  mode: ImportMode;
  /** Write the valid rows even when some are bad (the report lists the bad ones). */
  allowPartial: boolean;
  actorId?: number | null;
  onProgress?: (p: ImportProgress) => void;
}

/** COPY text format: tab-separated, \N for null, backslash escapes. */
function copyField(value: StagedValue): string {
  if (value === null) return '\\N';
  if (Array.isArray(value)) return `{${value.join(',')}}`;
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise((resolve) => stream.once('drain', resolve));
}

/**
 * Imports a registry file in one transaction: rows are checked as they stream in, valid ones
 * go to a staging table through COPY, duplicates and conflicts are found with set-based SQL,
 * and one INSERT … ON CONFLICT moves them in. Any bad row means nothing is written, unless
 * `allowPartial`. The CLI and the server call this same function.
 */
export async function runImport<F extends string>(
  databaseUrl: string,
  target: ImportTarget<F>,
  file: string,
  options: ImportOptions,
): Promise<ImportReport> {
  const report = new ImportReport();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  let rows = 0;
  let bytes: TableProgress = { bytesRead: 0, totalBytes: 0 };
  const progress = (phase: ImportProgress['phase']) => options.onProgress?.({ phase, rows, ...bytes });
  try {
    await db.query('begin');
    const parseRow = await target.prepare(db);
    await db.query(`create temp table import_stage (row_no int not null, ${target.stageColumns}) on commit drop`);
    const copy = db.query(copyFrom(`copy import_stage from stdin`));
    const finished = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });

    let columns: ColumnMap<F> | null = null;
    let headerCells: string[] = [];
    let buffer = '';
    let lastReport = 0;
    for await (const { rowNumber, cells } of readTable(file, (p) => (bytes = p))) {
      if (!columns) {
        // The header is the first row naming the required columns; title rows above it are skipped.
        const match = matchHeader(cells, target.columns);
        if (match.missing.length === 0) {
          columns = match.columns;
          headerCells = cells;
        } else if (rowNumber >= 20) {
          break;
        }
        continue;
      }
      if (cells.every((c) => c === '')) continue;
      rows++;
      const map = columns;
      const staged = parseRow((field) => (map[field] === undefined ? '' : (cells[map[field]!] ?? '')), rowNumber, report);
      if (staged) buffer += `${rowNumber}\t${staged.map(copyField).join('\t')}\n`;
      else report.failed++;
      if (buffer.length > 1 << 16) {
        await write(copy, buffer);
        buffer = '';
      }
      if (rows - lastReport >= 10_000) {
        lastReport = rows;
        progress('reading');
      }
    }
    if (buffer) await write(copy, buffer);
    copy.end();
    await finished;
    report.total = rows;

    if (!columns) {
      const expected = target.columns.filter((c) => c.required).map((c) => c.headers[0]);
      report.addError(0, '表头', headerCells.join(' '), `未找到表头：前 20 行中没有同时包含 ${expected.join('、')} 的行`);
      await db.query('rollback');
      return report;
    }

    progress('checking');
    const bad = new Set<number>();
    // Duplicates inside the file: every occurrence after the first is an error.
    const dupes = await db.query<{ row_no: number; key: string; first: number }>(
      `select row_no, ${target.key.column} as key, first_value(row_no) over w as first
         from import_stage
       window w as (partition by ${target.key.column} order by row_no)
       order by row_no`,
    );
    for (const d of dupes.rows) {
      if (d.row_no === d.first) continue;
      report.addError(d.row_no, target.key.header, d.key, `与第 ${d.first} 行重复`);
      bad.add(d.row_no);
    }
    if (options.mode === ImportMode.INSERT) {
      const existing = await db.query<{ row_no: number; key: string }>(
        `select s.row_no, s.${target.key.column} as key from import_stage s
           join ${target.targetTable} t on t.${target.key.column} = s.${target.key.column} order by s.row_no`,
      );
      for (const e of existing.rows) {
        if (bad.has(e.row_no)) continue;
        report.addError(e.row_no, target.key.header, e.key, '名录库中已存在；如需更新请使用 upsert 模式');
        bad.add(e.row_no);
      }
    }
    report.failed += bad.size;
    report.errors.sort((a, b) => a.row - b.row);

    if (report.errorCount > 0 && !options.allowPartial) {
      await db.query('rollback');
      progress('done');
      return report;
    }
    if (bad.size) await db.query('delete from import_stage where row_no = any($1::int[])', [[...bad]]);

    progress('writing');
    const { inserted, updated } = await target.merge(db, options.mode);
    report.inserted = inserted;
    report.updated = updated;
    await emitEventOn(db, EventType.REGISTRY_IMPORTED, [], {
      kind: target.kind,
      file: path.basename(file),
      inserted,
      updated,
      failed: report.failed,
    }, options.actorId ?? undefined);
    await db.query('commit');
    report.committed = true;
    progress('done');
    return report;
  } catch (error) {
    await db.query('rollback').catch(() => {});
    logger.error({ err: error, file }, 'registry import failed');
    throw error;
  } finally {
    await db.end();
  }
}
