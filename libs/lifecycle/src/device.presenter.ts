import type { OrganizationKind } from '@renum/domain';
import type { FieldError } from '@renum/platform';

export interface DeviceRow {
  id: string;
  code: string;
  type: string;
  brand: string;
  model: string;
  serial_number: string;
  inventory_number: string | null;
  status: string;
  custodian_organization_id: string;
  donation_id: string;
  donor_organization_id: string;
  grade: string | null;
  price_cents: number | null;
  os: string | null;
  battery_health_pct: number | null;
  acquisition_date: string | Date | null;
  estimated_value_cents: number | null;
  weight_kg: string | null;
  flags: string[];
  version: number;
  updated_at: Date;
}

export interface MediumRow {
  id: string;
  device_id: string;
  kind: string;
  serial_number: string;
  model: string | null;
  capacity_gb: number | null;
  source: string;
  absent_at: string | Date | null;
  absence_reason: string | null;
}

/** Donor inventory data and serials are for the chain's professionals, not the charities. */
export const SEES_SERIALS: OrganizationKind[] = ['DONOR', 'WORKSHOP', 'COORDINATOR', 'RECYCLER'];

export const seesSerials = (viewer: OrganizationKind) => SEES_SERIALS.includes(viewer);

/** Who reads an event: the fields of its payload depend on the organisation's kind, and on whether it acted. */
export interface EventViewer {
  organizationKind: OrganizationKind;
  organizationId: string;
}

/** Payload fields naming serials or the donor's inventory (as in `presentDevice`): SEES_SERIALS only. */
const SERIAL_FIELDS: Partial<Record<string, readonly string[]>> = {
  register: ['serialNumber', 'inventoryNumber', 'acquisitionDate', 'estimatedValueCents', 'flags'],
  erasure_recorded: ['mediumSerial'],
  erasure_voided: ['mediumSerial'],
  medium_declared_absent: ['mediumSerial'],
};

/**
 * Payload fields about a beneficiary and a payment: the charity that handed the device over (the
 * acting one, or the new custodian when a coordinator forced it) and the coordinator
 * (territorial statistics) see them; the donor, the workshop and another charity
 * that once reserved the device do not (RGPD art. 5.1.b–c: purpose and minimisation).
 */
const ACTING_ORGANIZATION_FIELDS: Partial<Record<string, readonly string[]>> = {
  distribute: ['distributionId', 'paymentMethod', 'eligibility', 'postalCode'],
  // Free text a volunteer writes about a beneficiary's file ("injoignable", worse): kept for good in the chain.
  release: ['reason'],
  // Free text about a warranty case, often about the beneficiary ("rendu par sa fille après le décès",
  // "écran cassé par l'enfant"): the workshop that took it back (acting, or custodian when a
  // coordinator returned it), the coordinator and the charity it came back from (`concernedToo`).
  return: ['reason'],
};

/**
 * Whether an event is `viewer`'s own: it acted, or the event names it as new custodian or as the
 * charity acted for, or `concernedToo` (what neighbouring events tell: the charity a returned
 * device came back from, see `returnedFrom`) holds it.
 */
export function eventConcerns(organizationId: string | null, payload: Record<string, unknown>, viewer: EventViewer, concernedToo: readonly string[] = []): boolean {
  return [organizationId, payload.custodianOrganizationId, payload.charityOrganizationId, ...concernedToo].includes(viewer.organizationId);
}

/** An event's payload as `viewer` may read it (omitted, never faked; the hash covers the stored payload). */
export function presentPayload(
  action: string,
  organizationId: string | null,
  payload: Record<string, unknown>,
  viewer: EventViewer,
  concernedToo: readonly string[] = [],
): Record<string, unknown> {
  const hidden = [
    ...(seesSerials(viewer.organizationKind) ? [] : (SERIAL_FIELDS[action] ?? [])),
    ...(viewer.organizationKind === 'COORDINATOR' || eventConcerns(organizationId, payload, viewer, concernedToo)
      ? []
      : (ACTING_ORGANIZATION_FIELDS[action] ?? [])),
  ];
  const shown = Object.fromEntries(Object.entries(payload).filter(([field]) => !hidden.includes(field)));
  if (!seesSerials(viewer.organizationKind) && Array.isArray(shown.media)) {
    shown.media = (shown.media as Record<string, unknown>[]).map(({ serialNumber: _serial, ...medium }) => medium);
  }
  return shown;
}

export type RefusalFacts = { code: string; status: number; title: string; detail: string; missingMedia?: string[]; errors?: FieldError[] };

/** A refusal as `viewer` may read it: a charity learns how many media lack a proof, not their serials. */
export function refusalFor<R extends RefusalFacts>(viewer: OrganizationKind, r: R): R {
  if (seesSerials(viewer) || !r.missingMedia?.length) return r;
  const { missingMedia, ...rest } = r;
  return {
    ...rest,
    detail: `Effacement des données non prouvé pour ${missingMedia.length} support(s) de stockage : l'atelier doit effacer ce matériel à nouveau avant qu'il soit réservé ou remis.`,
  } as R;
}

/** API.md `Device`: fields a caller may not see are omitted, never faked. */
export function presentDevice(d: DeviceRow, media: MediumRow[], viewer: OrganizationKind) {
  const full = seesSerials(viewer);
  return {
    id: d.id,
    code: d.code,
    type: d.type,
    brand: d.brand,
    model: d.model,
    ...(full ? { serialNumber: d.serial_number, inventoryNumber: d.inventory_number } : {}),
    status: d.status,
    custodianOrganizationId: d.custodian_organization_id,
    donationId: d.donation_id,
    grade: d.grade,
    priceCents: d.price_cents,
    os: d.os,
    batteryHealthPct: d.battery_health_pct,
    ...(full
      ? {
          acquisitionDate: d.acquisition_date ? isoDate(d.acquisition_date) : null,
          estimatedValueCents: d.estimated_value_cents,
          flags: d.flags,
        }
      : {}),
    weightKg: d.weight_kg === null ? null : Number(d.weight_kg),
    media: media.map((m) => presentMedium(m, viewer)),
    version: d.version,
    updatedAt: new Date(d.updated_at).toISOString(),
  };
}

export type PresentedDevice = ReturnType<typeof presentDevice>;

/** One medium of `Device.media`; `absent` (and, then, when and why) once the workshop declared it absent from the device. */
export function presentMedium(m: MediumRow, viewer: OrganizationKind) {
  return {
    id: m.id,
    kind: m.kind,
    ...(seesSerials(viewer) ? { serialNumber: m.serial_number } : {}),
    model: m.model,
    capacityGb: m.capacity_gb,
    source: m.source,
    absent: m.absent_at !== null,
    ...(m.absent_at !== null ? { absentAt: new Date(m.absent_at).toISOString(), absenceReason: m.absence_reason } : {}),
  };
}

function isoDate(value: string | Date): string {
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
