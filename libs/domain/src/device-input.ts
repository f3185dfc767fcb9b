import { normalizeSerial } from './erasure-invariant';
import { DeviceType, MediumKind } from './vocabulary';

/** A storage medium as a donor or a workshop declares it. */
export interface MediumInput {
  kind: MediumKind;
  serialNumber: string;
  model?: string;
  capacityGb?: number;
}

/** One device as a donor declares it (API.md `DeviceInput`). */
export interface DeviceInput {
  type: DeviceType;
  brand: string;
  model: string;
  serialNumber: string;
  inventoryNumber?: string;
  acquisitionDate?: string; // YYYY-MM-DD
  estimatedValueCents?: number;
  weightKg?: number;
  media?: MediumInput[];
}

// ---------------------------------------------------------------------------------------------
// The rules a DeviceInput obeys, whatever way it arrives (JSON registration or CSV import). The
// JSON DTO takes its bounds from here, the CSV parser checks its rows with `deviceInputProblems`,
// and the registry checks again before writing: the columns (integer, numeric(7,2)) hold every
// value these bounds accept, so the database never refuses a device that passed.
// ---------------------------------------------------------------------------------------------

/** Longest text accepted per field. */
export const DEVICE_TEXT_MAX = {
  brand: 100,
  model: 200,
  serialNumber: 100,
  inventoryNumber: 100,
  mediumSerialNumber: 100,
  mediumModel: 200,
} as const;

export const MAX_MEDIA_PER_DEVICE = 16;

export interface NumberRule {
  /** French name of the quantity, for messages. */
  label: string;
  /** Most decimals allowed (0: an integer). */
  decimals: number;
  min: number;
  max: number;
  /** The value as a French reader expects it (cents shown as euros). */
  show: (value: number) => string;
}

const frNumber = (n: number) => n.toLocaleString('fr-FR', { maximumFractionDigits: 6 });

/** Integer cents as `1 250,00 €`. */
function euros(cents: number): string {
  return `${(cents / 100).toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} €`;
}

export const DEVICE_NUMBER_RULES = {
  // integer column; 1,000,000 € is far above any donated device and far below 2^31 cents
  estimatedValueCents: { label: 'Valeur estimée', decimals: 0, min: 0, max: 100_000_000, show: euros },
  // numeric(7,2) column: two decimals, 99,999.99 at most
  weightKg: { label: 'Poids', decimals: 2, min: 0, max: 10_000, show: (n) => `${frNumber(n)} kg` },
  // integer column; 1 PB
  capacityGb: { label: 'Capacité', decimals: 0, min: 0, max: 1_000_000, show: (n) => `${frNumber(n)} Go` },
} satisfies Record<string, NumberRule>;

/** Why a number breaks its rule (French, with the bound), or undefined when it is fine. */
export function numberProblem(rule: NumberRule, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${rule.label} : doit être un nombre.`;
  if (rule.decimals === 0 && !Number.isInteger(value)) {
    return `${rule.label} ${rule.show(value)} : doit être un nombre entier (par exemple ${rule.show(Math.round(value))}).`;
  }
  if (Math.abs(value * 10 ** rule.decimals - Math.round(value * 10 ** rule.decimals)) > 1e-6) {
    return `${rule.label} ${rule.show(value)} : ${rule.decimals} décimales au plus.`;
  }
  if (value < rule.min) return `${rule.label} ${rule.show(value)} : en dessous du minimum de ${rule.show(rule.min)}.`;
  if (value > rule.max) return `${rule.label} ${rule.show(value)} : dépasse le maximum de ${rule.show(rule.max)}, vérifiez l'unité.`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Serial numbers. BIOS/DMI default strings that manufacturers leave in place of a serial; GLPI
// inventory copies them as they are. Registered, such a "serial" would block every later device
// carrying the same placeholder (serials are unique per donor). Compared on the squeezed value
// (lower case, no accents, without spaces, dots, dashes, underscores, slashes), so
// `To Be Filled By O.E.M.` and `to be filled by oem` are one entry.
// ---------------------------------------------------------------------------------------------

const NOT_A_SERIAL: readonly (string | RegExp)[] = [
  'To be filled by O.E.M.',
  'Default string',
  'System Serial Number',
  'Chassis Serial Number',
  'Base Board Serial Number',
  'Serial Number',
  'SerialNumber',
  'System Product Name',
  '0123456789',
  '123456789',
  '1234567890',
  'None',
  'N/A',
  'Not Specified',
  'Not Applicable',
  'Not Available',
  'Unknown',
  'Invalid',
  'OEM',
  'Default',
  'Empty',
  'Inconnu',
  'Inconnue',
  'Aucun',
  'Aucun numéro',
  'Pas de numéro',
  'Sans numéro',
  'Sans',
  'Néant',
  'NC', // non communiqué
  'Non communiqué',
  'NR',
  'Non renseigné',
  'ND',
  'Non disponible',
  'À compléter',
  'À renseigner',
  'TBD',
  /^$/, // only punctuation, such as `-` or `?`
  /^(.)\1{2,}$/, // one character repeated: XXX, 00000000, FFFFFFFF
  /^0?1234(5(6(7(8(90?)?)?)?)?)?$/, // 1234, 123456, 0123456789…
];

/** How Excel shows a long number it converted (`1,23457E+11`): the last digits are lost for good. */
const SCIENTIFIC_NOTATION = /^\d[.,]\d+E[+-]\d+$/i;

function squeeze(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s.\-_/\\?]/g, '');
}

