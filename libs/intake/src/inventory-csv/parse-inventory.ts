import { DeviceInput, DeviceType, MediumInput } from '@renum/domain';
import { ColumnMapping, mapHeader } from './columns';
import { CsvRecord, isBlank, isComment, readCsvTable } from './csv-records';
import { decodeInventoryText } from './decode';
import { MEDIUM_SLOTS, MediumSlot, SourceField } from './fields';
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
  deviceTypeOf,
  formatEuros,
  inferDateOrder,
  isPlaceholderSerial,
  mediumKindOf,
  parseCapacityGb,
  parseDate,
  parseEurosToCents,
  parseWeightKg,
  serialKey,
  yearsBefore,
} from './values';

/** Loi REEN (décret 2023-266): devices over 10 years old go to recycling, not reuse. */
export const REEN_MAX_AGE_YEARS = 10;
/** CGPPP L.3212-2 3°, décret 2022-791: a public body may donate goods worth at most 300 € each. */
export const DONATION_VALUE_CAP_CENTS = 30_000;

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
  { field: 'type', why: 'chaque appareil sera classé « Autre équipement »' },
  { field: 'inventoryNumber', why: 'il sera utile pour sortir les appareils de votre inventaire comptable' },
  { field: 'acquisitionDate', why: "l'âge des appareils (limite de 10 ans de la loi REEN) ne pourra pas être vérifié" },
];

interface FileContext {
  mapping: ColumnMapping;
  headerWidth: number;
  /** GLPI 10 writes a `"` inside a value as `''` (its CSV has no other escaping). */
  glpi10Quotes: boolean;
  dateOrder: DateOrder;
  todayIso: string;
  reenCutoffIso: string;
  /** serialKey → row of its first occurrence. */
  deviceSerials: Map<string, number>;
  mediumSerials: Map<string, number>;
}

/** Reads one data record into a device, or explains why it cannot be registered. */
class RowReader {
  readonly errors: RowIssue[] = [];
  readonly warnings: RowIssue[] = [];
  readonly flags: InventoryRowFlag[] = [];

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
    if (inventoryNumber) device.inventoryNumber = inventoryNumber;
    else if (this.has('inventoryNumber')) {
      this.warn('inventoryNumber', "Numéro d'inventaire non renseigné : il sera utile pour sortir l'appareil de votre inventaire comptable.");
    }
    const acquisitionDate = this.acquisitionDate();
    if (acquisitionDate) device.acquisitionDate = acquisitionDate;
    const estimatedValueCents = this.estimatedValue();
    if (estimatedValueCents !== undefined) device.estimatedValueCents = estimatedValueCents;
    const weightKg = this.weight();
    if (weightKg !== undefined) device.weightKg = weightKg;
    const media = MEDIUM_SLOTS.map((slot) => this.medium(slot)).filter((m): m is MediumInput => m !== undefined);
    if (media.length > 0) device.media = media;

