import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDonation, step } from './flows';
import type { TestApp, TestUser, World } from './test-app';

const repoRoot = resolve(__dirname, '..', '..');
/** The shared nwipe fixtures (real formats, invented data) and our synthetic ones. */
export const SHARED_NWIPE_DIR = resolve(repoRoot, '..', 'shared', 'fixtures', 'nwipe');
export const LOCAL_NWIPE_DIR = resolve(repoRoot, 'test', 'fixtures', 'nwipe');

export const readLog = (dir: string, name: string) => readFileSync(join(dir, name));

export interface HostDevice {
  type?: string;
  brand: string;
  model: string;
  serialNumber: string;
  inventoryNumber?: string;
  acquisitionDate?: string;
  media?: { kind: string; serialNumber: string; model?: string }[];
}

/** Registers devices as the donor declared them and, unless told otherwise, has the workshop collect them. */
export async function registerHosts(t: TestApp, w: World, hosts: HostDevice[], options: { collect?: boolean; donationId?: string } = {}) {
  const donation = options.donationId ?? (await createDonation(t, w.donor.agent));
  const res = await t.http
    .post(`/api/v1/donations/${donation}/devices`)
    .set(w.donor.agent.auth)
    .send({ devices: hosts.map((h) => ({ type: 'DESKTOP', acquisitionDate: '2019-05-02', estimatedValueCents: 5000, ...h })) });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
  const devices: { id: string; code: string }[] = res.body.devices;
  if (options.collect !== false) for (const d of devices) await step(t, w.workshop.agent, d.id, { action: 'collect' });
  return { donationId: donation, devices };
}

/**
 * Moves the devices' latest custody-in `ms` earlier, as if the workshop had collected them then:
 * an erasure counts only if it began after the custody-in, and a real log (an hour-long nwipe
 * run, shifted to end now) begins before a collect the test made a moment ago.
 */
export async function collectedEarlier(t: TestApp, devices: { id: string }[], ms: number) {
  await t.db.query(`UPDATE device SET custody_in_at = custody_in_at - make_interval(secs => $2) WHERE id = ANY($1::uuid[])`, [devices.map((d) => d.id), ms / 1000]);
}

export function uploadReport(t: TestApp, user: TestUser, content: Buffer | string, filename = 'nwipe.log') {
  return t.http
    .post('/api/v1/erasures/import')
    .set(user.auth)
    .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), filename);
}

/**
 * A copy of a log with every timestamp shifted (durations kept) so that its last line is at
 * `lastLineAt`: lets a test wipe a disk "now", after the device entered custody.
 */
export function freshLog(text: string, lastLineAt: Date): string {
  const stamps = [...text.matchAll(/\[(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})\]/g)].map((m) => Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  const shift = lastLineAt.getTime() - Math.max(...stamps);
  const pad = (n: number) => String(n).padStart(2, '0');
  return text.replace(/\[(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})\]/g, (_m, y, mo, d, h, mi, s) => {
    const t = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + shift);
    return `[${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}]`;
  });
}