const NOT_A_SERIAL_WORDS = new Set(NOT_A_SERIAL.filter((p): p is string => typeof p === 'string').map(squeeze));
const NOT_A_SERIAL_PATTERNS = NOT_A_SERIAL.filter((p): p is RegExp => p instanceof RegExp);

/** A BIOS default, a word standing for "unknown", or a number a spreadsheet has mangled: not a serial. */
export function isPlaceholderSerial(value: string): boolean {
  const squeezed = squeeze(value);
  return SCIENTIFIC_NOTATION.test(value.trim()) || NOT_A_SERIAL_WORDS.has(squeezed) || NOT_A_SERIAL_PATTERNS.some((p) => p.test(squeezed));
}

/** The French explanation shared by the JSON registration and the CSV import (for a value `isPlaceholderSerial` refuses). */
export function placeholderSerialMessage(label: string, value: string): string {
  if (SCIENTIFIC_NOTATION.test(value.trim())) {
    return (
      `${label} « ${value} » refusé : le tableur a transformé ce numéro en nombre et en a perdu les derniers chiffres. ` +
      'Mettez la colonne au format Texte, saisissez à nouveau les numéros, puis enregistrez le fichier.'
    );
  }
  return (
    `${label} « ${value} » refusé : ce n'est pas un vrai numéro (valeur par défaut du BIOS, ou mention comme « inconnu » ou « NC »), et il bloquerait tout autre appareil portant la même mention. ` +
    "Relevez le numéro sur l'étiquette de l'appareil ; s'il est illisible, indiquez un identifiant propre à cet appareil, par exemple son numéro d'inventaire."
  );
}

// ---------------------------------------------------------------------------------------------
// Legal flags, computed the same way for every registration.
// ---------------------------------------------------------------------------------------------

/** Loi REEN (décret 2023-266): devices over 10 years old go to recycling, not reuse. */
export const REEN_MAX_AGE_YEARS = 10;
/** CGPPP L.3212-2 3°, décret 2022-791: a public body may donate goods worth at most 300 € each. */
export const DONATION_VALUE_CAP_CENTS = 30_000;

export const DEVICE_FLAGS = ['REEN_TOO_OLD', 'VALUE_ABOVE_DONATION_CAP'] as const;
export type DeviceFlag = (typeof DEVICE_FLAGS)[number];

/** The calendar day `years` years before `today` (UTC), as YYYY-MM-DD; 29 February falls on 1 March. */
export function yearsBefore(today: Date, years: number): string {
  return new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate())).toISOString().slice(0, 10);
}

/** Flags of a valid input on the day `today` (its UTC calendar day). */
export function deviceFlags(input: Pick<DeviceInput, 'acquisitionDate' | 'estimatedValueCents'>, today: Date): DeviceFlag[] {
  const flags: DeviceFlag[] = [];
  if (input.acquisitionDate && input.acquisitionDate < yearsBefore(today, REEN_MAX_AGE_YEARS)) flags.push('REEN_TOO_OLD');
  if (input.estimatedValueCents !== undefined && input.estimatedValueCents > DONATION_VALUE_CAP_CENTS) flags.push('VALUE_ABOVE_DONATION_CAP');
  return flags;
}

// ---------------------------------------------------------------------------------------------
// The whole check.
// ---------------------------------------------------------------------------------------------

