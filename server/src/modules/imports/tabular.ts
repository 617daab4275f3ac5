import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';

/**
 * A file that cannot be read as the table it claims to be (a bad quote, a cut-off or false zip,
 * a record or a workbook too large): the message says why, in Chinese, for the job's failure.
 */
export class FileReadError extends Error {}

/** A CSV record longer than this is refused (an unclosed quote would otherwise swallow the file). */
export const MAX_RECORD_CHARS = 64 * 1024;
/** A workbook that unpacks to more than this is refused before it is read (a zip bomb). */
export const MAX_XLSX_UNPACKED_BYTES = 256 * 1024 * 1024;

/** One row of a spreadsheet: its 1-based row number as the user sees it, and its cells as text. */
export interface TableRow {
  rowNumber: number;
  cells: string[];
}

export interface TableProgress {
  bytesRead: number;
  totalBytes: number;
}

/** Turns an exceljs cell value (rich text, formula, date, hyperlink …) into the text a person sees. */
export function cellText(value: unknown): string {
  if (value == null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return cellText(v.text);
    if (v.result !== undefined) return cellText(v.result);
    return ''; // an error cell, or a value with no text
  }
  return typeof value === 'string' ? value.trim() : JSON.stringify(value);
}

/** Length of the chunk without a character cut off at its end (UTF-8 continuation bytes are 10xxxxxx). */
function utf8Boundary(chunk: Buffer): number {
  let end = chunk.length;
  for (let i = 0; i < 3 && end > 0 && (chunk[end - 1] & 0xc0) === 0x80; i++) end--;
  if (end > 0 && chunk[end - 1] >= 0xc0) end--;
  return end;
}

/**
 * Bytes to text for CSV files as departments save them: UTF-8 (with or without BOM), or GBK,
 * which Excel and WPS use for “CSV” on Chinese Windows. Decided on the first chunk.
 */
async function* decodeCsv(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  for await (const chunk of stream) {
    if (!decoder) {
      let encoding = 'utf-8';
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, utf8Boundary(chunk)));
      } catch {
        encoding = 'gbk';
      }
      decoder = new TextDecoder(encoding, { ignoreBOM: false });
    }
    yield decoder.decode(chunk, { stream: true });
  }
  if (decoder) yield decoder.decode();
}

async function* readCsv(file: string, onBytes: (n: number) => void): AsyncGenerator<TableRow> {
  const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  input.on('data', (chunk) => onBytes(chunk.length));
  const parser = parse({ relax_column_count: true, skip_empty_lines: false, bom: true, trim: true, max_record_size: MAX_RECORD_CHARS });
  const feeding = (async () => {
    for await (const text of decodeCsv(input)) {
      if (!parser.write(text)) await new Promise((resolve) => parser.once('drain', resolve));
    }
    parser.end();
  })();
  // A parse error ends the rows below; the feeding loop then stops with the input.
  feeding.catch(() => {});
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber++;
      yield { rowNumber, cells: record };
    }
    await feeding;
  } catch (error) {
    throw new FileReadError(`文件无法读取（第 ${rowNumber + 1} 行附近）：${csvReason(error)}`);
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/** csv-parse's error codes as people read them. */
function csvReason(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'CSV_MAX_RECORD_SIZE') return `一行超过 ${MAX_RECORD_CHARS / 1024}K 个字符，可能有未闭合的引号`;
  if (code.includes('QUOTE')) return '引号不成对或位置不对（字段中的引号应写成两个连续的引号）';
  return 'CSV 格式错误';
}

/** Reads a workbook's directory first: a cut-off or false zip, or one unpacking too large, is refused before parsing. */
async function checkWorkbook(file: string): Promise<void> {
  let unpacked = 0;
  try {
    const directory = await unzipper.Open.file(file);
    for (const entry of directory.files) unpacked += entry.uncompressedSize;
  } catch {
    throw new FileReadError('文件无法读取：不是完整的 Excel（.xlsx）文件，可能已损坏或只上传了一部分');
  }
  if (unpacked > MAX_XLSX_UNPACKED_BYTES) {
    throw new FileReadError(`文件无法读取：解压后超过 ${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MB，请拆分为多个文件或改用 CSV`);
  }
}

async function* readXlsx(file: string, onBytes: (n: number) => void): AsyncGenerator<TableRow> {
  await checkWorkbook(file);
  const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  input.on('data', (chunk) => onBytes(chunk.length));
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let rowNumber = 0;
  try {
    // The first worksheet holds the table; further sheets (notes, dictionaries) are ignored.
    for await (const worksheet of workbook) {
      for await (const row of worksheet) {
        rowNumber = row.number;
        const values = (row.values as unknown[]).slice(1); // exceljs rows are 1-based
        yield { rowNumber, cells: values.map(cellText) };
      }
      return;
    }
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    throw new FileReadError(`文件无法读取（第 ${rowNumber + 1} 行附近）：Excel 文件内容损坏`);
  } finally {
    input.destroy();
  }
}

/** Streams the rows of a .csv or .xlsx file; never holds the whole file in memory. */
export function readTable(file: string, onProgress?: (p: TableProgress) => void): AsyncGenerator<TableRow> {
  const totalBytes = fs.statSync(file).size;
  let bytesRead = 0;
  const onBytes = (n: number) => {
    bytesRead += n;
    onProgress?.({ bytesRead, totalBytes });
  };
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx') return readXlsx(file, onBytes);
  if (ext === '.csv' || ext === '.txt') return readCsv(file, onBytes);
  throw new FileReadError(`不支持的文件类型“${ext || '（无扩展名）'}”：请使用 .xlsx 或 .csv`);
}

/** Header text as people write it: no spaces or marks, half-width brackets. */
export function normalizeHeader(text: string): string {
  return text
    .replace(/[\s\u3000*＊]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/[:：]$/, '');
}

export interface ColumnSpec<F extends string> {
  field: F;
  /** Header texts that mean this column (normalised with normalizeHeader). */
  headers: string[];
  required: boolean;
}

export type ColumnMap<F extends string> = Partial<Record<F, number>>;

/**
 * Finds the header row (the first row naming every required column, within the first 20 rows)
 * and where each known column is.
 */
export function matchHeader<F extends string>(
  cells: string[],
  specs: ColumnSpec<F>[],
): { columns: ColumnMap<F>; missing: ColumnSpec<F>[] } {
  const normalized = cells.map(normalizeHeader);
  const columns: ColumnMap<F> = {};
  for (const spec of specs) {
    const index = normalized.findIndex((h) => spec.headers.some((variant) => normalizeHeader(variant) === h));
    if (index >= 0) columns[spec.field] = index;
  }
  return { columns, missing: specs.filter((s) => s.required && columns[s.field] === undefined) };
}
