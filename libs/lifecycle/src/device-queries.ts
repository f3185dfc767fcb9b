import type { CustodyFacts, DeviceFacts } from '@renum/domain';
import type { Statement } from '@renum/db';
import { EntityManager } from 'typeorm';
import type { DeviceRow, MediumRow } from './device.presenter';

type StoredAnswer = { status_code: number; body: Record<string, unknown>; fingerprint: string };

export interface LoadedDeviceFacts {
  media: MediumRow[];
  custody: CustodyFacts;
  stored: StoredAnswer | null;
}

interface ErasureFactRow {
  medium_serial: string;
  level: never;
  result: never;
  started_at: string;
  ended_at: string;
  created_at: string;
  voided_at: string | null;
}

export type DeviceFactsRow = { media: MediumRow[]; erasures: ErasureFactRow[]; stored: StoredAnswer | null };

/**
 * Media rows and erasure records of one device in one statement, plus, when `idempotencyKey`
 * is given, the answer already stored under it. Run it after taking the device lock: a
 * statement started before the lock was granted would read an older snapshot of these tables.
 */
export function deviceFactsQuery(deviceId: string, idempotencyKey: string | null = null): Statement {
  return {
    sql: `SELECT ${custodyColumns('$1')},
            (SELECT json_build_object('status_code', i.status_code, 'body', i.body, 'fingerprint', i.fingerprint)
               FROM idempotency_record i WHERE i.id = $2) AS stored`,
    params: [deviceId, idempotencyKey],
  };
}

/** The media and erasure records of the device whose id is the SQL expression `id`, as two json columns. */
function custodyColumns(id: string): string {
  return `(SELECT coalesce(json_agg(dm ORDER BY dm.created_at, dm.id), '[]') FROM device_medium dm WHERE dm.device_id = ${id}) AS media,
            (SELECT coalesce(json_agg(json_build_object('medium_serial', e.medium_serial, 'level', e.level, 'result', e.result, 'started_at', e.started_at,
                                                        'ended_at', e.ended_at, 'created_at', e.created_at, 'voided_at', e.voided_at)), '[]')
               FROM erasure_record e WHERE e.device_id = ${id}) AS erasures`;
}

/** `loadDeviceFacts` for the devices of a list page, in one statement (no stored answer). */
export async function loadDevicesFacts(
  m: EntityManager,
  devices: { id: string; custody_in_at: Date | null; no_storage_declared_at: Date | null }[],
): Promise<Map<string, LoadedDeviceFacts>> {
  if (devices.length === 0) return new Map();
  const rows: (DeviceFactsRow & { id: string })[] = await m.query(`SELECT d.id, ${custodyColumns('d.id')}, NULL AS stored FROM unnest($1::uuid[]) AS d(id)`, [devices.map((d) => d.id)]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return new Map(devices.map((d) => [d.id, deviceFactsFrom(d, byId.get(d.id)!)]));
}

/** The facts of `deviceFactsQuery`'s row, as the rules and the presenters take them. */
export function deviceFactsFrom(
  device: { custody_in_at: Date | null; no_storage_declared_at: Date | null },
  row: DeviceFactsRow,
): LoadedDeviceFacts {
  return {
    media: row.media,
    stored: row.stored,
    custody: {
      media: row.media.map((r) => ({ serialNumber: r.serial_number, declaredByDonor: r.source === 'DONOR', absent: r.absent_at !== null })),
      erasures: row.erasures.map((r) => ({
        mediumSerial: r.medium_serial,
        level: r.level,
        result: r.result,
        startedAt: new Date(r.started_at),
        endedAt: new Date(r.ended_at),
        recordedAt: new Date(r.created_at),
        voided: r.voided_at !== null,
      })),
      custodyInAt: device.custody_in_at ? new Date(device.custody_in_at) : null,
      noStorageDeclaredAt: device.no_storage_declared_at ? new Date(device.no_storage_declared_at) : null,
    },
  };
}

export async function loadDeviceFacts(
  m: EntityManager,
  device: { id: string; custody_in_at: Date | null; no_storage_declared_at: Date | null },
): Promise<LoadedDeviceFacts> {
  const query = deviceFactsQuery(device.id);
  const [row]: DeviceFactsRow[] = await m.query(query.sql, query.params);
  return deviceFactsFrom(device, row);
}

/** What the lifecycle rules know of a device: its row and its custody facts. */
export function deviceFactsOf(
  row: { type: string; status: string; territory_id: string; custodian_organization_id: string; reserved_by_organization_id: string | null; last_workshop_id: string | null },
  custody: CustodyFacts,
): DeviceFacts {
  return {
    type: row.type as DeviceFacts['type'],
    status: row.status as DeviceFacts['status'],
    territoryId: row.territory_id,
    custodianOrganizationId: row.custodian_organization_id,
    reservedByOrganizationId: row.reserved_by_organization_id,
    lastWorkshopId: row.last_workshop_id,
    ...custody,
  };
}

/** Media and erasure records of one device, as the data invariant needs them. */
export async function loadCustodyFacts(
  m: EntityManager,
  device: { id: string; custody_in_at: Date | null; no_storage_declared_at: Date | null },
): Promise<CustodyFacts> {
  return (await loadDeviceFacts(m, device)).custody;
}

export async function loadDeviceView(m: EntityManager, deviceId: string): Promise<{ device: DeviceRow; media: MediumRow[] }> {
  const [[device], media] = await Promise.all([
    m.query('SELECT * FROM device WHERE id = $1', [deviceId]),
    m.query('SELECT * FROM device_medium WHERE device_id = $1 ORDER BY created_at, id', [deviceId]),
  ]);
  return { device, media };
}

/** Media of many devices in one query (lists without N+1). */
export async function loadMedia(m: EntityManager, deviceIds: string[]): Promise<Map<string, MediumRow[]>> {
  const byDevice = new Map<string, MediumRow[]>(deviceIds.map((id) => [id, []]));
  if (!deviceIds.length) return byDevice;
  const rows: MediumRow[] = await m.query('SELECT * FROM device_medium WHERE device_id = ANY($1) ORDER BY created_at, id', [deviceIds]);
  for (const r of rows) byDevice.get(r.device_id)?.push(r);
  return byDevice;
}
