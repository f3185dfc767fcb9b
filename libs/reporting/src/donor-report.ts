import { checkDataInvariant, DEVICE_TYPE_LABELS_FR, deviceFlags, erasureCounts, DeviceStatus, DeviceType, ErasureLevel, ErasureResult, mediaInDevice, STATUS_LABELS_FR } from '@renum/domain';

/** What becomes of a donated device, as the donor reads it. */
export type Fate = 'REUSED' | 'RECYCLED' | 'DISMANTLED' | 'AWAITING_COLLECTION' | 'IN_PROGRESS';

export const FATE_LABELS_FR: Record<Fate, string> = {
  REUSED: 'Réemployé',
  RECYCLED: 'Recyclé',
  DISMANTLED: 'Démonté (pièces détachées)',
  AWAITING_COLLECTION: 'En attente de collecte',
  IN_PROGRESS: 'En cours (atelier ou partenaire)',
};

export type ErasureProof = 'PROVEN' | 'NO_STORAGE' | 'NOT_ERASED';

export const ERASURE_PROOF_LABELS_FR: Record<ErasureProof, string> = {
  PROVEN: 'Effacement prouvé',
  NO_STORAGE: 'Sans stockage',
  NOT_ERASED: 'Non effacé',
};

export interface ReportDeviceInput {
  code: string;
  type: DeviceType;
  brand: string;
  model: string;
  serialNumber: string;
  inventoryNumber: string | null;
  acquisitionDate: string | null;
  estimatedValueCents: number | null;
  status: DeviceStatus;
  flags: string[];
  custodyInAt: Date | null;
  noStorageDeclaredAt: Date | null;
  /** `absence`: the workshop declared this medium, listed by the donor, absent from the device. */
  media: { serialNumber: string; absence?: AbsentMedium }[];
  erasures: { mediumSerial: string; level: ErasureLevel; result: ErasureResult; startedAt: Date; endedAt: Date; recordedAt: Date; voided: boolean }[];
}

/** A medium the donor listed that the workshop holding the device declared absent from it, and why. */
export interface AbsentMedium {
  at: Date;
  reason: string;
}

export interface ReportRow {
  code: string;
  inventoryNumber: string | null;
  typeLabel: string;
  brandModel: string;
  serialNumber: string;
  acquisitionDate: string | null;
  /** The value the donor declared, in cents (sortie d'inventaire), null when it gave none. */
  estimatedValueCents: number | null;
  erasure: ErasureProof;
  erasureLabel: string;
  /** Latest counting erasure, when proven. */
  erasedAt: Date | null;
  /** Media the donor listed that were not in the device (Renum attests no erasure of them). */
  absentMedia: ({ serialNumber: string } & AbsentMedium)[];
  fate: Fate;
  fateLabel: string;
  statusLabel: string;
  /** Over 10 years old at the donation: outside the REEN base. */
  reenExcluded: boolean;
}

export interface ReuseSummary {
  donated: number;
  reused: number;
  recycled: number;
  dismantled: number;
  inProgress: number;
  /** Devices over 10 years old, left out of the REEN base (numerator and denominator). */
  excludedTooOld: number;
  /** Devices counted in the REEN base: donated minus excluded. */
  reenBase: number;
  /** Reused devices of the REEN base (the numerator). */
  reusedInBase: number;
  /** reused / reenBase (devices of the base only), null when the base is empty. */
  reuseRate: number | null;
  /** True while some device of the base is still in progress: the rate can only grow. */
  provisional: boolean;
}

export function fateOf(status: DeviceStatus): Fate {
  switch (status) {
    case 'DISTRIBUTED':
      return 'REUSED';
    case 'RECYCLED':
      return 'RECYCLED';
    case 'DISMANTLED':
      return 'DISMANTLED';
    case 'REGISTERED':
      return 'AWAITING_COLLECTION';
    default:
      return 'IN_PROGRESS';
  }
}

