/**
 * CSV that opens cleanly in LibreOffice and in a French Excel: UTF-8 with a BOM (else Excel
 * reads it as Windows-1252), `;` separator (Excel's list separator under a French locale),
 * CRLF line ends, fields quoted when they hold `;`, `"`, a line break or edge spaces.
 * Cells starting with = + - @ (or a tab / carriage return) are prefixed with `'` so a
 * spreadsheet never runs them as formulas (OWASP "CSV injection").
 */
export const CSV_BOM = '\uFEFF';

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  if (/[";\r\n]/.test(s) || s !== s.trim()) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return CSV_BOM + [header, ...rows].map((row) => row.map(csvCell).join(';')).join('\r\n') + '\r\n';
}
