/**
 * Invariant 3 under contention: 50 clients of 5 charities hammer the same 10 AVAILABLE devices
 * with reservations (20 attempts each, fresh Idempotency-Keys, order shuffled by a seeded PRNG).
 * Exactly one reservation per device wins; every loser gets a 409 a user can understand.
 */
import { transition } from '../support/flows';
import { TestApp, TestOrg, World } from '../support/test-app';
import { addOrganizations, availableDevices, problemSlug, seededRandom, shuffle } from '../support/catalog-support';

let t: TestApp;
let w: World;
let charities: TestOrg[];

beforeAll(async () => {
  t = await TestApp.start();
  w = await t.world('Course');
  charities = [w.charity, ...(await addOrganizations(t, w, 'CHARITY', 4))];
});
afterAll(() => t?.close());

const CLIENTS_PER_CHARITY = 10;
const ATTEMPTS = 20;

async function race(seed: number) {
  const devices = await availableDevices(t, w, 10);
  const random = seededRandom(seed);
  // 50 clients: agents and admins of the 5 charities (both roles may reserve).
  const clients = shuffle(
    charities.flatMap((org) => Array.from({ length: CLIENTS_PER_CHARITY }, (_, i) => ({ org, user: i % 2 ? org.admin : org.agent }))),
    random,
  );
  // Each client's own order of attempts over the 10 devices, fixed by the seed.
  const plans = clients.map(() => Array.from({ length: ATTEMPTS }, () => devices[Math.floor(random() * devices.length)]));
  const outcomes: { status: number; slug?: string; org: string; device: string }[] = [];
  await Promise.all(
    clients.map(async (client, c) => {
      for (const device of plans[c]) {
        const res = await transition(t, client.user, device.id, { action: 'reserve' });
        outcomes.push({ status: res.status, slug: res.status === 200 ? undefined : problemSlug(res.body), org: client.org.id, device: device.id });
      }
    }),
  );
  return { devices, outcomes };
}

describe.each([[20260101], [424242]])('50 clients of 5 charities, 20 attempts each, on 10 devices (seed %i)', (seed) => {
  it('exactly 10 reservations succeed, every other attempt is a 409, and the database holds 10 ACTIVE reservations', async () => {
    const { devices, outcomes } = await race(seed);
    expect(outcomes).toHaveLength(50 * ATTEMPTS);

    const won = outcomes.filter((o) => o.status === 200);
    expect(won).toHaveLength(10);
    expect(new Set(won.map((o) => o.device)).size).toBe(10);
    const lost = outcomes.filter((o) => o.status !== 200);
    expect(new Set(lost.map((o) => o.status))).toEqual(new Set([409]));
    expect(lost.every((o) => o.slug === 'reserved-by-another' || o.slug === 'illegal-transition')).toBe(true);
    // A charity retrying a device it holds is told so; the others that it is someone else's.
    const holder = new Map(won.map((o) => [o.device, o.org]));
    for (const o of lost) expect(o.slug).toBe(holder.get(o.device) === o.org ? 'illegal-transition' : 'reserved-by-another');

    const ids = devices.map((d) => d.id);
    const active = await t.db.query(`SELECT device_id, charity_organization_id FROM reservation WHERE device_id = ANY($1) AND status = 'ACTIVE'`, [ids]);
    expect(active).toHaveLength(10);
    const [{ all }] = await t.db.query(`SELECT count(*)::int AS all FROM reservation WHERE device_id = ANY($1)`, [ids]);
    expect(all).toBe(10);
    for (const r of active) expect(r.charity_organization_id).toBe(holder.get(r.device_id));
    // The device rows agree with the reservations, and each has exactly one reserve event.
    const rows = await t.db.query(
      `SELECT d.id, d.status, d.reserved_by_organization_id, (SELECT count(*)::int FROM device_event e WHERE e.device_id = d.id AND e.action = 'reserve') AS reserves
         FROM device d WHERE d.id = ANY($1)`,
      [ids],
    );
    for (const d of rows) expect(d).toEqual({ id: d.id, status: 'RESERVED', reserved_by_organization_id: holder.get(d.id), reserves: 1 });

    // Each charity sees exactly its own winners in GET /reservations.
    for (const org of charities) {
      const res = await t.http.get('/api/v1/reservations?status=ACTIVE&limit=200').set(org.viewer.auth);
      expect(res.status).toBe(200);
      const mine = won.filter((o) => o.org === org.id).map((o) => o.device).sort();
      expect(res.body.items.map((r: { deviceId: string }) => r.deviceId).filter((id: string) => ids.includes(id)).sort()).toEqual(mine);
    }
  });
});

it('the database itself refuses a second ACTIVE reservation of a device, whatever the code does', async () => {
  const [device] = await availableDevices(t, w, 1);
  await transition(t, w.charity.agent, device.id, { action: 'reserve' }).expect(200);
  await expect(
    t.db.query(
      `INSERT INTO reservation (id, device_id, charity_organization_id, territory_id, status, expires_at) VALUES (gen_random_uuid(), $1, $2, $3, 'ACTIVE', now() + interval '1 day')`,
      [device.id, charities[1].id, w.territoryId],
    ),
  ).rejects.toThrow(/reservation_one_active_per_device/);
});
