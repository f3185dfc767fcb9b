import { distance } from 'fastest-levenshtein';
import { ErasureLevel, ErasureResult } from './vocabulary';

export interface MediumFact {
  serialNumber: string;
  /** Declared by the donor at registration (not discovered by an erasure record or a tool's report). */
  declaredByDonor?: boolean;
  /** Declared absent by the workshop holding the device: the donor listed it, but it is not in the device. */
  absent?: boolean;
}

export interface ErasureFact {
  mediumSerial: string;
  level: ErasureLevel;
  result: ErasureResult;
  /** When the erasure began, as the technician or the tool's log gave it. */
  startedAt: Date;
  endedAt: Date;
  /** When Renum stored the record (server clock), whatever times the technician or the log gave. */
  recordedAt: Date;
  voided: boolean; // a FAILED independent re-check voids an erasure
}

export interface CustodyFacts {
  /** Every known medium of the device, those declared absent included (see `mediaInDevice`). */
  media: MediumFact[];
  erasures: ErasureFact[];
  /** When the device last entered workshop custody (`collect` or `return`). */
  custodyInAt: Date | null;
  /** When a technician last stated the device has no storage (`wipe {noStorage: true}`). */
  noStorageDeclaredAt: Date | null;
}

/** Same serial, whatever case or spaces the technician or the log used. */
export function sameSerial(a: string, b: string): boolean {
  return normalizeSerial(a) === normalizeSerial(b);
}

export function normalizeSerial(serial: string): string {
  return serial.trim().toUpperCase().replace(/\s+/g, '');
}

/**
 * The listed serial a typed one most likely meant: a symbol or two dropped or doubled
 * (LAPSSD-001 for LAPSSD-0001), or two neighbours swapped. Typed as is, it would add a medium
 * that no erasure of the real disk ever clears. A single symbol changed is not a slip to catch:
 * disks of one batch, often in one machine, have serials one digit apart (…1234, …1235).
 */
export function likelyMeantSerial(typed: string, listed: readonly string[]): string | undefined {
  const key = normalizeSerial(typed);
  if (key.length < 4 || listed.some((s) => normalizeSerial(s) === key)) return undefined;
  let best: { serial: string; d: number } | undefined;
  for (const serial of listed) {
    const other = normalizeSerial(serial);
    const d = other.length === key.length ? (swapsNeighbours(key, other) ? 1 : Infinity) : distance(key, other);
    if (d <= 2 && d * 3 < key.length && (!best || d < best.d)) best = { serial, d };
  }
  return best?.serial;
}

/** Whether `a` is `b` with two neighbouring symbols swapped (1243 for 1234). */
function swapsNeighbours(a: string, b: string): boolean {
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}

/**
 * Whether an erasure was done during the current custody: it began after the latest custody-in
 * (an erasure under way while the device was still with its donor, or before a `return`, proves
 * nothing about the disk now) and was recorded after it (an end or start time typed or logged
 * ahead, by a fast clock, would otherwise let a record entered before a `return` count after it).
 */
export function erasedInCustody(e: Pick<ErasureFact, 'startedAt' | 'recordedAt'>, custodyInAt: Date | null): boolean {
  return !custodyInAt || (e.startedAt.getTime() > custodyInAt.getTime() && e.recordedAt.getTime() > custodyInAt.getTime());
}

/** A PASSED record of any level counts, DESTROY included (a destruction record), if done in the current custody: a returned device is erased again. */
export function erasureCounts(e: Pick<ErasureFact, 'result' | 'startedAt' | 'recordedAt' | 'voided'>, custodyInAt: Date | null): boolean {
  return e.result === 'PASSED' && !e.voided && erasedInCustody(e, custodyInAt);
}

/**
 * The media the data invariant covers: every known medium but those the workshop declared absent
 * (a disk the donor listed that is not in the device; `decideMediumAbsence`).
 */
export function mediaInDevice<M extends MediumFact>(facts: { media: M[] }): M[] {
  return facts.media.filter((m) => !m.absent);
}

/** Why a device with no medium to erase is refused until « no storage » is stated: none is known, or every known one was declared absent. */
function absentOnly(known: number): string {
  if (known === 0) {
    return "Aucun support de stockage n'est connu pour ce matériel : enregistrez l'effacement de chaque disque, ou indiquez explicitement qu'il n'a pas de stockage (noStorage: true).";
  }
  const which = known === 1 ? 'Le seul support de stockage connu de ce matériel est déclaré absent' : `Les ${known} supports de stockage connus de ce matériel sont déclarés absents`;
  return `${which} de l'appareil : indiquez explicitement qu'il n'a pas de stockage (noStorage: true), ou enregistrez l'effacement de chaque disque qu'il contient.`;
}

/** Serials of the media that still lack a valid erasure or destruction record. */
export function mediaLackingErasure(facts: CustodyFacts): string[] {
  return mediaInDevice(facts)
    .filter((m) => !facts.erasures.some((e) => sameSerial(e.mediumSerial, m.serialNumber) && erasureCounts(e, facts.custodyInAt)))
    .map((m) => m.serialNumber);
}

export type DataInvariantVerdict = { ok: true } | { ok: false; missing: string[]; detail: string };

/**
 * Invariant 1, "no data leaves custody": every known medium erased (or destroyed) since the
 * latest custody-in, or, for a device with no known medium, "no storage" stated since then.
 * Not even a coordinator override skips this.
 */
export function checkDataInvariant(facts: CustodyFacts): DataInvariantVerdict {
  if (mediaInDevice(facts).length === 0) {
    const stated =
      facts.noStorageDeclaredAt !== null &&
      (!facts.custodyInAt || facts.noStorageDeclaredAt.getTime() >= facts.custodyInAt.getTime());
    return stated
      ? { ok: true }
      : {
          ok: false,
          missing: [],
          detail: absentOnly(facts.media.length),
        };
  }
  const missing = mediaLackingErasure(facts);
  return missing.length === 0
    ? { ok: true }
    : {
        ok: false,
        missing,
        detail:
          `Effacement réussi manquant depuis la dernière prise en charge pour : ${missing.map((serial) => `${serial}${whyNotCounted(facts, serial)}`).join(', ')}. ` +
          "Enregistrez pour chacun un effacement réussi ou sa destruction, commencé après la prise en charge (saisie de l'effacement ou import du journal nwipe).",
      };
}

/**
 * Why the latest record of a medium does not count, for the technician who thinks it was erased;
 * for a disk the donor listed and no one ever erased, the way out if it is not in the device.
 */
function whyNotCounted(facts: CustodyFacts, serial: string): string {
  const latest = facts.erasures.filter((e) => sameSerial(e.mediumSerial, serial)).sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime())[0];
  if (!latest) {
    const declared = facts.media.some((m) => m.declaredByDonor && sameSerial(m.serialNumber, serial));
    return declared ? " (déclaré par le donateur, jamais effacé : si ce support n'est pas dans l'appareil, déclarez-le absent)" : '';
  }
  if (!erasedInCustody(latest, facts.custodyInAt)) return ' (effacé avant la dernière prise en charge)';
  if (latest.voided) return ' (effacement invalidé par une re-vérification)';
  if (latest.result !== 'PASSED') return ' (dernier effacement en échec)';
  return '';
}
