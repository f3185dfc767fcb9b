/**
 * The catalogue on 100,000 devices: the exact SQL the endpoint runs is planned on an index
 * (never a sequential scan of device), pages follow a stable keyset order, charities of another
 * territory see none of it, and no serial number is shown. Also GET /reservations scopes.
 */
import { catalogQuery } from '@renum/catalog';
import { erase, registerDevices, step, toAvailable, transition } from '../support/flows';
import { TestApp, World } from '../support/test-app';
import { availableDevices } from '../support/catalog-support';

let t: TestApp;
let a: World;
let b: World;
const SEEDED = 100_000;

beforeAll(async () => {
  t = await TestApp.start();
  [a, b] = [await t.world('CatA'), await t.world('CatB')];
  const [{ id: donationId }] = await t.db.query(
    `INSERT INTO donation (id, donor_organization_id, territory_id, reference, pickup_address) VALUES (gen_random_uuid(), $1, $2, 'SEED', 'Entrepôt') RETURNING id`,
    [a.donor.id, a.territoryId],
  );
  // 40 % AVAILABLE, spread over the 8 types and 3 grades, prices 10 € to 180 €; stated without storage (invariant 1).
  await t.db.query(
    `INSERT INTO device (id, code, donation_id, donor_organization_id, territory_id, type, brand, model, serial_number, serial_key, status,
                         custodian_organization_id, grade, price_cents, os, battery_health_pct, no_storage_declared_at)
     SELECT gen_random_uuid(), 'SEED-' || i, $1, $2, $3,
            (ARRAY['LAPTOP','DESKTOP','TABLET','SMARTPHONE','MONITOR','PRINTER','MFP','OTHER'])[1 + i % 8],
            'Lenovo', 'ThinkPad T' || (i % 500), 'SEEDSN' || i, 'SEEDSN' || i,
            CASE WHEN i % 5 < 2 THEN 'AVAILABLE' ELSE (ARRAY['REGISTERED','COLLECTED','DISTRIBUTED'])[1 + i % 3] END,
            $4, (ARRAY['A','B','C'])[1 + (i / 8) % 3], 1000 + (i * 7919) % 17001, 'Linux Mint 22', 80, now()
       FROM generate_series(1, ${SEEDED}) AS i`,
    [donationId, a.donor.id, a.territoryId, a.workshop.id],
  );
  await t.db.query('ANALYZE device');
});
afterAll(() => t?.close());

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

async function plan(filters: Parameters<typeof catalogQuery>[1], after?: Parameters<typeof catalogQuery>[2]) {
  const { sql, params } = catalogQuery(a.territoryId, filters, after, 51);
  const [row] = await t.db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  return nodes(row['QUERY PLAN'][0].Plan);
}

