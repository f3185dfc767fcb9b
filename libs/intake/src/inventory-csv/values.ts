import { DEVICE_TYPE_LABELS_FR, DEVICE_TYPES, DeviceType, MEDIUM_KINDS, MediumKind } from '@renum/domain';
import { normalizeLabel } from './fields';


/** Cell values: device types, medium kinds, serial placeholders, dates, amounts. */

// ---------------------------------------------------------------------------------------------
// Device types. GLPI computer types are free dropdown values; inventory agents fill them from the
// SMBIOS chassis type (Notebook, Space-saving, Mini Tower…), people write French words. Values
// are compared normalised (see normalizeCode); a tree value `Parent > Child` is read by its last
// level. The Renum codes and their French labels are always accepted.
// ---------------------------------------------------------------------------------------------

const DEVICE_TYPE_WORDS: Record<DeviceType, readonly string[]> = {
  LAPTOP: [
    'Portable', 'Ordinateur portable', 'PC portable', 'Laptop', 'Notebook', 'Sub Notebook', 'Ultrabook',
    'Netbook', 'Convertible', 'Detachable', '2 en 1', '2-in-1', 'Chromebook',
  ],
  DESKTOP: [
    'Ordinateur de bureau', 'Ordinateur fixe', 'PC fixe', 'PC de bureau', 'Poste fixe', 'Poste de travail',
    'Unité centrale', 'UC', 'Tour', 'Mini tour', 'Station de travail', 'Tout-en-un', 'Desktop',
    'Low Profile Desktop', 'Tower', 'Mini Tower', 'Workstation', 'Space-saving', 'Small Form Factor', 'SFF',
    'Mini PC', 'Lunch Box', 'Pizza Box', 'All in One', 'All-in-One', 'AIO',
  ],
  TABLET: ['Tablette', 'Tablette tactile', 'Tablet'],
  SMARTPHONE: ['Smartphone', 'Téléphone', 'Téléphone mobile', 'Téléphone portable', 'Mobile', 'Mobile phone', 'Phone'],
  MONITOR: ['Écran', 'Moniteur', 'Monitor', 'Screen', 'Display'],
  PRINTER: ['Imprimante', 'Printer'],
  MFP: ['Imprimante multifonction', 'Multifonction', 'Copieur', 'Photocopieur', 'MFP', 'Multifunction printer', 'Copier'],
  OTHER: ['Autre', 'Other'],
};

const MEDIUM_KIND_WORDS: Record<MediumKind, readonly string[]> = {
  HDD: ['Disque dur', 'Hard drive', 'Hard disk', 'HDD SATA'],
  SSD: ['SSD SATA', 'SATA SSD', 'mSATA'],
  NVME: ['NVMe SSD', 'SSD NVMe', 'M.2 NVMe'],
  EMMC: [],
  FLASH: ['Mémoire flash', 'Carte SD', 'Clé USB'],
  OTHER: ['Autre'],
};

/** Lower case, no accents, `-` and `_` read as spaces. */
function normalizeCode(value: string): string {
  return normalizeLabel(value.replace(/[-_]/g, ' '));
}

function lookupTable<T extends string>(words: Record<T, readonly string[]>, extra: Partial<Record<T, string>> = {}) {
  const table = new Map<string, T>();
  for (const code of Object.keys(words) as T[]) {
    for (const word of [code, extra[code], ...words[code]]) if (word) table.set(normalizeCode(word), code);
  }
  return table;
}

const DEVICE_TYPE_BY_WORD = lookupTable<DeviceType>(DEVICE_TYPE_WORDS, DEVICE_TYPE_LABELS_FR);
const MEDIUM_KIND_BY_WORD = lookupTable<MediumKind>(MEDIUM_KIND_WORDS);

// Every code of the domain vocabulary must be reachable (a new one added there fails loudly here).
for (const code of [...DEVICE_TYPES, ...MEDIUM_KINDS]) {
  if (![...DEVICE_TYPE_BY_WORD.values(), ...MEDIUM_KIND_BY_WORD.values()].includes(code)) {
    throw new Error(`inventory-csv: no word maps to ${code}`);
  }
}

function lookup<T>(table: Map<string, T>, value: string): T | undefined {
  return table.get(normalizeCode(value)) ?? table.get(normalizeCode(value.split('>').pop() ?? ''));
}

/** "Écrans", "Unités centrales", "PCs portables": a category a spreadsheet names in the plural. */
function singular(value: string): string {
  return value.replace(/(\p{L}{2,})s(?=$|[\s>/-])/gu, '$1');
}

export function deviceTypeOf(value: string): DeviceType | undefined {
  return lookup(DEVICE_TYPE_BY_WORD, value) ?? lookup(DEVICE_TYPE_BY_WORD, singular(value));
}

/**
 * The type a Type cell names when it is not one of the known words but opens with one, as
 * people type it ("Écran plat", "Imprimante laser", "Tablettes Android"): see deviceTypeInText.
 */
export function deviceTypeAtStartOf(value: string): DeviceType | undefined {
  return deviceTypeInText(value) ?? deviceTypeInText(singular(value));
}

