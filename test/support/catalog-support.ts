import { FULL_CHECKLIST, registerDevices, step, toAvailable } from './flows';
import type { TestApp, TestOrg, World } from './test-app';

/** Deterministic PRNG (mulberry32): a failing seed replays the same interleaving of requests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

/**
 * More organisations of one kind in the world's territory, each with an admin, agent and viewer
 * whose tokens are minted directly (as TestApp.world does: login has its own tests).
 */
export async function addOrganizations(t: TestApp, w: World, kind: 'CHARITY' | 'WORKSHOP' | 'DONOR', count: number): Promise<TestOrg[]> {
  const orgs: TestOrg[] = [];
  for (let i = 0; i < count; i++) orgs.push(await t.addOrganization(w, kind, 'Extra'));
  return orgs;
}

/** `count` devices (no storage) driven to AVAILABLE in parallel, at `priceCents`. */
export async function availableDevices(t: TestApp, w: World, count: number, options: { type?: string; priceCents?: number; parallel?: number } = {}) {
  const devices = await registerDevices(t, w, Array.from({ length: count }, () => ({ type: options.type ?? 'LAPTOP' })));
  await mapLimit(devices, options.parallel ?? 10, (d) => toAvailable(t, w, d, [], options.priceCents ?? 9000));
  return devices;
}

/** One device (no storage) driven to REFURBISHED (grade B), ready to publish. */
export async function refurbishedDevice(t: TestApp, w: World, type = 'LAPTOP', grade = 'B') {
  const [device] = await registerDevices(t, w, [{ type }]);
  await step(t, w.workshop.agent, device.id, { action: 'collect' });
  await step(t, w.workshop.agent, device.id, { action: 'wipe', noStorage: true });
  await step(t, w.workshop.agent, device.id, { action: 'start_refurbish' });
  await step(t, w.workshop.agent, device.id, { action: 'refurbish', grade, checklist: FULL_CHECKLIST, os: 'Linux Mint 22', batteryHealthPct: 81 });
  return device;
}

export const problemSlug = (body: { type?: string }) => (body.type ?? '').split('/').pop();
