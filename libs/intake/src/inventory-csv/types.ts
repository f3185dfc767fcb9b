import { DeviceInput } from '@renum/domain';

export type InventoryFormat = 'GLPI' | 'RENUM_TEMPLATE';
export type InventoryLanguage = 'fr' | 'en';
export type InventoryRowFlag = 'REEN_TOO_OLD' | 'VALUE_ABOVE_DONATION_CAP';

/**
 * One problem found on one row. `row` is the row number a spreadsheet user sees (the header
 * is row 1, the first data row is row 2; a cell holding a line break stays one row).
 * `field` is the column title as written in the file ('' when the problem is the whole row).
 * `message` is French: it is shown to the donor as is.
 */
export interface RowIssue {
  row: number;
  field: string;
  message: string;
}

export interface InventoryRow {
  row: number;
  device: DeviceInput;
  flags: InventoryRowFlag[];
  warnings: RowIssue[];
  /** The GLPI computer name (`Nom` / `Name`), when the file has one: DeviceInput has no place for it, the UI shows it. */
  name?: string;
}

export interface InventoryParseResult {
  format: InventoryFormat;
  /** Language of the GLPI column titles; absent for Renum's template. */
  language?: InventoryLanguage;
  /** Rows good enough to register. */
  rows: InventoryRow[];
  /** Problems that made a row skipped (a skipped row may have several). */
  errors: RowIssue[];
  /** Every warning: those of registered rows (also in `rows[i].warnings`) and those about the file (row 1). */
  warnings: RowIssue[];
  /** Column titles the parser does not know, each reported once, as written in the file. */
  ignoredColumns: string[];
  /** Data rows read: registered + skipped (blank rows and `#` comment rows are not counted). */
  totalRows: number;
}

export interface InventoryParseOptions {
  /** The day of the import; its UTC calendar day is used for the REEN 10-year rule and future dates. */
  today: Date;
}

export type InventoryFileErrorReason =
  | 'NOT_TEXT'
  | 'EMPTY'
  | 'NO_HEADER'
  | 'MISSING_COLUMN'
  | 'NO_ROWS'
  | 'TOO_LONG'
  | 'MALFORMED';

/** A problem with the whole file: nothing can be imported. The message is French, shown to the donor as is. */
export class InventoryFileError extends Error {
  constructor(
    message: string,
    readonly reason: InventoryFileErrorReason,
  ) {
    super(message);
    this.name = 'InventoryFileError';
  }
}
