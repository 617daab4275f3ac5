import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

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
  const parser = parse({ relax_column_count: true, skip_empty_lines: false, bom: true, trim: true });
  const feeding = (async () => {
    for await (const text of decodeCsv(input)) {
      if (!parser.write(text)) await new Promise((resolve) => parser.once('drain', resolve));
    }
    parser.end();
  })();
  let rowNumber = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    rowNumber++;
    yield { rowNumber, cells: record };
  }
  await feeding;
}

async function* readXlsx(file: string, onBytes: (n: number) => void): AsyncGenerator<TableRow> {
  const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  input.on('data', (chunk) => onBytes(chunk.length));
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  // The first worksheet holds the table; further sheets (notes, dictionaries) are ignored.
  for await (const worksheet of workbook) {
    for await (const row of worksheet) {
      const values = (row.values as unknown[]).slice(1); // exceljs rows are 1-based
      yield { rowNumber: row.number, cells: values.map(cellText) };
    }
    return;
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
  throw new Error(`不支持的文件类型“${ext || '（无扩展名）'}”：请使用 .xlsx 或 .csv`);
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
