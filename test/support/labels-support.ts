import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { registerDevices, step, toAvailable } from './flows';
import type { TestApp, World } from './test-app';

/** Decodes the QR code of a PNG image (what a phone camera would read). */
export function decodeQrPng(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data;
}

/** supertest parser that keeps a binary body as a Buffer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- superagent types the raw response loosely
export function binary(res: any, done: (err: Error | null, body: any) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (e: Error) => done(e, Buffer.alloc(0)));
}

export const BENEFICIARY_REF = 'DOSSIER-BENEF-7731';

/**
 * A laptop with one disk, driven to DISTRIBUTED (erasure recorded, price paid, a beneficiary
 * reference): the values the public page must never show are returned with it.
 */
export async function distributedLaptop(t: TestApp, w: World) {
  const diskSerial = `DISK-PUBLIC-${Date.now().toString(36)}`;
  const [device] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: diskSerial }] }]);
  await toAvailable(t, w, device, [diskSerial], 9000);
  await step(t, w.charity.agent, device.id, { action: 'reserve', beneficiaryRef: BENEFICIARY_REF });
  await step(t, w.charity.agent, device.id, {
    action: 'distribute',
    priceCents: 4700,
    paymentMethod: 'CASH',
    beneficiary: { ref: BENEFICIARY_REF, eligibility: 'minima_sociaux', postalCode: '69100' },
  });
  const full = await t.http.get(`/api/v1/devices/${device.id}`).set(w.coordinator.agent.auth).expect(200);
  return { ...device, diskSerial, inventoryNumber: full.body.inventoryNumber as string, brand: full.body.brand as string, model: full.body.model as string };
}

