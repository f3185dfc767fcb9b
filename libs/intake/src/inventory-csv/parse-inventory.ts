import {
  DEVICE_TYPE_LABELS_FR,
  DeviceFlag,
  DeviceInput,
  deviceFlags,
  deviceInputProblems,
  DeviceType,
  MediumInput,
  placeholderSerialMessage,
  REEN_MAX_AGE_YEARS,
} from '@renum/domain';
import { ColumnMapping, mapHeader } from './columns';
import { CsvRecord, isBlank, isComment, readCsvTable } from './csv-records';
import { decodeInventoryText } from './decode';
import { MEDIUM_SLOTS, MediumPart, MediumSlot, SourceField } from './fields';
import { TEMPLATE_COLUMN_BY_FIELD } from './renum-template';
import {
  InventoryFileError,
  InventoryParseOptions,
  InventoryParseResult,
  InventoryRow,
  InventoryRowFlag,
  RowIssue,
} from './types';
import {
  DateOrder,
  DateParse,
  deviceTypeAtStartOf,
  deviceTypeInText,
  deviceTypeOf,
  formatEuros,
  frenchDay,
  inferDateOrder,
  orderProvedBy,
  isPlaceholderSerial,
  mediumKindOf,
  parseCapacityGb,
  parseDate,
  parseEurosToCents,
  parseWeightKg,
  serialKey,
} from './values';

// The legal thresholds are domain rules, shared with the JSON registration.
export { REEN_MAX_AGE_YEARS, DONATION_VALUE_CAP_CENTS } from '@renum/domain';

/** The warning that explains each legal flag to the donor (flags are computed by the domain's `deviceFlags`). */
const FLAG_WARNINGS: Record<DeviceFlag, { field: SourceField; message: (d: DeviceInput) => string }> = {
  REEN_TOO_OLD: {
    field: 'acquisitionDate',
    message: (d) =>
      `Acheté le ${d.acquisitionDate}, il y a plus de ${REEN_MAX_AGE_YEARS} ans : la loi REEN l'exclut du réemploi, ` +
      'il sera orienté vers le recyclage.',
  },
  VALUE_ABOVE_DONATION_CAP: {
    field: 'estimatedValue',
    message: (d) =>
      `Valeur estimée ${formatEuros(d.estimatedValueCents ?? 0)} supérieure à 300 € : une personne publique ne peut donner que des biens ` +
      "d'une valeur unitaire de 300 € au plus (CGPPP L.3212-2) ; à vérifier avant de signer la convention de don.",
  },
};

/** The file column of a DeviceInput field (`media[i]` is the i-th medium group the row fills). */
function sourceFieldOf(path: string, mediumSlots: readonly MediumSlot[]): SourceField | '' {
  const medium = /^media\[(\d+)\]\.(serialNumber|model|capacityGb)$/.exec(path);
  if (medium) {
    const part = { serialNumber: 'Serial', model: 'Model', capacityGb: 'CapacityGb' }[medium[2]] as MediumPart;
    return `medium${mediumSlots[Number(medium[1])]}${part}`;
  }
  const device: Record<string, SourceField> = {
    brand: 'brand',
    model: 'model',
    serialNumber: 'serialNumber',
    inventoryNumber: 'inventoryNumber',
    acquisitionDate: 'acquisitionDate',
    estimatedValueCents: 'estimatedValue',
    weightKg: 'weightKg',
  };
  return device[path] ?? '';
}

const ORDER_FR = {
  DAY_FIRST: { format: 'JJ/MM/AAAA', words: "le jour d'abord" },
  MONTH_FIRST: { format: 'MM/JJ/AAAA', words: "le mois d'abord" },
} as const;

/** `2019-03-25` as the file's order writes it: 25/03/2019 or 03/25/2019. */
function inOrder(iso: string, order: 'DAY_FIRST' | 'MONTH_FIRST'): string {
  const [year, month, day] = iso.split('-');
  return order === 'DAY_FIRST' ? `${day}/${month}/${year}` : `${month}/${day}/${year}`;
}

