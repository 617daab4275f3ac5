/** One CSV field: quoted when it must be, and never read by a spreadsheet as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line (CRLF, as spreadsheets expect). */
export const csvLine = (values: string[]) => `${values.map(csvField).join(',')}\r\n`;

/** The byte-order mark that makes Excel read UTF-8 (the Chinese) correctly. */
export const CSV_BOM = '\uFEFF';
