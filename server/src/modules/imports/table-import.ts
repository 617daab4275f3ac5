import path from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { logger } from '../../logger.js';
import { emitEventOn } from '../events/event.service.js';
import { EventType } from '../events/event-types.js';
import { ImportMode, ImportReport } from './import-report.js';
import { ImportStatus } from './import-job.entity.js';
import type { ImportRunner } from './import-job.service.js';
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
  /** The registry columns the parser's values go to, in order (also the staging table's, after row_no). */
  directColumns: string;
  /** Each of those columns' SQL type, for the staging table. */
  stageTypes: Record<string, string>;
  /** Loads what the rows are checked against (regions, industries, departments) and returns the row parser. */
  prepare(db: pg.ClientBase, scope: ImportScope): Promise<RowParser<F>>;
  /** The column naming the department a record belongs to, when records belong to one (officers). */
  ownerColumn?: string;
  /** Moves the staged rows into the registry; returns how many were inserted and updated. */
  merge(db: pg.ClientBase, mode: ImportMode, context: MergeContext): Promise<{ inserted: number; updated: number }>;
  targetTable: string;
}

/** Who imports which file: what a registry's history rows name (risk-class changes). */
export interface MergeContext {
  actorId: number | null;
  file: string;
}

export interface ImportProgress extends TableProgress {
  phase: 'reading' | 'checking' | 'writing' | 'done';
  rows: number;
}

/** Whose records an import may write: a department's (its staff import its own officers), or any (null: the operator's CLI). */
export interface ImportScope {
  departmentId: number | null;
}