describe('catalogue query plan on 100,000 devices', () => {
  it.each([
    ['no filter', {}],
    ['a type', { type: 'LAPTOP' as const }],
    ['a grade', { grade: 'C' as const }],
    ['a max price', { maxPriceCents: 5000 }],
    ['type, grade and max price', { type: 'MONITOR' as const, grade: 'A' as const, maxPriceCents: 2000 }],
  ])('uses an index and no sequential scan of device (%s)', async (_label, filters) => {
    for (const after of [undefined, { type: 'LAPTOP', priceCents: 9000, id: '01a00000-0000-7000-8000-000000000000' }]) {
      const all = await plan(filters, after);
      expect(all.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'device')).toEqual([]);
      const onIndex = all.filter((n) => ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'].includes(n['Node Type']) && /^device_catalog/.test(n['Index Name'] ?? ''));
      expect(onIndex.length).toBeGreaterThan(0);
    }
  });

  it('is what the endpoint serves: pages in (type, price, id) order, no duplicates, filters applied', async () => {
    const seen: { id: string; type: string; priceCents: number }[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 4; page++) {
      const res: { status: number; body: { items: typeof seen; nextCursor: string | null } } = await t.http
        .get('/api/v1/catalog')
        .query({ limit: 200, ...(cursor ? { cursor } : {}) })
        .set(a.charity.viewer.auth);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      expect(cursor).not.toBeNull();
    }
    expect(new Set(seen.map((d) => d.id)).size).toBe(800);
    for (let i = 1; i < seen.length; i++) {
      const [p, c] = [seen[i - 1], seen[i]];
      const ordered = p.type < c.type || (p.type === c.type && (p.priceCents < c.priceCents || (p.priceCents === c.priceCents && p.id < c.id)));
      expect(ordered).toBe(true);
    }

    const filtered = await t.http.get('/api/v1/catalog').query({ type: 'MONITOR', grade: 'A', maxPriceCents: 2000, limit: 200 }).set(a.charity.agent.auth);
    expect(filtered.status).toBe(200);
    expect(filtered.body.items.length).toBeGreaterThan(0);
    for (const d of filtered.body.items) expect(d).toMatchObject({ type: 'MONITOR', grade: 'A' });
    expect(filtered.body.items.every((d: { priceCents: number }) => d.priceCents <= 2000)).toBe(true);
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM device WHERE territory_id = $1 AND status = 'AVAILABLE' AND type = 'MONITOR' AND grade = 'A' AND price_cents <= 2000`,
      [a.territoryId],
    );
    expect(filtered.body.items).toHaveLength(Math.min(n, 200));
  });

  it('shows a charity of another territory none of them, and only charities may browse', async () => {
    const other = await t.http.get('/api/v1/catalog').query({ limit: 200 }).set(b.charity.agent.auth);
    expect(other.status).toBe(200);
    expect(other.body).toEqual({ items: [], nextCursor: null });
    for (const user of [a.donor.admin, a.workshop.agent, a.coordinator.admin, a.recycler.agent]) {
      expect((await t.http.get('/api/v1/catalog').set(user.auth)).status).toBe(403);
    }
    expect((await t.http.get('/api/v1/catalog').query({ grade: 'Z' }).set(a.charity.agent.auth)).status).toBe(400);
    expect((await t.http.get('/api/v1/catalog').query({ cursor: 'garbage' }).set(a.charity.agent.auth)).status).toBe(400);
  });
});

describe('catalogue entries', () => {
  it('give the main specs and media kinds, never serial numbers, and leave with reservation', async () => {
    const [device] = await registerDevices(t, b, [{ type: 'LAPTOP', media: [{ kind: 'SSD', serialNumber: 'CAT-SSD-SECRET-1' }] }]);
    await step(t, b.workshop.agent, device.id, { action: 'collect' });
    expect((await erase(t, b.workshop.agent, device.id, 'CAT-SSD-SECRET-1')).status).toBe(201);
    await step(t, b.workshop.agent, device.id, { action: 'wipe' });
    await step(t, b.workshop.agent, device.id, { action: 'start_refurbish' });
    await step(t, b.workshop.agent, device.id, { action: 'refurbish', grade: 'A', checklist: { ecran: true }, os: 'Ubuntu 24.04', batteryHealthPct: 88 });
    await step(t, b.workshop.admin, device.id, { action: 'publish', priceCents: 12000 });

    const res = await t.http.get('/api/v1/catalog').set(b.charity.agent.auth).expect(200);
    expect(res.body.items).toEqual([
      { id: device.id, code: device.code, type: 'LAPTOP', brand: 'Dell', model: expect.any(String), grade: 'A', priceCents: 12000, os: 'Ubuntu 24.04', batteryHealthPct: 88, media: [{ kind: 'SSD', capacityGb: null }] },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('CAT-SSD-SECRET-1');
    expect(JSON.stringify(res.body)).not.toContain(device.serialNumber);

    await step(t, b.charity.agent, device.id, { action: 'reserve' });
    expect((await t.http.get('/api/v1/catalog').set(b.charity.agent.auth).expect(200)).body.items).toEqual([]);
  });

  it('leaves out a device whose erasure is no longer proven, until the workshop erases it again', async () => {
    const [device] = await registerDevices(t, b, [{ type: 'TABLET', media: [{ kind: 'EMMC', serialNumber: 'CAT-EMMC-1' }] }]);
    await toAvailable(t, b, device, ['CAT-EMMC-1']);
    const listed = async () => (await t.http.get('/api/v1/catalog?type=TABLET').set(b.charity.agent.auth).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(await listed()).toEqual([device.id]);
    // Opening it for a last check, the technician finds a memory card nobody listed; its first erasure fails.
    expect((await erase(t, b.workshop.agent, device.id, 'CAT-SD-2', { result: 'FAILED', newMedium: true })).status).toBe(201);
    expect(await listed()).toEqual([]);
    expect((await transition(t, b.charity.agent, device.id, { action: 'reserve' })).status).toBe(422);
    expect((await erase(t, b.workshop.agent, device.id, 'CAT-SD-2')).status).toBe(201);
    expect(await listed()).toEqual([device.id]);
  });
});

describe('GET /reservations', () => {
  it("lists a charity's own, a coordinator's territory, newest first, with status filter and cursor", async () => {
    const devices = await availableDevices(t, b, 3);
    const [other] = await availableDevices(t, a, 1);
    for (const d of devices) await step(t, b.charity.agent, d.id, { action: 'reserve' });
    await step(t, b.charity.agent, devices[0].id, { action: 'release', reason: 'Annulé' });
    await step(t, a.charity.agent, other.id, { action: 'reserve' });

    const first = await t.http.get('/api/v1/reservations').query({ limit: 2 }).set(b.charity.viewer.auth).expect(200);
    expect(first.body.items).toHaveLength(2);
    const rest = await t.http.get('/api/v1/reservations').query({ limit: 2, cursor: first.body.nextCursor }).set(b.charity.viewer.auth).expect(200);
    const all = [...first.body.items, ...rest.body.items];
    // Three from this test, one from the catalogue test above (same charity).
    expect(all).toHaveLength(4);
    expect(rest.body.nextCursor).toBeNull();
    expect(all.map((r: { id: string }) => r.id)).toEqual([...all.map((r: { id: string }) => r.id)].sort().reverse());
    expect(all[0]).toEqual({
      id: expect.any(String),
      deviceId: devices[2].id,
      code: devices[2].code,
      status: 'ACTIVE',
      charityOrganizationId: b.charity.id,
      expiresAt: expect.any(String),
      createdAt: expect.any(String),
      closedAt: null,
    });
    expect(JSON.stringify(all)).not.toMatch(/hash|beneficiary/i);
    const released = await t.http.get('/api/v1/reservations').query({ status: 'RELEASED' }).set(b.charity.agent.auth).expect(200);
    expect(released.body.items.map((r: { deviceId: string }) => r.deviceId)).toEqual([devices[0].id]);

    const coordinatorA = await t.http.get('/api/v1/reservations').set(a.coordinator.viewer.auth).expect(200);
    expect(coordinatorA.body.items.map((r: { deviceId: string }) => r.deviceId)).toEqual([other.id]);
    const coordinatorB = await t.http.get('/api/v1/reservations').query({ limit: 200 }).set(b.coordinator.viewer.auth).expect(200);
    expect(coordinatorB.body.items).toHaveLength(4);
    for (const user of [b.donor.agent, b.workshop.admin]) expect((await t.http.get('/api/v1/reservations').set(user.auth)).status).toBe(403);
  });
});