/**
 * The type a free text names at its start ("Ordinateur portable HP 250", "Écran Dell 24 pouces",
 * "PC-PORTABLE-12"): the longest type word that opens it, if any. Only the start: further in, a
 * word describes something else ("Sacoche pour portable").
 */
export function deviceTypeInText(text: string): DeviceType | undefined {
  const words = normalizeCode(text);
  let best: { word: string; type: DeviceType } | undefined;
  for (const [word, type] of DEVICE_TYPE_BY_WORD) {
    if ((words === word || words.startsWith(`${word} `)) && (!best || word.length > best.word.length)) best = { word, type };
  }
  return best?.type === 'OTHER' ? undefined : best?.type;
}

export function mediumKindOf(value: string): MediumKind | undefined {
  return lookup(MEDIUM_KIND_BY_WORD, value);
}

// Serial numbers: the BIOS placeholder list is a domain rule, shared with the JSON registration.
export { isPlaceholderSerial } from '@renum/domain';

/** Two serials are the same device whatever the case or spaces. */
export function serialKey(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// Dates. GLPI writes YYYY-MM-DD (or YYYY-MM-DD HH:MM) by default, DD-MM-YYYY or MM-DD-YYYY
// when the user chose so; spreadsheets write DD/MM/YYYY in France, and LibreOffice's French
// short date is DD/MM/YY. Exports often add a time (`12/03/2019 00:00:00`, `2019-03-12T00:00:00Z`):
// it is ignored, the calendar day is the one written. This leniency is the spreadsheet's only:
// the JSON registration takes YYYY-MM-DD and nothing else (DeviceInputDto, deviceInputProblems).
// ---------------------------------------------------------------------------------------------

/** A time after the date, as exports write it: `16:47`, `00:00:00`, `T00:00:00.000Z`, `12:00:00 AM`, `+01:00`. */
const TIME = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:\s?[AaPp]\.?[Mm]\.?)?(?:\s?(?:Z|[+-]\d{2}(?::?\d{2})?))?)?`;
const ISO_DATE = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${TIME}$`);
/** `a/b/yyyy` or `a/b/yy`, with `/`, `-` or `.`. */
const NUMERIC_DATE = new RegExp(String.raw`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})${TIME}$`);

/** How to read `01/02/2019`: day first (France, UK), month first (US), or unknown (then it is refused). */
export type DateOrder = 'DAY_FIRST' | 'MONTH_FIRST' | undefined;

function isoOf(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * The year of a two-digit year `yy` on the day `today` (its UTC year): 20yy, unless that year is
 * after the current one, then 19yy. An acquisition is never in the future, and a device from the
 * 1900s is over 10 years old anyway (REEN_TOO_OLD). In 2026: `26` → 2026, `27` → 1927, `99` → 1999.
 */
export function fullYear(yy: number, today: Date): number {
  return 2000 + yy > today.getUTCFullYear() ? 1900 + yy : 2000 + yy;
}

/**
 * The order of a column's `a/b/yyyy` (or `a/b/yy`) dates: the one most values prove (a first part above 12 is
 * a day, a second part above 12 a month; against the language's habit, two values at least), else the
 * language's habit. A value proving the other
 * order is a typo in that file (`02/13/2019` among French dates): it is refused on its own row
 * (parseDate) rather than making every ambiguous date of the column unreadable.
 */
export function inferDateOrder(values: readonly string[], fallback: DateOrder): DateOrder {
  let dayFirst = 0;
  let monthFirst = 0;
  for (const value of values) {
    const order = orderProvedBy(value);
    if (order === 'DAY_FIRST') dayFirst++;
    else if (order === 'MONTH_FIRST') monthFirst++;
  }
  if (dayFirst === monthFirst) return fallback; // no evidence, or as much each way: the language's habit (none for English)
  const [winner, proofs] = dayFirst > monthFirst ? (['DAY_FIRST', dayFirst] as const) : (['MONTH_FIRST', monthFirst] as const);
  // Against the language's habit, one value is more likely a typo than a file written the other way:
  // it would silently turn every ambiguous date of the file. Two at least (a real MM/DD file has many).
  return fallback && winner !== fallback && proofs < 2 ? fallback : winner;
}

/** The order an `a/b/yyyy` value proves on its own (a first part above 12 is a day, a second a month), if any. */
export function orderProvedBy(value: string): DateOrder {
  const m = NUMERIC_DATE.exec(value.trim());
  if (!m) return undefined;
  return Number(m[1]) > 12 ? 'DAY_FIRST' : Number(m[2]) > 12 ? 'MONTH_FIRST' : undefined;
}

/**
 * A date read (`twoDigitYear`: its year was written `yy`, see fullYear; `excelSerial`: it was
 * Excel's day number), or why not. AMBIGUOUS: no order known to read it. OTHER_ORDER: the value
 * itself proves the order the file does not use: in the file's order its month would be `month`
 * (above 12); `otherReading` is the day it means in the other order.
 */
export type DateParse =
  | { iso: string; excelSerial?: true; twoDigitYear?: true }
  | { problem: 'UNREADABLE' | 'AMBIGUOUS' | 'YEAR_ONLY' }
  | { problem: 'OTHER_ORDER'; month: number; otherReading?: string };

/**
 * Excel's day numbers (1900 system, as every Excel for Windows and LibreOffice): 20000 is
 * 1954-10-03, 80000 is 2119-01-10. A date and time cell saved as a number has a fraction (the
 * time), `.` or `,` as decimal separator.
 */
const EXCEL_SERIAL = /^(\d{5})(?:[.,]\d+)?$/;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A spreadsheet cell's date, day `today` (for two-digit years). Its shapes: YYYY-MM-DD; a/b/YYYY
 * or a/b/YY read in `order` (unless the value proves it: a part above 12 is a day); `/`, `-` or
 * `.` between the parts; a time after it ignored; Excel's day number.
 */
export function parseDate(value: string, order: DateOrder, today: Date): DateParse {
  const text = value.trim();
  // A date cell saved as a number ("Standard" format): the day count Excel stores.
  const serial = EXCEL_SERIAL.exec(text);
  if (serial && Number(serial[1]) >= 20000 && Number(serial[1]) <= 80000) {
    return { iso: new Date(EXCEL_EPOCH_MS + Number(serial[1]) * 86_400_000).toISOString().slice(0, 10), excelSerial: true };
  }
  if (/^(19|20)\d{2}$/.test(text)) return { problem: 'YEAR_ONLY' };
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const result = isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return result ? { iso: result } : { problem: 'UNREADABLE' };
  }
  const numeric = NUMERIC_DATE.exec(text);
  if (!numeric) return { problem: 'UNREADABLE' };
  const [a, b] = [Number(numeric[1]), Number(numeric[2])];
  const twoDigitYear = numeric[3].length === 2;
  const year = twoDigitYear ? fullYear(Number(numeric[3]), today) : Number(numeric[3]);
  const read = (o: 'DAY_FIRST' | 'MONTH_FIRST') => (o === 'DAY_FIRST' ? isoOf(year, b, a) : isoOf(year, a, b));
  const own: DateOrder = a > 12 ? 'DAY_FIRST' : b > 12 ? 'MONTH_FIRST' : undefined;
  if (own && order && own !== order) {
    const otherReading = read(own);
    return { problem: 'OTHER_ORDER', month: order === 'DAY_FIRST' ? b : a, ...(otherReading ? { otherReading } : {}) };
  }
  const effective: DateOrder = own ?? (a === b ? 'DAY_FIRST' : order);
  if (!effective) return { problem: 'AMBIGUOUS' };
  const result = read(effective);
  if (!result) return { problem: 'UNREADABLE' };
  return twoDigitYear ? { iso: result, twoDigitYear: true } : { iso: result };
}