export interface ImportOptions {
  mode: ImportMode;
  /** Limits the import to one department's records (see ImportScope); absent for the CLI. */
  departmentId?: number | null;
  /** Write the valid rows even when some are bad (the report lists the bad ones). */
  allowPartial: boolean;
  actorId?: number | null;
  /** The file's name as its owner knows it (default: the path's base name). */
  fileName?: string;
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

interface LoadResult {
  rows: number;
  headerFound: boolean;
  headerCells: string[];
}

/**
 * Streams the file's data rows through the row parser into a COPY: `row_no` first when `withRowNo`.
 * Rows with errors are recorded in the report and not written.
 */
async function loadRows<F extends string>(
  db: pg.Client,
  target: ImportTarget<F>,
  parseRow: RowParser<F>,
  file: string,
  copySql: string,
  withRowNo: boolean,
  report: ImportReport,
  progress: (rows: number, bytes: TableProgress) => void,
): Promise<LoadResult> {
  const copy = db.query(copyFrom(copySql));
  const finished = new Promise<void>((resolve, reject) => {
    copy.on('finish', resolve);
    copy.on('error', reject);
  });
  // A COPY that fails (say, a unique violation) must stop the reading loop too.
  let failure: unknown = null;
  finished.catch((error: unknown) => {
    failure = error;
  });

  let columns: ColumnMap<F> | null = null;
  let headerCells: string[] = [];
  let buffer = '';
  let rows = 0;
  let bytes: TableProgress = { bytesRead: 0, totalBytes: 0 };
  try {
    await copyRows();
  } catch (error) {
    // The reader failed mid-file: abort the COPY (CopyFail) so the connection can roll back.
    copy.destroy(error as Error);
    await finished.catch(() => {});
    throw error;
  }
  if (buffer && !failure) await write(copy, buffer);
  copy.end();
  await finished;
  progress(rows, bytes);
  return { rows, headerFound: columns !== null, headerCells };

  async function copyRows() {
    for await (const { rowNumber, cells } of readTable(file, (p) => (bytes = p))) {
      if (failure) break;
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
      const staged = parseRow((field) => (map[field] === undefined ? '' : (cells[map[field]] ?? '')), rowNumber, report);
      if (staged) buffer += `${withRowNo ? `${rowNumber}\t` : ''}${staged.map(copyField).join('\t')}\n`;
      else report.failed++;
      if (buffer.length > 1 << 16) {
        await write(copy, buffer);
        buffer = '';
      }
      if (rows % 10_000 === 0) progress(rows, bytes);
    }
  }
}

async function begin(db: pg.Client): Promise<void> {
  await db.query('begin');
  // Bulk inserts into GIN indexes (name trigrams, industry ids) are much faster when entries
  // collect in a large pending list and merge in one pass; autovacuum tidies the list later.
  await db.query(`set local gin_pending_list_limit = '512MB'`);
  await db.query(`set local work_mem = '256MB'`);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === '23505';
}

/**
 * Imports a registry file in one transaction; any bad row means nothing is written, unless
 * `allowPartial`. Rows are checked as they stream in. The fast path (insert mode, all or
 * nothing) COPYs valid rows straight into the registry while the file is still being read;
 * if PostgreSQL finds a duplicate there, the transaction is rolled back and the file is read
 * again through a staging table, where set-based SQL names every duplicate and conflict and
 * one INSERT … ON CONFLICT merges. The CLI and the server call this same function.
 */
export async function runImport<F extends string>(
  databaseUrl: string,
  target: ImportTarget<F>,
  file: string,
  options: ImportOptions,
): Promise<ImportReport> {
  // Timeouts: a stuck statement or a transaction left idle (a lost client) ends on the server's side.
  const db = new pg.Client({ connectionString: databaseUrl, statement_timeout: 30 * 60_000, idle_in_transaction_session_timeout: 60_000 });
  // A cut connection fails the running statement, and so the import; it must not also end the process.
  db.on('error', (err) => logger.warn({ err }, 'import connection error'));
  await db.connect();
  const started = performance.now();
  let bytes: TableProgress = { bytesRead: 0, totalBytes: 0 };
  let rows = 0;
  const progress = (phase: ImportProgress['phase']) => options.onProgress?.({ phase, rows, ...bytes });
  const onRows = (n: number, b: TableProgress) => {
    rows = n;
    bytes = b;
    progress('reading');
  };
  try {
    if (options.mode === ImportMode.INSERT && !options.allowPartial) {
      const report = new ImportReport();
      await begin(db);
      const parseRow = await target.prepare(db, { departmentId: options.departmentId ?? null });
      try {
        const load = await loadRows(
          db,
          target,
          parseRow,
          file,
          `copy ${target.targetTable} (${target.directColumns}) from stdin`,
          false,
          report,
          onRows,
        );
        report.total = load.rows;
        if (!load.headerFound) return await headerMissing(db, target, load, report);
        if (report.errorCount === 0) {
          report.inserted = load.rows;
          await finish(db, target, file, report, options);
          progress('done');
          logger.info(
            { kind: target.kind, rows, path: 'direct', ms: Math.round(performance.now() - started) },
            'registry import committed',
          );
          return report;
        }
        // Bad rows: fall through to the staging path, which also names duplicates and conflicts.
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      await db.query('rollback');
    }
    const report = await stagedImport(db, target, file, options, onRows, progress);
    logger.info(
      { kind: target.kind, rows, path: 'staged', committed: report.committed, ms: Math.round(performance.now() - started) },
      'registry import finished',
    );
    return report;
  } catch (error) {
    await db.query('rollback').catch(() => {});
    logger.error({ err: error, file }, 'registry import failed');
    throw error;
  } finally {
    await db.end();
  }
}

async function headerMissing<F extends string>(db: pg.Client, target: ImportTarget<F>, load: LoadResult, report: ImportReport) {
  const expected = target.columns.filter((c) => c.required).map((c) => c.headers[0]);
  report.addError(0, '表头', load.headerCells.join(' '), `未找到表头：前 20 行中没有同时包含 ${expected.join('、')} 的行`);
  await db.query('rollback');
  return report;
}

/** Announces the import and commits. */
async function finish<F extends string>(
  db: pg.Client,
  target: ImportTarget<F>,
  file: string,
  report: ImportReport,
  options: ImportOptions,
) {
  await emitEventOn(
    db,
    EventType.REGISTRY_IMPORTED,
    [],
    {
      kind: target.kind,
      file: path.basename(file),
      inserted: report.inserted,
      updated: report.updated,
      failed: report.failed,
    },
    options.actorId ?? undefined,
  );
  await db.query('commit');
  report.committed = true;
}

async function stagedImport<F extends string>(
  db: pg.Client,
  target: ImportTarget<F>,
  file: string,
  options: ImportOptions,
  onRows: (n: number, b: TableProgress) => void,
  progress: (phase: ImportProgress['phase']) => void,
): Promise<ImportReport> {
  const report = new ImportReport();
  await begin(db);
  const parseRow = await target.prepare(db, { departmentId: options.departmentId ?? null });
  await db.query(
    `create temp table import_stage (row_no int not null, ${target.directColumns
      .split(',')
      .map((c) => `${c.trim()} ${target.stageTypes[c.trim()]}`)
      .join(', ')}) on commit drop`,
  );
  const load = await loadRows(db, target, parseRow, file, 'copy import_stage from stdin', true, report, onRows);
  report.total = load.rows;
  if (!load.headerFound) return headerMissing(db, target, load, report);

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
  // A department's import never rewrites another department's records (an officer moved or stood down by a file).
  if (target.ownerColumn && options.departmentId != null) {
    const foreign = await db.query<{ row_no: number; key: string }>(
      `select s.row_no, s.${target.key.column} as key from import_stage s
         join ${target.targetTable} t on t.${target.key.column} = s.${target.key.column}
        where t.${target.ownerColumn} <> $1 order by s.row_no`,
      [options.departmentId],
    );
    for (const f of foreign.rows) {
      if (bad.has(f.row_no)) continue;
      report.addError(f.row_no, target.key.header, f.key, '属于其他部门的记录，只能由该部门修改');
      bad.add(f.row_no);
    }
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
  const { inserted, updated } = await target.merge(db, options.mode, {
    actorId: options.actorId ?? null,
    file: options.fileName ?? path.basename(file),
  });
  report.inserted = inserted;
  report.updated = updated;
  await finish(db, target, file, report, options);
  progress('done');
  return report;
}

/** An import job for a registry table (enterprises, officers): the rows go through runImport. */
export function tableImportRunner<F extends string>(target: ImportTarget<F>): ImportRunner {
  return async ({ path, fileName, mode, allowPartial, viewer, databaseUrl, onProgress }) => {
    const report = await runImport(databaseUrl, target, path, {
      fileName,
      mode,
      allowPartial,
      actorId: viewer.userId,
      departmentId: viewer.departmentId,
      onProgress,
    });
    return { status: report.committed ? ImportStatus.SUCCEEDED : ImportStatus.REJECTED, report, rows: report.total };
  };
}