/** The donor's sentence for a date cell that cannot be read: what is wrong, and how to write it. */
function dateProblem(value: string, parsed: Exclude<DateParse, { iso: string }>, fileOrder: DateOrder): string {
  const what = `Date d'achat « ${value} »`;
  const howTo = ': écrivez-la JJ/MM/AAAA ou AAAA-MM-JJ, par exemple 11/02/2019.';
  if (parsed.problem === 'OTHER_ORDER' && fileOrder) {
    // `03/25/2019` among French dates: month 25 in the file's order.
    const { format, words } = ORDER_FR[fileOrder];
    const fix = parsed.otherReading
      ? ` S'il s'agit du ${frenchDay(parsed.otherReading)}, écrivez ${inOrder(parsed.otherReading, fileOrder)} ou ${parsed.otherReading}.`
      : ` Écrivez-la ${format} ou AAAA-MM-JJ.`;
    return `${what} impossible : le mois ${parsed.month} n'existe pas, les dates de ce fichier étant lues ${format} (${words}).${fix}`;
  }
  if (parsed.problem === 'AMBIGUOUS') return `${what} ambiguë (le jour et le mois peuvent être inversés) ${howTo}`;
  if (parsed.problem === 'YEAR_ONLY') return `${what} incomplète (une année seule ne dit pas si l’appareil a plus de 10 ans) ${howTo}`;
  return `${what} illisible ${howTo}`;
}

/** The file's warning when its dates are read in the order its language does not use, with the row that proves it. */
function otherOrderWarning(value: string, row: number, proofs: number, order: 'DAY_FIRST' | 'MONTH_FIRST'): string {
  const { format, words } = ORDER_FR[order];
  const others = proofs > 1 ? ` et ${proofs - 1} autre${proofs > 2 ? 's' : ''}` : '';
  return (
    `Les dates de ce fichier sont lues ${format} (${words}), comme l'écrivent « ${value.trim()} » (ligne ${row})${others} : ` +
    `01/02/2019 y est donc lu ${order === 'MONTH_FIRST' ? '2 janvier 2019' : '1er février 2019'}. Vérifiez-les.`
  );
}

/** The file's warning when dates were written with two-digit years: how they were read, with an example of each century. */
function twoDigitYearsWarning(reads: DateReads, today: Date): string {
  const examples = reads.examples.map((e) => `« ${e.value} » (ligne ${e.row}) lue ${frenchDay(e.iso)}`);
  const count = reads.count === 1 ? 'une date' : `${reads.count} dates`;
  return (
    `Années écrites sur deux chiffres (${count}) : AA est lu 20AA, ou 19AA si 20AA est après ${today.getUTCFullYear()}. ` +
    `Par exemple ${examples.join(' ; ')}. Vérifiez-les ; pour lever le doute, écrivez l'année sur quatre chiffres (JJ/MM/AAAA).`
  );
}

/** Columns without which no row could be registered. */
const REQUIRED_FIELDS: readonly SourceField[] = ['serialNumber', 'brand', 'model'];

/** How a field is named in messages when the file has no column for it (GLPI's French labels). */
const FIELD_NAMES_FR: Partial<Record<SourceField, string>> = {
  type: 'Type',
  brand: 'Fabricant',
  model: 'Modèle',
  serialNumber: 'Numéro de série',
  inventoryNumber: "Numéro d'inventaire",
  acquisitionDate: "Date d'achat",
};

/** The column a file lacks, named as the donor would write it in that format. */
function missingColumnName(field: SourceField, mapping: ColumnMapping): string {
  const name = mapping.format === 'RENUM_TEMPLATE' ? TEMPLATE_COLUMN_BY_FIELD.get(field) : FIELD_NAMES_FR[field];
  return name ?? field;
}

/** Optional columns whose absence deserves one warning for the whole file. */
const RECOMMENDED_FIELDS: readonly { field: SourceField; why: string }[] = [
  { field: 'type', why: 'chaque appareil sera classé d’après le début de sa désignation, sinon « Autre équipement »' },
  { field: 'inventoryNumber', why: 'il sera utile pour sortir les appareils de votre inventaire comptable' },
  { field: 'acquisitionDate', why: "l'âge des appareils (limite de 10 ans de la loi REEN) ne pourra pas être vérifié" },
];

/** The file's warning when date cells were Excel day numbers (a column not formatted as dates): how many, and how one was read. */
function excelSerialsWarning(reads: DateReads): string {
  const [e] = reads.examples;
  const count = reads.count === 1 ? 'une date' : `${reads.count} dates`;
  return (
    `Dates écrites en nombre de jours Excel (${count}) : par exemple « ${e.value} » (ligne ${e.row}) est lu ${frenchDay(e.iso)}. ` +
    'Vérifiez-les ; pour lever le doute, mettez la colonne au format Date dans le tableur.'
  );
}