/** `path` names the field inside the input, as the JSON API does: `serialNumber`, `media[1].serialNumber`. */
export interface DeviceInputProblem {
  path: string;
  message: string;
}

const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real YYYY-MM-DD day (no 2019-02-30). */
export function isCalendarDay(value: string): boolean {
  const m = CALENDAR_DAY.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

function textProblem(path: string, label: string, value: unknown, max: number, required: boolean): DeviceInputProblem[] {
  if (value === undefined || value === null) return required ? [{ path, message: `${label} manquant.` }] : [];
  if (typeof value !== 'string') return [{ path, message: `${label} : doit être du texte.` }];
  if (required && value.trim() === '') return [{ path, message: `${label} manquant.` }];
  if (value.trim().length > max) return [{ path, message: `${label} trop long : ${max} caractères au plus.` }];
  return [];
}

function serialProblem(path: string, label: string, value: unknown, max: number): DeviceInputProblem[] {
  const text = textProblem(path, label, value, max, true);
  if (text.length) return text;
  return isPlaceholderSerial(value as string) ? [{ path, message: placeholderSerialMessage(label, (value as string).trim()) }] : [];
}

function numberProblems(path: string, rule: NumberRule, value: unknown): DeviceInputProblem[] {
  if (value === undefined || value === null) return [];
  const message = numberProblem(rule, value);
  return message ? [{ path, message }] : [];
}

/**
 * Everything that makes an input impossible to register, in French: texts and their lengths,
 * numbers and their bounds, a real acquisition day not after `today` (UTC day), no BIOS
 * placeholder serial, no medium serial twice in the device. Serials already registered are the
 * registry's business (they need the database).
 */
export function deviceInputProblems(input: DeviceInput, today: Date): DeviceInputProblem[] {
  const problems: DeviceInputProblem[] = [
    ...textProblem('brand', 'Marque', input.brand, DEVICE_TEXT_MAX.brand, true),
    ...textProblem('model', 'Modèle', input.model, DEVICE_TEXT_MAX.model, true),
    ...serialProblem('serialNumber', 'Numéro de série', input.serialNumber, DEVICE_TEXT_MAX.serialNumber),
    ...textProblem('inventoryNumber', "Numéro d'inventaire", input.inventoryNumber, DEVICE_TEXT_MAX.inventoryNumber, false),
    ...numberProblems('estimatedValueCents', DEVICE_NUMBER_RULES.estimatedValueCents, input.estimatedValueCents),
    ...numberProblems('weightKg', DEVICE_NUMBER_RULES.weightKg, input.weightKg),
  ];
  const date = input.acquisitionDate;
  if (date !== undefined && date !== null) {
    if (typeof date !== 'string' || !isCalendarDay(date)) {
      problems.push({ path: 'acquisitionDate', message: `Date d'achat « ${date} » illisible : écrivez-la AAAA-MM-JJ, par exemple 2019-02-11.` });
    } else if (date > yearsBefore(today, 0)) {
      problems.push({ path: 'acquisitionDate', message: `Date d'achat ${date} postérieure à la date du jour : vérifiez-la.` });
    }
  }
  const media = input.media ?? [];
  if (media.length > MAX_MEDIA_PER_DEVICE) problems.push({ path: 'media', message: `${MAX_MEDIA_PER_DEVICE} supports de stockage au plus par appareil.` });
  const firstIndex = new Map<string, number>();
  media.forEach((medium, i) => {
    const label = `Numéro de série du support de stockage ${i + 1}`;
    const serial = serialProblem(`media[${i}].serialNumber`, label, medium.serialNumber, DEVICE_TEXT_MAX.mediumSerialNumber);
    problems.push(
      ...serial,
      ...textProblem(`media[${i}].model`, `Modèle du support de stockage ${i + 1}`, medium.model, DEVICE_TEXT_MAX.mediumModel, false),
      ...numberProblems(`media[${i}].capacityGb`, DEVICE_NUMBER_RULES.capacityGb, medium.capacityGb),
    );
    if (serial.length) return;
    // The same disk cannot be in a device twice (and the database keeps one row per device and serial).
    const key = normalizeSerial(medium.serialNumber);
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, i);
    else problems.push({ path: `media[${i}].serialNumber`, message: `${label} « ${medium.serialNumber.trim()} » en double avec le support ${first + 1} de cet appareil.` });
  });
  return problems;
}
