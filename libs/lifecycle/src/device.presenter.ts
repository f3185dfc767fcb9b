import type { OrganizationKind } from '@renum/domain';

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
}

/** Donor inventory data and serials are for the chain's professionals, not the charities. */
const SEES_SERIALS: OrganizationKind[] = ['DONOR', 'WORKSHOP', 'COORDINATOR', 'RECYCLER'];

/** API.md `Device`: fields a caller may not see are omitted, never faked. */
export function presentDevice(d: DeviceRow, media: MediumRow[], viewer: OrganizationKind) {
  const full = SEES_SERIALS.includes(viewer);
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
    media: media.map((m) => ({
      id: m.id,
      kind: m.kind,
      ...(full ? { serialNumber: m.serial_number } : {}),
      model: m.model,
      capacityGb: m.capacity_gb,
      source: m.source,
    })),
    version: d.version,
    updatedAt: new Date(d.updated_at).toISOString(),
  };
}

export type PresentedDevice = ReturnType<typeof presentDevice>;

function isoDate(value: string | Date): string {
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