/** Dates of the file read in a way the donor should check: how many, and examples (said once for the file, not on each of 300 rows). */
interface DateReads {
  count: number;
  examples: { row: number; value: string; iso: string }[];
}

interface FileContext {
  mapping: ColumnMapping;
  headerWidth: number;
  /** GLPI 10 writes a `"` inside a value as `''` (its CSV has no other escaping). */
  glpi10Quotes: boolean;
  dateOrder: DateOrder;
  today: Date;
  twoDigitYears: DateReads;
  excelSerials: DateReads;
  /** serialKey → row of its first occurrence. */
  deviceSerials: Map<string, number>;
  mediumSerials: Map<string, number>;
  /** Inventory number (as compared) → row of its first occurrence: a repeat is a warning, not a refusal. */
  inventoryNumbers: Map<string, number>;
}

/** Reads one data record into a device, or explains why it cannot be registered. */
class RowReader {
  readonly errors: RowIssue[] = [];
  readonly warnings: RowIssue[] = [];

  constructor(
    private readonly record: CsvRecord,
    private readonly ctx: FileContext,
  ) {}

  value(field: SourceField): string {
    const column = this.ctx.mapping.columns.get(field);
    let value = column ? (this.record.cells[column.index] ?? '') : '';
    if (this.ctx.glpi10Quotes) value = value.replace(/''/g, '"');
    return value.replace(/\s+/g, ' ').trim(); // a line break inside a cell reads as a space
  }

  title(field: SourceField): string {
    return this.ctx.mapping.columns.get(field)?.title ?? missingColumnName(field, this.ctx.mapping);
  }

  error(field: SourceField | '', message: string): void {
    this.errors.push({ row: this.record.row, field: field && this.title(field), message });
  }

  warn(field: SourceField, message: string): void {
    this.warnings.push({ row: this.record.row, field: this.title(field), message });
  }

  read(): InventoryRow | undefined {
    this.checkWidth();
    const serialNumber = this.serial('serialNumber', 'Numéro de série', this.ctx.deviceSerials);
    const brand = this.required('brand', 'Fabricant (marque) manquant.');
    const model = this.required('model', 'Modèle manquant.');
    const type = this.type();
    const device: DeviceInput = { type, brand, model, serialNumber: serialNumber ?? '' };
    const inventoryNumber = this.value('inventoryNumber');
    if (inventoryNumber) {
      device.inventoryNumber = inventoryNumber;
      // Two devices under one inventory number: the donor's books cannot tell them apart (often a copy-paste slip).
      const key = serialKey(inventoryNumber);
      const first = this.ctx.inventoryNumbers.get(key);
      if (first === undefined) this.ctx.inventoryNumbers.set(key, this.record.row);
      else this.warn('inventoryNumber', `Numéro d'inventaire « ${inventoryNumber} » déjà utilisé ligne ${first} : vérifiez-le, chaque appareil sort de l'inventaire sous son propre numéro.`);
    } else if (this.has('inventoryNumber')) {
      this.warn('inventoryNumber', "Numéro d'inventaire non renseigné : il sera utile pour sortir l'appareil de votre inventaire comptable.");
    }
    const acquisitionDate = this.acquisitionDate();
    if (acquisitionDate) device.acquisitionDate = acquisitionDate;
    const estimatedValueCents = this.estimatedValue();
    if (estimatedValueCents !== undefined) device.estimatedValueCents = estimatedValueCents;
    const weightKg = this.weight();
    if (weightKg !== undefined) device.weightKg = weightKg;
    const slots = MEDIUM_SLOTS.filter((slot) => this.medium(slot, device));
    this.checkRules(device, slots);

    if (this.errors.length > 0) return undefined;
    const flags: InventoryRowFlag[] = deviceFlags(device, this.ctx.today);
    for (const flag of flags) this.warn(FLAG_WARNINGS[flag].field, FLAG_WARNINGS[flag].message(device));
    const row: InventoryRow = { row: this.record.row, device, flags, warnings: this.warnings };
    const name = this.value('name');
    if (name) row.name = name;
    return row;
  }

