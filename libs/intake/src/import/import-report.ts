import type { InventoryParseResult, RowIssue } from '../inventory-csv';

/** Label template suggested after an import (A4 sheets of 21 labels, the most common stock). */
export const DEFAULT_LABEL_TEMPLATE = 'avery-l7163';

/**
 * A valid row whose serial the donor already registered: where the device is (its code, its
 * donation: this one for a re-import, or another one), and the sentence the donor reads.
 * Imports made before these details were kept have only `row` and `serialNumber`.
 */
export interface AlreadyRegisteredRow {
  row: number;
  serialNumber: string;
  code?: string;
  donationId?: string;
  donationReference?: string;
  message?: string;
}

/**
 * What an import reports, stored in `inventory_import.result` and returned as the job's result.
 *
 * - `created`: devices this import registered (across every attempt of the job).
 * - `skipped`: data rows that created nothing (`totalRows - created`). A row is skipped for one
 *   of two reasons, each listed row by row:
 *   - a problem in the row itself (missing serial or a BIOS placeholder, a serial already on an
 *     earlier row of the file, an unreadable date or value, a missing brand or model…):
 *     in `errors`, one entry per problem (a row may have several). The donor fixes the file.
 *   - its serial is already registered for this donor (an earlier import or registration, or
 *     the same file imported again): in `alreadyRegistered`. Nothing to fix: a re-import of the
 *     same file lists every valid row there and creates nothing.
 * - `warnings`: rows registered with a remark (unknown type → OTHER, no inventory number,
 *   REEN age, value above the donation cap) and remarks about the file (row 1).
 * - `flagged`: registered rows carrying a legal flag (REEN_TOO_OLD, VALUE_ABOVE_DONATION_CAP).
 */
export interface ImportReport {
  importId: string;
  donationId: string;
  format: InventoryParseResult['format'];
  language?: InventoryParseResult['language'];
  totalRows: number;
  created: number;
  skipped: number;
  errors: RowIssue[];
  alreadyRegistered: AlreadyRegisteredRow[];
  warnings: RowIssue[];
  ignoredColumns: string[];
  flagged: { row: number; serialNumber: string; flags: string[] }[];
  /** Label sheets for the whole donation are one call away. */
  labelsUrl: string;
  labels: { method: 'POST'; url: string; body: { donationId: string; template: string } };
}

export function buildReport(
  importId: string,
  donationId: string,
  parsed: InventoryParseResult,
  created: number,
  alreadyRegistered: AlreadyRegisteredRow[],
): ImportReport {
  const already = new Set(alreadyRegistered.map((a) => a.row));
  return {
    importId,
    donationId,
    format: parsed.format,
    ...(parsed.language ? { language: parsed.language } : {}),
    totalRows: parsed.totalRows,
    created,
    skipped: parsed.totalRows - created,
    errors: parsed.errors,
    alreadyRegistered,
    // Warnings of rows that were not registered now (already there) would only be noise.
    warnings: parsed.warnings.filter((w) => !already.has(w.row)),
    ignoredColumns: parsed.ignoredColumns,
    flagged: parsed.rows
      .filter((r) => r.flags.length > 0 && !already.has(r.row))
      .map((r) => ({ row: r.row, serialNumber: r.device.serialNumber, flags: r.flags })),
    labelsUrl: '/api/v1/labels/sheets',
    labels: { method: 'POST', url: '/api/v1/labels/sheets', body: { donationId, template: DEFAULT_LABEL_TEMPLATE } },
  };
}
