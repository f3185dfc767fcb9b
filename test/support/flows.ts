import { randomUUID } from 'node:crypto';
import type { TestApp, TestUser, World } from './test-app';

export const FULL_CHECKLIST = { ecran: true, clavier: true, wifi: true, usb: true, son: true };

let serialCounter = 0;
export const uniqueSerial = (prefix = 'SN') => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++serialCounter}`;

export async function createDonation(t: TestApp, donor: TestUser, reference?: string): Promise<string> {
  const res = await t.http.post('/api/v1/donations').set(donor.auth).send({ pickupAddress: '1 place de la Mairie, 69100 Villeurbanne', ...(reference ? { reference } : {}) });
  if (res.status !== 201) throw new Error(`donation: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export interface DeviceSpec {
  type?: string;
  media?: { kind: string; serialNumber: string }[];
  serialNumber?: string;
}

export async function registerDevices(t: TestApp, w: World, specs: DeviceSpec[], donationId?: string): Promise<{ id: string; code: string; serialNumber: string }[]> {
  const donation = donationId ?? (await createDonation(t, w.donor.agent));
  const devices = specs.map((s, i) => ({
    type: s.type ?? 'LAPTOP',
    brand: 'Dell',
    model: `Latitude ${5400 + i}`,
    serialNumber: s.serialNumber ?? uniqueSerial(),
    inventoryNumber: `INV-${i}`,
    acquisitionDate: '2020-03-01',
    estimatedValueCents: 12000,
    ...(s.media ? { media: s.media } : {}),
  }));
  const res = await t.http.post(`/api/v1/donations/${donation}/devices`).set(w.donor.agent.auth).send({ devices });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.devices.map((d: { id: string; code: string }, i: number) => ({ ...d, serialNumber: devices[i].serialNumber }));
}

export function transition(t: TestApp, user: TestUser, device: string, body: Record<string, unknown>, key: string = randomUUID()) {
  return t.http.post(`/api/v1/devices/${device}/transitions`).set(user.auth).set('Idempotency-Key', key).send(body);
}

/** Applies a transition and fails loudly with the problem document if it is not 200. */
export async function step(t: TestApp, user: TestUser, device: string, body: Record<string, unknown>) {
  const res = await transition(t, user, device, body);
  if (res.status !== 200) throw new Error(`${body.action} on ${device}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Records a PASSED erasure typed by a technician. It starts now and ends a second later: an
 * erasure counts only if it began after the device's latest custody-in, which a test usually
 * made a few milliseconds ago.
 */
export function erase(t: TestApp, user: TestUser, device: string, mediumSerial: string, overrides: Record<string, unknown> = {}) {
  const start = new Date();
  return t.http
    .post(`/api/v1/devices/${device}/erasures`)
    .set(user.auth)
    .send({
      mediumSerial,
      level: 'CLEAR',
      method: 'PRNG Stream',
      tool: 'nwipe',
      toolVersion: '0.42',
      verification: 'FULL',
      result: 'PASSED',
      startedAt: start.toISOString(),
      endedAt: new Date(start.getTime() + 1000).toISOString(),
      ...overrides,
    });
}

/** Drives a device from REGISTERED to AVAILABLE (erasing its media on the way). */
export async function toAvailable(t: TestApp, w: World, device: { id: string }, media: string[] = [], priceCents = 9000) {
  await step(t, w.workshop.agent, device.id, { action: 'collect' });
  for (const serial of media) {
    const res = await erase(t, w.workshop.agent, device.id, serial);
    if (res.status !== 201) throw new Error(`erase: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await step(t, w.workshop.agent, device.id, media.length ? { action: 'wipe' } : { action: 'wipe', noStorage: true });
  await step(t, w.workshop.agent, device.id, { action: 'start_refurbish' });
  await step(t, w.workshop.agent, device.id, { action: 'refurbish', grade: 'B', checklist: FULL_CHECKLIST, os: 'Linux Mint 22', batteryHealthPct: 81 });
  await step(t, w.workshop.admin, device.id, { action: 'publish', priceCents });
}