  /**
   * The rules of every registration (bounds and types of the JSON API, future date…), so the
   * database never refuses a row this parser accepted. A cell already reported is not reported twice.
   */
  private checkRules(device: DeviceInput, mediumSlots: readonly MediumSlot[]): void {
    const reported = new Set(this.errors.map((e) => e.field));
    for (const problem of deviceInputProblems(device, this.ctx.today)) {
      const field = sourceFieldOf(problem.path, mediumSlots);
      const title = field && this.title(field);
      if (reported.has(title)) continue;
      reported.add(title);
      this.error(field, problem.message);
    }
  }

  private has(field: SourceField): boolean {
    return this.ctx.mapping.columns.has(field);
  }

  /** Cells beyond the header are fine when empty (GLPI 10's trailing `;`), not otherwise. */
  private checkWidth(): void {
    const extra = this.record.cells.slice(this.ctx.headerWidth);
    if (extra.some((cell) => cell.trim() !== '')) {
      this.error(
        '',
        `La ligne compte ${this.record.cells.length} cellules mais l'en-tête n'a que ${this.ctx.headerWidth} colonnes : ` +
          'une valeur contient sans doute le séparateur sans être entourée de guillemets.',
      );
    }
  }

  private required(field: SourceField, message: string): string {
    const value = this.value(field);
    if (!value) this.error(field, message);
    return value;
  }

  /** A device or medium serial: present, not a BIOS placeholder, not already in the file. */
  private serial(field: SourceField, label: string, seen: Map<string, number>): string | undefined {
    const value = this.value(field);
    if (!value) {
      this.error(field, `${label} manquant : impossible d'enregistrer l'appareil sans lui.`);
      return undefined;
    }
    if (isPlaceholderSerial(value)) {
      this.error(field, placeholderSerialMessage(label, value));
      return undefined;
    }
    const key = serialKey(value);
    const firstRow = seen.get(key);
    if (firstRow !== undefined) {
      const where = firstRow === this.record.row ? 'sur cette même ligne' : `ligne ${firstRow}`;
      this.error(field, `${label} « ${value} » déjà présent ${where} : doublon ignoré.`);
      return undefined;
    }
    seen.set(key, this.record.row);
    return value;
  }

  private type(): DeviceType {
    const value = this.value('type');
    const type = value ? deviceTypeOf(value) : undefined;
    if (type) return type;
    // No usable type: the designation often says it ("Ordinateur portable HP 250 G7").
    // A type written in words of one's own that opens with a known one ("Écran plat", "Imprimante laser").
    const opening = value ? deviceTypeAtStartOf(value) : undefined;
    if (opening) {
      this.warn('type', `Type « ${value} » lu comme « ${DEVICE_TYPE_LABELS_FR[opening]} », à corriger si besoin.`);
      return opening;
    }
    const what = value ? `Type « ${value} » non reconnu` : 'Type non renseigné';
    for (const source of ['description', 'name'] as const) {
      const text = this.value(source);
      const named = text ? deviceTypeInText(text) : undefined;
      if (!named) continue;
      this.warn(this.has('type') ? 'type' : source, `${what} : appareil classé « ${DEVICE_TYPE_LABELS_FR[named]} » d'après « ${text} », à corriger si besoin.`);
      return named;
    }
    if (this.has('type')) this.warn('type', `${what} : appareil classé « Autre équipement », à corriger si besoin.`);
    return 'OTHER';
  }

  private acquisitionDate(): string | undefined {
    const value = this.value('acquisitionDate');
    if (!value) {
      if (this.has('acquisitionDate')) {
        this.warn(
          'acquisitionDate',
          "Date d'achat non renseignée : l'âge de l'appareil (limite de 10 ans de la loi REEN) ne peut pas être vérifié.",
        );
      }
      return undefined;
    }
    const parsed = parseDate(value, this.ctx.dateOrder, this.ctx.today);
    if ('problem' in parsed) {
      this.error('acquisitionDate', dateProblem(value, parsed, this.ctx.dateOrder));
      return undefined;
    }
    if (parsed.twoDigitYear) {
      // Said once for the file (twoDigitYearsWarning), as Excel day numbers are.
      const reads = this.ctx.twoDigitYears;
      reads.count++;
      if (!reads.examples.some((e) => e.iso.slice(0, 2) === parsed.iso.slice(0, 2))) reads.examples.push({ row: this.record.row, value, iso: parsed.iso });
    }
    if (parsed.excelSerial) {
      const reads = this.ctx.excelSerials;
      if (reads.count++ === 0) reads.examples.push({ row: this.record.row, value, iso: parsed.iso });
    }
    return parsed.iso; // a future date is refused by checkRules, as for the JSON registration
  }

