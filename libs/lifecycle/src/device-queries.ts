import type { CustodyFacts } from '@renum/domain';
import { EntityManager } from 'typeorm';
import type { DeviceRow, MediumRow } from './device.presenter';

/** Media and erasure records of one device, as the data invariant needs them. */
export async function loadCustodyFacts(
  m: EntityManager,
  device: { id: string; custody_in_at: Date | null; no_storage_declared_at: Date | null },
): Promise<CustodyFacts> {
  const [media, erasures] = await Promise.all([
    m.query('SELECT serial_number FROM device_medium WHERE device_id = $1', [device.id]),
    m.query('SELECT medium_serial, level, result, ended_at, voided_at FROM erasure_record WHERE device_id = $1', [device.id]),
  ]);
  return {
    media: media.map((r: { serial_number: string }) => ({ serialNumber: r.serial_number })),
    erasures: erasures.map((r: { medium_serial: string; level: never; result: never; ended_at: Date; voided_at: Date | null }) => ({
      mediumSerial: r.medium_serial,
      level: r.level,
      result: r.result,
      endedAt: new Date(r.ended_at),
      voided: r.voided_at !== null,
    })),
    custodyInAt: device.custody_in_at ? new Date(device.custody_in_at) : null,
    noStorageDeclaredAt: device.no_storage_declared_at ? new Date(device.no_storage_declared_at) : null,
  };
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
