import { parse } from 'csv-parse/sync';
import { InventoryFileError } from './types';

/** Longest record (all its cells) accepted: beyond, the file is not an inventory or a quote is left open. */
export const MAX_RECORD_CHARS = 10_000;

const DELIMITERS = [';', ',', '\t'] as const;

/** One CSV record and the row number a spreadsheet shows for it (header = row 1). */
export interface CsvRecord {
  row: number;
  cells: string[];
}

export interface CsvTable {
  delimiter: string;
  header: CsvRecord;
  /**
   * GLPI 10 writes `"cell";` for every cell, so every line ends with the delimiter: the header
   * then ends with an empty title, which is dropped (it is not a column).
   */
  trailingDelimiter: boolean;
  /** Records after the header, blank ones included (they still count in row numbers). */
  records: CsvRecord[];
}

export function isBlank(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

/** A line the donor commented out, such as the example row of Renum's template. */
export function isComment(cells: readonly string[]): boolean {
  return (cells[0] ?? '').trimStart().startsWith('#');
}

/** Lines a header may follow (a title line or two above it, as donors write spreadsheets). */
export const HEADER_SEARCH_LINES = 5;

/**
 * Counts each candidate delimiter outside quotes on the first meaningful lines; the most frequent
 * wins (over several lines, so a title line above the header does not decide alone).
 */
function detectDelimiter(text: string): string {
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
    .slice(0, HEADER_SEARCH_LINES);
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  for (const line of lines) {
    let quoted = false;
    for (const char of line) {
      if (char === '"') quoted = !quoted;
      else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
    }
  }
  let best: string = ';';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Excel's `sep=;` first line names the delimiter; Excel hides it, so rows are numbered without it. */
const EXCEL_SEP_LINE = /^"?sep=(.)"?[;,\t]*\n/i;

interface CsvParseError extends Error {
  code?: string;
  lines?: number;
}

function toFileError(error: CsvParseError): InventoryFileError {
  const line = error.lines ? ` (ligne ${error.lines} du fichier)` : '';
  switch (error.code) {
    case 'CSV_MAX_RECORD_SIZE':
      return new InventoryFileError(
        `Une ligne du fichier dépasse ${MAX_RECORD_CHARS.toLocaleString('fr-FR')} caractères${line} : ` +
          `ce n'est pas un inventaire lisible, ou un guillemet n'a pas été refermé.`,
        'TOO_LONG',
      );
    case 'CSV_QUOTE_NOT_CLOSED':
      return new InventoryFileError(
        `Un guillemet ouvert n'est jamais refermé${line} : le fichier CSV est incomplet ou abîmé.`,
        'MALFORMED',
      );
    default:
      return new InventoryFileError(`Le fichier CSV est mal formé${line} et ne peut pas être lu.`, 'MALFORMED');
  }
}

/** Splits the text into records (any delimiter, CRLF or LF, quoted cells with line breaks, `""` escapes). */
export function readCsvTable(text: string, isHeader: (cells: readonly string[]) => boolean = () => true): CsvTable {
  let normalized = text.replace(/\r\n?/g, '\n');
  const sep = EXCEL_SEP_LINE.exec(normalized);
  if (sep) normalized = normalized.slice(sep[0].length);
  const delimiter = sep ? sep[1] : detectDelimiter(normalized);
  let raw: string[][];
  try {
    raw = parse(normalized, {
      delimiter,
      record_delimiter: '\n',
      relax_quotes: true, // an inch sign in an unquoted cell: 21,5" stays as written
      relax_column_count: true, // rows are checked against the header below, with a useful message
      skip_empty_lines: false, // blank lines still count in row numbers
      max_record_size: MAX_RECORD_CHARS,
    });
  } catch (error) {
    throw toFileError(error as CsvParseError);
  }
  const all: CsvRecord[] = raw.map((cells, index) => ({ row: index + 1, cells }));
  const meaningful = all.filter((r) => !isBlank(r.cells) && !isComment(r.cells));
  if (meaningful.length === 0) throw new InventoryFileError('Le fichier est vide.', 'EMPTY');
  // The first line that looks like a header among the first few, else the first line (whose
  // titles then explain the refusal).
  const headerRecord = meaningful.slice(0, HEADER_SEARCH_LINES).find((r) => isHeader(r.cells)) ?? meaningful[0];
  const headerIndex = all.indexOf(headerRecord);
  const header = all[headerIndex];
  const cells = [...header.cells];
  const trailingDelimiter = cells.length > 1 && cells[cells.length - 1].trim() === '';
  if (trailingDelimiter) cells.pop();
  return { delimiter, header: { row: header.row, cells }, trailingDelimiter, records: all.slice(headerIndex + 1) };
}