  private estimatedValue(): number | undefined {
    const value = this.value('estimatedValue');
    if (!value) return undefined;
    const cents = parseEurosToCents(value);
    if (cents === undefined) {
      this.error('estimatedValue', `Valeur « ${value} » illisible : indiquez un montant en euros, par exemple 120,00.`);
      return undefined;
    }
    return cents;
  }

  private weight(): number | undefined {
    const value = this.value('weightKg');
    if (!value) return undefined;
    const weight = parseWeightKg(value);
    if (weight === undefined) this.error('weightKg', `Poids « ${value} » illisible : indiquez des kilogrammes, par exemple 1,8.`);
    return weight;
  }

  /**
   * One medium column group of the template, added to `device.media`; says whether it was. An
   * entirely empty group is no medium; a group without serial is left out with a warning (media
   * are often unknown to the donor: the workshop adds them at collection or erasure).
   */
  private medium(slot: MediumSlot, device: DeviceInput): boolean {
    const fields = {
      kind: `medium${slot}Kind`,
      serial: `medium${slot}Serial`,
      model: `medium${slot}Model`,
      capacity: `medium${slot}CapacityGb`,
    } as const;
    if (Object.values(fields).every((f) => !this.value(f))) return false;
    const label = `Support de stockage ${slot} :`;
    if (!this.value(fields.serial)) {
      this.warn(
        fields.serial,
        `${label} numéro de série non renseigné : l'appareil est enregistré sans ce support, ` +
          "l'atelier l'ajoutera à la collecte ou à l'effacement.",
      );
      return false;
    }
    const serialNumber = this.serial(fields.serial, `Numéro de série du support de stockage ${slot}`, this.ctx.mediumSerials);
    const kindValue = this.value(fields.kind);
    let kind = kindValue ? mediumKindOf(kindValue) : undefined;
    if (!kind) {
      const what = kindValue ? `type « ${kindValue} » non reconnu` : 'type non renseigné';
      this.warn(fields.kind, `${label} ${what} (attendu HDD, SSD, NVME, EMMC ou FLASH) : classé OTHER.`);
      kind = 'OTHER';
    }
    const medium: MediumInput = { kind, serialNumber: serialNumber ?? '' };
    const model = this.value(fields.model);
    if (model) medium.model = model;
    const capacityValue = this.value(fields.capacity);
    if (capacityValue) {
      const capacityGb = parseCapacityGb(capacityValue);
      if (capacityGb === undefined) {
        this.error(fields.capacity, `${label} capacité « ${capacityValue} » illisible : indiquez des Go, par exemple 256.`);
      } else medium.capacityGb = capacityGb;
    }
    (device.media ??= []).push(medium);
    return true;
  }
}

function fileWarnings(mapping: ColumnMapping, headerRow: number): RowIssue[] {
  const warnings: RowIssue[] = mapping.duplicateTitles.map((title) => ({
    row: headerRow,
    field: title,
    message: `Colonne « ${title} » présente plusieurs fois : seule la première est lue.`,
  }));
  for (const { field, why } of RECOMMENDED_FIELDS) {
    if (mapping.columns.has(field)) continue;
    const name = missingColumnName(field, mapping);
    warnings.push({ row: headerRow, field: name, message: `Pas de colonne « ${name} » : ${why}.` });
  }
  return warnings;
}