/**
 * DOMAIN.md "Loi REEN": devices over 10 years old are excluded (they go to recycling). The age is
 * taken at the donation by the registration's own rule, so no device registered without the
 * REEN_TOO_OLD warning is left out of the rate.
 */
export function isTooOldForReen(acquisitionDate: string | null, flags: string[], donatedAt: Date): boolean {
  if (flags.includes('REEN_TOO_OLD')) return true;
  if (!acquisitionDate) return false; // unknown age: counted (the donor declared no date)
  return deviceFlags({ acquisitionDate }, donatedAt).includes('REEN_TOO_OLD');
}

/** One line of the report: the erasure proof uses the data invariant's own rule (voided records ignored). */
export function reportRow(d: ReportDeviceInput, donatedAt: Date): ReportRow {
  const media = d.media.map((m) => ({ serialNumber: m.serialNumber, absent: m.absence !== undefined }));
  const verdict = checkDataInvariant({
    media,
    erasures: d.erasures,
    custodyInAt: d.custodyInAt,
    noStorageDeclaredAt: d.noStorageDeclaredAt,
  });
  const erasure: ErasureProof =
    d.status === 'REGISTERED' || !verdict.ok ? 'NOT_ERASED' : mediaInDevice({ media }).length === 0 ? 'NO_STORAGE' : 'PROVEN';
  const absentMedia = d.media.flatMap((m) => (m.absence ? [{ serialNumber: m.serialNumber, ...m.absence }] : []));
  const counting = d.erasures.filter((e) => erasureCounts(e, d.custodyInAt));
  const erasedAt = erasure === 'PROVEN' && counting.length ? new Date(Math.max(...counting.map((e) => e.endedAt.getTime()))) : null;
  const fate = fateOf(d.status);
  return {
    code: d.code,
    inventoryNumber: d.inventoryNumber,
    typeLabel: DEVICE_TYPE_LABELS_FR[d.type],
    brandModel: `${d.brand} ${d.model}`,
    serialNumber: d.serialNumber,
    acquisitionDate: d.acquisitionDate,
    estimatedValueCents: d.estimatedValueCents,
    erasure,
    // Said on the line itself: a disk of the donor's inventory that was not in the device may still hold its data.
    erasureLabel: `${ERASURE_PROOF_LABELS_FR[erasure]}${absentMedia.length ? ` (${qty(absentMedia.length, 'support déclaré absent', 'supports déclarés absents')} par l’atelier)` : ''}`,
    erasedAt,
    absentMedia,
    fate,
    fateLabel: FATE_LABELS_FR[fate],
    statusLabel: STATUS_LABELS_FR[d.status],
    reenExcluded: isTooOldForReen(d.acquisitionDate, d.flags, donatedAt),
  };
}

/**
 * The REEN reuse rate of a donation (décret 2023-266): devices reused / devices donated.
 * A device counts as reused only once distributed to a beneficiary (proof of reuse); devices
 * over 10 years old at the donation are left out of both sides; devices still in progress stay
 * in the base, so the rate is provisional until they all reach a final state.
 */
export function reuseSummary(rows: ReportRow[]): ReuseSummary {
  const base = rows.filter((r) => !r.reenExcluded);
  const count = (fate: Fate, from = rows) => from.filter((r) => r.fate === fate).length;
  const reused = count('REUSED', base);
  const inBaseInProgress = base.filter((r) => r.fate === 'IN_PROGRESS' || r.fate === 'AWAITING_COLLECTION').length;
  return {
    donated: rows.length,
    reused: count('REUSED'),
    recycled: count('RECYCLED'),
    dismantled: count('DISMANTLED'),
    inProgress: rows.filter((r) => r.fate === 'IN_PROGRESS' || r.fate === 'AWAITING_COLLECTION').length,
    excludedTooOld: rows.length - base.length,
    reenBase: base.length,
    reusedInBase: reused,
    reuseRate: base.length ? reused / base.length : null,
    provisional: inBaseInProgress > 0,
  };
}

