import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';

export interface Column {
  header: string;
  width: number;
  /** Excel number format (rates as '0.0%'). */
  numFmt?: string;
}

/** A streamed workbook whose sheets have Chinese headers, set widths and a frozen header row. */
export function streamedWorkbook(out: Writable) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  return {
    workbook,
    sheet(name: string, columns: Column[], titleRows: string[] = []) {
      const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: titleRows.length + 1 }] });
      sheet.columns = columns.map((c) => ({ key: c.header, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
      for (const title of titleRows) {
        const row = sheet.addRow([title]);
        row.font = { bold: true, size: 14 };
        row.commit();
      }
      const header = sheet.addRow(columns.map((c) => c.header));
      header.font = { bold: true };
      header.commit();
      return sheet;
    },
    commit: () => workbook.commit(),
  };
}