    if (this.errors.length > 0) return undefined;
    const row: InventoryRow = { row: this.record.row, device, flags: this.flags, warnings: this.warnings };
    const name = this.value('name');
    if (name) row.name = name;
    return row;
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
      this.error(
        field,
        `${label} « ${value} » refusé : c'est une valeur par défaut du BIOS, pas un vrai numéro. ` +
          "Relevez le numéro sur l'étiquette de l'appareil.",
      );
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
    if (this.has('type')) {
      const what = value ? `Type « ${value} » non reconnu` : 'Type non renseigné';
      this.warn('type', `${what} : appareil classé « Autre équipement », à corriger si besoin.`);
    }
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
    const parsed = parseDate(value, this.ctx.dateOrder);
    if ('problem' in parsed) {
      this.error(
        'acquisitionDate',
        parsed.problem === 'AMBIGUOUS'
          ? `Date d'achat « ${value} » ambiguë (le jour et le mois peuvent être inversés) : écrivez-la AAAA-MM-JJ, par exemple 2019-02-11.`
          : `Date d'achat « ${value} » illisible : écrivez-la AAAA-MM-JJ, par exemple 2019-02-11.`,
      );
      return undefined;
    }
    if (parsed.iso > this.ctx.todayIso) {
      this.error('acquisitionDate', `Date d'achat ${parsed.iso} postérieure à la date du jour : vérifiez-la.`);
      return undefined;
    }
    if (parsed.iso < this.ctx.reenCutoffIso) {
      this.flags.push('REEN_TOO_OLD');
      this.warn(
        'acquisitionDate',
        `Acheté le ${parsed.iso}, il y a plus de ${REEN_MAX_AGE_YEARS} ans : la loi REEN l'exclut du réemploi, ` +
          'il sera orienté vers le recyclage.',
      );
    }
    return parsed.iso;
  }

  private estimatedValue(): number | undefined {
    const value = this.value('estimatedValue');
    if (!value) return undefined;
    const cents = parseEurosToCents(value);
    if (cents === undefined) {
      this.error('estimatedValue', `Valeur « ${value} » illisible : indiquez un montant en euros, par exemple 120,00.`);
      return undefined;
    }
    if (cents > DONATION_VALUE_CAP_CENTS) {
      this.flags.push('VALUE_ABOVE_DONATION_CAP');
      this.warn(
        'estimatedValue',
        `Valeur estimée ${formatEuros(cents)} supérieure à 300 € : une personne publique ne peut donner que des biens ` +
          "d'une valeur unitaire de 300 € au plus (CGPPP L.3212-2) ; à vérifier avant de signer la convention de don.",
      );
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

  /** One medium column group of the template; an entirely empty group is no medium. */
  private medium(slot: MediumSlot): MediumInput | undefined {
    const fields = {
      kind: `medium${slot}Kind`,
      serial: `medium${slot}Serial`,
      model: `medium${slot}Model`,
      capacity: `medium${slot}CapacityGb`,
    } as const;
    if (Object.values(fields).every((f) => !this.value(f))) return undefined;
    const label = `Support de stockage ${slot} :`;
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
    return medium;
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

function checkHeader(mapping: ColumnMapping): void {
  if (mapping.recognised === 0) {
    throw new InventoryFileError(
      "Aucune colonne reconnue sur la première ligne : le fichier doit être un export CSV des ordinateurs de GLPI " +
        "(colonnes « Numéro de série », « Fabricant », « Modèle »…) ou le modèle de fichier Renum.",
      'NO_HEADER',
    );
  }
  const missing = REQUIRED_FIELDS.filter((f) => !mapping.columns.has(f));
  if (missing.length > 0) {
    const names = missing.map((f) => `« ${missingColumnName(f, mapping)} »`);
    throw new InventoryFileError(
      `Colonne(s) obligatoire(s) absente(s) : ${names.join(', ')}. Aucun appareil ne peut être enregistré sans elles.`,
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
  const table = readCsvTable(decodeInventoryText(input));
  const mapping = mapHeader(table.header.cells);
  checkHeader(mapping);
  const isTemplate = mapping.format === 'RENUM_TEMPLATE';
  const dataRecords = table.records.filter((r) => !isBlank(r.cells) && !(isTemplate && isComment(r.cells)));
  if (dataRecords.length === 0) {
    throw new InventoryFileError("Le fichier ne contient aucun appareil : seule la ligne d'en-tête est remplie.", 'NO_ROWS');
  }

  const dateColumn = mapping.columns.get('acquisitionDate');
  const ctx: FileContext = {
    mapping,
    headerWidth: table.header.cells.length,
    glpi10Quotes: mapping.format === 'GLPI' && table.trailingDelimiter,
    dateOrder: inferDateOrder(
      dateColumn ? dataRecords.map((r) => r.cells[dateColumn.index] ?? '') : [],
      mapping.language === 'en' ? undefined : 'DAY_FIRST',
    ),
    todayIso: yearsBefore(options.today, 0),
    reenCutoffIso: yearsBefore(options.today, REEN_MAX_AGE_YEARS),
    deviceSerials: new Map(),
    mediumSerials: new Map(),
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
  return result;
}