export const percentFr = (rate: number | null) => (rate === null ? 'non calculable' : `${(Math.round(rate * 1000) / 10).toLocaleString('fr-FR')} %`);

/** A day as a French reader writes it: an instant on the French calendar (not UTC's, which is a day behind until 1–2 a.m.). */
const PARIS_DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' });

/** A calendar date ('YYYY-MM-DD', e.g. an acquisition date) as is, an instant (an erasure's end) on the Paris calendar. */
export const dateFr = (d: Date | string | null) => {
  if (!d) return '';
  if (typeof d === 'string') return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
  return PARIS_DAY.format(d);
};

/** A medium declared absent, as the donor reads it: « support WD-123 déclaré absent le 02/03/2026 : motif ». */
export const absentMediumFr = (m: ReportRow['absentMedia'][number]) => `support ${m.serialNumber} déclaré absent le ${dateFr(m.at)} : ${m.reason}`;

/**
 * Cents as a French spreadsheet reads a number of euros: decimal comma, no thousands separator
 * (Excel takes « 1 234,50 » with a space for text), empty when unknown: 123456 → « 1234,56 ».
 */
export const eurosCell = (cents: number | null) => (cents === null ? '' : `${Math.trunc(cents / 100)},${String(cents % 100).padStart(2, '0')}`);

/** `n` and its words, singular for 0 and 1 as French has it: « 1 a été réemployé », « 0 recyclé », « 3 recyclés ». */
export const qty = (n: number, one: string, many: string) => `${n} ${n <= 1 ? one : many}`;

/** The statement a donor attaches to its *sortie d'inventaire*. */
export function inventoryExitStatement(s: ReuseSummary, donation: { reference: string; donorName: string; donatedAt: Date }, issuedAt: Date): string {
  const parts = [
    `Renum atteste que, sur ${qty(s.donated, 'matériel', 'matériels')} du don « ${donation.reference} » remis par ${donation.donorName} le ${dateFr(donation.donatedAt)}, ` +
      `${qty(s.reused, 'a été réemployé', 'ont été réemployés')} (remis à des bénéficiaires par des partenaires solidaires), ${qty(s.recycled, 'recyclé', 'recyclés')} par la filière DEEE, ` +
      `${qty(s.dismantled, 'démonté', 'démontés')} pour pièces détachées et ${qty(s.inProgress, 'est', 'sont')} encore en attente de collecte ou en cours de traitement à la date du ${dateFr(issuedAt)}.`,
    `Taux de réemploi au sens de la loi REEN (article 16, décret 2023-266) : ${percentFr(s.reuseRate)} (${qty(s.reusedInBase, 'réemployé', 'réemployés')} sur ${qty(s.reenBase, 'matériel compté', 'matériels comptés')}` +
      `${s.excludedTooOld ? ` ; ${qty(s.excludedTooOld, 'matériel de plus de 10 ans exclu', 'matériels de plus de 10 ans exclus')} de la base` : ''})${s.provisional ? ', taux provisoire tant que des matériels sont en cours' : ''}.`,
    'Pour chaque matériel, la ligne « Effacement prouvé » renvoie à un enregistrement d’effacement de chaque support de stockage, horodaté et inscrit dans un historique infalsifiable. ' +
      'Ce document peut être joint à la sortie d’inventaire de ces biens : les numéros d’inventaire ci-dessus sont ceux déclarés par le donateur.',
  ];
  return parts.join('\n\n');
}

/**
 * In the donor's spreadsheet order: inventory numbers compared as a person reads them
 * (VLO-A-2 before VLO-A-10), devices without one last; ties keep the code order.
 */
const INVENTORY_ORDER = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });
export function byInventoryNumber(a: { inventory_number: string | null }, b: { inventory_number: string | null }): number {
  if (a.inventory_number === null || b.inventory_number === null) return (a.inventory_number === null ? 1 : 0) - (b.inventory_number === null ? 1 : 0);
  return INVENTORY_ORDER.compare(a.inventory_number, b.inventory_number);
}
