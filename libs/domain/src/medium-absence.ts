import { Actor, ActorRule, relationHolds } from './lifecycle';
import { DeviceStatus, STATUS_LABELS_FR } from './vocabulary';

/**
 * Who may declare a medium absent: the workshop holding the device (technician or admin), the
 * only one that opened it. Not a coordinator, even with an override: it has not seen inside the
 * device, and the declaration lifts invariant 1 for that medium.
 */
export const DECLARES_MEDIUM_ABSENT: readonly ActorRule[] = [
  { kind: 'WORKSHOP', roles: ['admin', 'agent'], relation: 'custodian' },
];

export const MEDIUM_ABSENCE_FORBIDDEN = "Seul l'atelier qui a le matériel sous sa garde (technicien ou administrateur) déclare un support absent.";

/**
 * Where a medium may be declared absent: collected, before the wipe. After it, every medium was
 * proven erased, so none can be missing from the device.
 */
export const MEDIUM_ABSENCE_STATUS: DeviceStatus = 'COLLECTED';

export interface MediumAbsenceFacts {
  status: DeviceStatus;
  territoryId: string;
  custodianOrganizationId: string | null;
  medium: {
    /** Declared by the donor at registration, not discovered by an erasure record or a tool's report. */
    declaredByDonor: boolean;
    /** The reason it was declared absent with, if it already was. */
    absenceReason: string | null;
  };
  /** How many erasure records this medium has, whatever their result or custody, voided or not. */
  erasureRecords: number;
}

export type MediumAbsenceRefusalCode = 'forbidden' | 'not-custodian' | 'medium-already-absent' | 'not-collected' | 'medium-seen';

export interface MediumAbsenceRefusal {
  code: MediumAbsenceRefusalCode;
  status: 403 | 409 | 422;
  title: string;
  detail: string;
}

/** `already`: the medium was declared absent with this very reason (a retry): nothing to add. */
export type MediumAbsenceVerdict = { ok: true; already: boolean } | { ok: false; refusal: MediumAbsenceRefusal };

const refuse = (refusal: MediumAbsenceRefusal): MediumAbsenceVerdict => ({ ok: false, refusal });

/**
 * Whether `actor` may declare a medium absent from its device: a disk the donor declared that is
 * not in the device (a typo, the wrong line, removed before the donation), which no one could
 * ever erase, so the device could never be wiped. Narrow on purpose, since it lifts the data
 * invariant for that medium: only a medium the donor declared, never one a tool or a technician
 * saw (discovered by an erasure record or a report, or with any erasure record, even failed or
 * from an earlier custody), and only while the device is collected, before its wipe.
 *
 * Order of checks: caller (403) → the same declaration again (a retry, accepted as it was) or
 * another reason (409) → status (409) → the medium (422).
 */
export function decideMediumAbsence(actor: Actor, facts: MediumAbsenceFacts, reason: string): MediumAbsenceVerdict {
  const rules = DECLARES_MEDIUM_ABSENT.filter((r) => r.kind === actor.kind && r.roles.includes(actor.role));
  if (rules.length === 0) {
    return refuse({ code: 'forbidden', status: 403, title: 'Accès refusé', detail: MEDIUM_ABSENCE_FORBIDDEN });
  }
  if (!rules.some((r) => relationHolds(r, actor, { ...facts, reservedByOrganizationId: null }))) {
    return refuse({
      code: 'not-custodian',
      status: 403,
      title: 'Matériel hors de votre garde',
      detail: "Seul l'atelier qui a ce matériel sous sa garde, et l'a donc ouvert, peut déclarer l'un de ses supports absent.",
    });
  }
  if (facts.medium.absenceReason !== null) {
    if (facts.medium.absenceReason === reason.trim()) return { ok: true, already: true };
    return refuse({
      code: 'medium-already-absent',
      status: 409,
      title: 'Support déjà déclaré absent',
      detail: `Ce support est déjà déclaré absent de l'appareil, pour le motif : « ${facts.medium.absenceReason} ». Une déclaration ne se modifie pas : elle reste dans l'historique du matériel.`,
    });
  }
  if (facts.status !== MEDIUM_ABSENCE_STATUS) {
    return refuse({
      code: 'not-collected',
      status: 409,
      title: 'Déclaration impossible à ce stade',
      detail:
        `Un support se déclare absent sur un matériel collecté, avant son effacement (statut « ${STATUS_LABELS_FR[MEDIUM_ABSENCE_STATUS]} ») ; ` +
        `ce matériel est au statut « ${STATUS_LABELS_FR[facts.status]} » (${facts.status}).`,
    });
  }
  if (!facts.medium.declaredByDonor) {
    return refuse({
      code: 'medium-seen',
      status: 422,
      title: 'Support présent dans l’appareil',
      detail: "Ce support n'a pas été déclaré par le donateur : il a été découvert par un effacement saisi ou importé, donc vu dans l'appareil. Effacez-le ou enregistrez sa destruction.",
    });
  }
  // Any record, even from an earlier custody: a returned device whose disk "went missing" may
  // hold the beneficiary's data, and an absence would let it leave without a new erasure.
  if (facts.erasureRecords > 0) {
    return refuse({
      code: 'medium-seen',
      status: 422,
      title: 'Support présent dans l’appareil',
      detail: "Un effacement de ce support (réussi ou non) a déjà été enregistré : il a été vu dans l'appareil. Effacez-le à nouveau ou enregistrez sa destruction.",
    });
  }
  return { ok: true, already: false };
}
