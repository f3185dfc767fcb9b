import { MEDIUM_PARTS, MEDIUM_SLOTS, normalizeLabel, SourceField } from './fields';

/**
 * Renum's own CSV template, for donors without GLPI.
 *
 * File: UTF-8 with BOM (so Excel opens accents right), `;` separator (French Excel), CRLF.
 * Line 1 is the header below; line 2 is an example, commented out by a leading `#`: any line
 * whose first cell starts with `#` is ignored (it still counts in row numbers, as in a
 * spreadsheet). One device per line. Column order is free; titles are case-insensitive.
 * A file saved back by Excel with `,` or in Windows-1252 is read too.
 *
 * | column                 | required       | content                                                                    |
 * |------------------------|----------------|----------------------------------------------------------------------------|
 * | type                   | yes            | LAPTOP, DESKTOP, TABLET, SMARTPHONE, MONITOR, PRINTER, MFP, OTHER, or the  |
 * |                        |                | French words (Ordinateur portable, Tablette…); empty/unknown → OTHER + warning |
 * | brand                  | yes            | manufacturer, e.g. Dell                                                    |
 * | model                  | yes            | e.g. Latitude 5490                                                         |
 * | serialNumber           | yes            | the manufacturer's serial (label under the device); unique in the file; a  |
 * |                        |                | BIOS placeholder such as "To be filled by O.E.M." is refused               |
 * | inventoryNumber        | recommended    | the donor's own inventory number (needed to remove the asset from the books) |
 * | acquisitionDate        | recommended    | DD/MM/YYYY, YYYY-MM-DD, or DD/MM/YY (YY → 20YY, 19YY if 20YY is after this |
 * |                        |                | year); a time after it is ignored (values.ts, parseDate); over 10 years    |
 * |                        |                | old → REEN_TOO_OLD (recycling)                                             |
 * | estimatedValueEuros    | optional       | value when donated, in euros: 120 / 120,00 / 120.00; above 300 € → flagged |
 * | weightKg               | optional       | e.g. 1,8                                                                   |
 * | medium{n}Kind          | per medium     | n = 1..4: HDD, SSD, NVME, EMMC, FLASH, OTHER (empty → OTHER + warning)      |
 * | medium{n}Serial        | if medium used | serial of the storage medium (erasure records are matched on it)           |
 * | medium{n}Model         | optional       | e.g. Samsung SSD 860 EVO 250GB                                             |
 * | medium{n}CapacityGb    | optional       | capacity in GB (a "1 To" / "1 TB" value is read as 1000)                   |
 *
 * A medium group left entirely empty is skipped; media are known to workshops anyway when they
 * erase (an erasure report adds any disk the donor did not list).
 */

const DEVICE_COLUMNS: readonly { column: string; field: SourceField }[] = [
  { column: 'type', field: 'type' },
  { column: 'brand', field: 'brand' },
  { column: 'model', field: 'model' },
  { column: 'serialNumber', field: 'serialNumber' },
  { column: 'inventoryNumber', field: 'inventoryNumber' },
  { column: 'acquisitionDate', field: 'acquisitionDate' },
  { column: 'estimatedValueEuros', field: 'estimatedValue' },
  { column: 'weightKg', field: 'weightKg' },
];

const MEDIUM_COLUMNS: readonly { column: string; field: SourceField }[] = MEDIUM_SLOTS.flatMap((slot) =>
  MEDIUM_PARTS.map((part) => ({ column: `medium${slot}${part}`, field: `medium${slot}${part}` as SourceField })),
);

const TEMPLATE_COLUMNS = [...DEVICE_COLUMNS, ...MEDIUM_COLUMNS];

export const RENUM_TEMPLATE_COLUMNS: readonly string[] = Object.freeze(TEMPLATE_COLUMNS.map((c) => c.column));

/** Field → its template column title, for messages. */
export const TEMPLATE_COLUMN_BY_FIELD: ReadonlyMap<SourceField, string> = new Map(
  TEMPLATE_COLUMNS.map((c) => [c.field, c.column]),
);

/** Normalised column title → field. */
export const TEMPLATE_FIELD_BY_COLUMN: ReadonlyMap<string, SourceField> = new Map(
  TEMPLATE_COLUMNS.map((c) => [normalizeLabel(c.column), c.field]),
);

const EXAMPLE_ROW: Readonly<Record<string, string>> = {
  type: 'LAPTOP',
  brand: 'Dell',
  model: 'Latitude 5490',
  serialNumber: '5CG8123XYZ',
  inventoryNumber: 'INV-2019-0042',
  acquisitionDate: '2019-03-15',
  estimatedValueEuros: '120,00',
  weightKg: '1,6',
  medium1Kind: 'SSD',
  medium1Serial: 'S3Z9NB0K123456X',
  medium1Model: 'Samsung SSD 860 EVO 250GB',
  medium1CapacityGb: '250',
};

const SEPARATOR = ';';

function csvCell(value: string): string {
  return /[";\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The template file, ready to download: BOM, header, commented example row. */
export function renumTemplateCsv(): string {
  const header = RENUM_TEMPLATE_COLUMNS.map(csvCell).join(SEPARATOR);
  const example = RENUM_TEMPLATE_COLUMNS.map((c) => csvCell(EXAMPLE_ROW[c] ?? '')).join(SEPARATOR);
  return `\ufeff${header}\r\n#${example}\r\n`;
}