function checkHeader(mapping: ColumnMapping, headerRow: number): void {
  if (mapping.recognised === 0) {
    throw new InventoryFileError(
      "Aucune colonne reconnue sur les premières lignes : le fichier doit être un export CSV des ordinateurs de GLPI " +
        "(colonnes « Numéro de série », « Fabricant », « Modèle »…) ou le modèle de fichier Renum.",
      'NO_HEADER',
    );
  }
  const missing = REQUIRED_FIELDS.filter((f) => !mapping.columns.has(f));
  if (missing.length > 0) {
    const names = missing.map((f) => `« ${missingColumnName(f, mapping)} »`);
    // The titles read but not understood: often the missing column under a name of one's own (« Réf. constructeur »).
    const unknown = mapping.ignoredColumns.length
      ? ` Colonnes non reconnues sur la ligne ${headerRow} : ${mapping.ignoredColumns.map((t) => `« ${t} »`).join(', ')} ; renommez celle qui convient.`
      : '';
    throw new InventoryFileError(
      `Colonne(s) obligatoire(s) absente(s) : ${names.join(', ')}. Aucun appareil ne peut être enregistré sans elles.${unknown}`,
      'MISSING_COLUMN',
    );
  }
}

/**
 * Reads a donor's inventory (GLPI "Export → CSV" of the computers list, French or English, or
 * Renum's template) into device inputs, row by row. Only whole-file problems throw
 * (InventoryFileError); a bad row is reported in `errors` and skipped, the others go on.
 */
export function parseInventoryCsv(input: Buffer, options: InventoryParseOptions): InventoryParseResult {
  if (Number.isNaN(options.today.getTime())) throw new TypeError('parseInventoryCsv: options.today is an invalid Date');
  const table = readCsvTable(decodeInventoryText(input), (cells) => mapHeader(cells).recognised >= 2);
  const mapping = mapHeader(table.header.cells);
  checkHeader(mapping, table.header.row);
  const isTemplate = mapping.format === 'RENUM_TEMPLATE';
  const dataRecords = table.records.filter((r) => !isBlank(r.cells) && !(isTemplate && isComment(r.cells)));
  if (dataRecords.length === 0) {
    throw new InventoryFileError("Le fichier ne contient aucun appareil : seule la ligne d'en-tête est remplie.", 'NO_ROWS');
  }

  const dateColumn = mapping.columns.get('acquisitionDate');
  const dateCell = (r: CsvRecord) => (dateColumn ? (r.cells[dateColumn.index] ?? '') : '');
  const habit: DateOrder = mapping.language === 'en' ? undefined : 'DAY_FIRST';
  const dateOrder = inferDateOrder(dataRecords.map(dateCell), habit);
  const ctx: FileContext = {
    mapping,
    headerWidth: table.header.cells.length,
    glpi10Quotes: mapping.format === 'GLPI' && table.trailingDelimiter,
    dateOrder,
    today: options.today,
    twoDigitYears: { count: 0, examples: [] },
    excelSerials: { count: 0, examples: [] },
    deviceSerials: new Map(),
    mediumSerials: new Map(),
    inventoryNumbers: new Map(),
  };

  const result: InventoryParseResult = {
    format: mapping.format,
    ...(mapping.language ? { language: mapping.language } : {}),
    rows: [],
    errors: [],
    warnings: fileWarnings(mapping, table.header.row),
    ignoredColumns: mapping.ignoredColumns,
    totalRows: dataRecords.length,
  };
  if (dateColumn && habit && dateOrder && dateOrder !== habit) {
    // A French file read month first (a GLPI set to MM-DD-YYYY): every ambiguous date follows, and
    // rows are registered at once, so the donor is told how 01/02 was read and why.
    const proofs = dataRecords.filter((r) => orderProvedBy(dateCell(r)) === dateOrder);
    result.warnings.push({ row: table.header.row, field: dateColumn.title, message: otherOrderWarning(dateCell(proofs[0]), proofs[0].row, proofs.length, dateOrder) });
  }
  const fileRemarks = result.warnings.length;
  for (const record of dataRecords) {
    const reader = new RowReader(record, ctx);
    const row = reader.read();
    if (row) {
      result.rows.push(row);
      result.warnings.push(...row.warnings);
    } else {
      result.errors.push(...reader.errors);
    }
  }
  if (dateColumn) {
    // Among the file's own remarks (row of the header), before the rows' warnings.
    const dateRemarks = [
      ...(ctx.twoDigitYears.count ? [twoDigitYearsWarning(ctx.twoDigitYears, ctx.today)] : []),
      ...(ctx.excelSerials.count ? [excelSerialsWarning(ctx.excelSerials)] : []),
    ];
    result.warnings.splice(fileRemarks, 0, ...dateRemarks.map((message) => ({ row: table.header.row, field: dateColumn.title, message })));
  }
  return result;
}
