import fs from 'node:fs/promises';
import path from 'node:path';
import { readTable } from '../../imports/tabular.js';
import { type ParsedPlanDocument, parsePlanRows, parsePlanText } from './plan-document.js';

/** Reads a published plan: the document's text (.txt/.md, as in shared/reference), or a sheet (.xlsx/.csv). */
export async function readPlanFile(file: string): Promise<ParsedPlanDocument> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx' || ext === '.csv') {
    const rows: string[][] = [];
    for await (const row of readTable(file)) {
      // Keep row positions: a blank spreadsheet row ends a table just as a blank line does.
      while (rows.length < row.rowNumber - 1) rows.push([]);
      rows.push(row.cells);
    }
    return parsePlanRows(rows);
  }
  return parsePlanText(await fs.readFile(file, 'utf8'));
}