/** `2019-03-12` → `12 mars 2019`, `2019-03-01` → `1er mars 2019`: a day no reader can take for another. */
export function frenchDay(iso: string): string {
  const text = new Date(`${iso}T00:00:00Z`).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return text.replace(/^1 /, '1er ');
}

export { yearsBefore } from '@renum/domain';

// ---------------------------------------------------------------------------------------------
// Numbers. French writes `1 250,50`, English `1,250.50`; spaces (also the narrow no-break space
// French Excel uses) and a currency/unit suffix are dropped.
// ---------------------------------------------------------------------------------------------

/** Removes spaces and the decimal ambiguity: returns a plain `123.45` string, or undefined if unreadable. */
function plainDecimal(value: string, suffix: RegExp): string | undefined {
  let text = value.replace(/[\s\u00a0\u202f]/g, '').replace(suffix, '');
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    // both present: the last one is the decimal separator, the other groups thousands
    const thousands = lastComma > lastDot ? '.' : ',';
    if (!/^\d{1,3}([.,]\d{3})*([.,]\d+)?$/.test(text)) return undefined;
    text = text.split(thousands).join('').replace(',', '.');
  } else {
    text = text.replace(',', '.');
  }
  return /^\d+(\.\d+)?$/.test(text) ? text : undefined;
}

/** Euros → integer cents. At most two decimals: `1,250` (is it 1.25 or 1250?) is refused. */
export function parseEurosToCents(value: string): number | undefined {
  const text = plainDecimal(value, /(€|eur|euros?)$/i);
  const m = text ? /^(\d+)(?:\.(\d{1,2}))?$/.exec(text) : null;
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function parseWeightKg(value: string): number | undefined {
  const text = plainDecimal(value, /kg$/i);
  const weight = text === undefined ? NaN : Number(text);
  return weight > 0 ? weight : undefined;
}

/** Capacity in GB; a value written in TB (`1 To`, `2 TB`) is converted with 1 TB = 1000 GB, as disks are sold. */
export function parseCapacityGb(value: string): number | undefined {
  const terabytes = /(to|tb|tio|tib)$/i.test(value.trim());
  const text = plainDecimal(value, /(go|gb|gio|gib|to|tb|tio|tib)$/i);
  const capacity = text === undefined ? NaN : Number(text) * (terabytes ? 1000 : 1);
  return capacity > 0 ? capacity : undefined;
}

export function formatEuros(cents: number): string {
  return `${(cents / 100).toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} €`;
}
