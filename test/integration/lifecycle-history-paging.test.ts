/**
 * API.md conventions: "lists return { items, nextCursor } and accept ?cursor=&limit=". A device's
 * events and its erasure records are lists too: paged oldest first, each item exactly once, with
 * the default page large enough that a device's whole history comes in one (clients that read
 * only `items` keep working).
 */
import { addOrganizations } from '../support/catalog-support';
import { erase, registerDevices, step, toAvailable } from '../support/flows';
import { TestApp, TestOrg, TestUser, World } from '../support/test-app';

let t: TestApp;
let w: World;
let otherCharity: TestOrg;

beforeAll(async () => {
  t = await TestApp.start();
  w = await t.world('Paging');
  [otherCharity] = await addOrganizations(t, w, 'CHARITY', 1);
});
afterAll(() => t?.close());

type Json = Record<string, any>;

/** Every page of `path` at `limit`, following nextCursor; each page at most `limit` long. */
async function allPages(path: string, user: TestUser, limit: number) {
  const pages: Json[][] = [];
  let cursor: string | undefined;
  do {
    const res = await t.http.get(path).query({ limit, ...(cursor ? { cursor } : {}) }).set(user.auth).expect(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    pages.push(res.body.items);
    cursor = res.body.nextCursor ?? undefined;
    if (pages.length > 50) throw new Error('nextCursor never ends');
  } while (cursor);
  return pages;
}

async function expectBadPaging(path: string, user: TestUser) {
  for (const limit of ['abc', '0', '1001', '2.5']) {
    const res = await t.http.get(path).query({ limit }).set(user.auth);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.stringMatching(/validation-error$/), errors: [expect.objectContaining({ field: 'limit' })] });
  }
  const tampered = [
    'garbage',
    Buffer.from('{"s":"1; DROP TABLE x"}').toString('base64url'),
    Buffer.from('{"e":"x","i":"y"}').toString('base64url'),
    Buffer.from('{"s":1e300,"e":1e300,"i":"0190f5a2-7b3c-7d4e-8f60-123456789abc"}').toString('base64url'),
  ];
  for (const cursor of tampered) {
    const res = await t.http.get(path).query({ cursor }).set(user.auth);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ field: 'cursor', message: expect.any(String) }] });
  }
}

it("pages a device's events oldest first, each exactly once, as each reader sees them", async () => {
  const [device] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: 'PAGE-EV-1' }] }]);
  await toAvailable(t, w, device, ['PAGE-EV-1']);
  await step(t, w.charity.agent, device.id, { action: 'reserve' });
  await step(t, w.charity.agent, device.id, { action: 'release', reason: 'Bénéficiaire injoignable' });
  const path = `/api/v1/devices/${device.code}/events`;

  for (const reader of [w.coordinator.agent, w.donor.agent, otherCharity.agent]) {
    const whole = await t.http.get(path).set(reader.auth).expect(200);
    // The default page holds the whole history: one page, no next.
    expect(whole.body.nextCursor).toBeNull();
    const events: Json[] = whole.body.items;
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.length).toBeGreaterThanOrEqual(9);

    const pages = await allPages(path, reader, 2);
    expect(pages.length).toBe(Math.ceil(events.length / 2));
    // Page by page, the same events, presented the same way for this reader (another charity sees the release anonymised).
    expect(pages.flat()).toEqual(events);
  }
  const asOther = (await t.http.get(path).set(otherCharity.agent.auth).expect(200)).body.items as Json[];
  expect(asOther.find((e) => e.action === 'release')).toMatchObject({ actorUserId: null, organizationId: null, payload: {} });

  // The last full page says there is no more.
  const all = (await t.http.get(path).query({ limit: 1000 }).set(w.coordinator.agent.auth).expect(200)).body;
  expect(all.nextCursor).toBeNull();
  await expectBadPaging(path, w.coordinator.agent);
});

it("pages a device's erasure records oldest first by their end, each exactly once, ties and microseconds included", async () => {
  const serials = ['PAGE-ER-1', 'PAGE-ER-2', 'PAGE-ER-3', 'PAGE-ER-4', 'PAGE-ER-5'];
  const [device] = await registerDevices(t, w, [{ media: serials.map((serialNumber) => ({ kind: 'HDD' as const, serialNumber })) }]);
  await step(t, w.workshop.agent, device.id, { action: 'collect' });
  const ids: string[] = [];
  for (const serial of serials) {
    const res = await erase(t, w.workshop.agent, device.id, serial);
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  // Ends as PostgreSQL keeps them, to the microsecond: two records end at the same instant (the
  // id orders them), two others a microsecond apart (a millisecond cursor would skip or repeat one).
  const base = Date.now();
  const at = (ms: number, us: string) => `${new Date(base + ms).toISOString().slice(0, 23)}${us}Z`;
  const ends = [at(0, '500'), at(0, '500'), at(0, '499'), at(0, '501'), at(-1000, '000')];
  for (const [i, id] of ids.entries()) {
    await t.db.query('UPDATE erasure_record SET ended_at = $2, started_at = $2::timestamptz - interval \'1 minute\' WHERE id = $1', [id, ends[i]]);
  }
  const expected = (await t.db.query('SELECT id FROM erasure_record WHERE device_id = $1 ORDER BY ended_at, id', [device.id])).map((r: { id: string }) => r.id);
  const path = `/api/v1/devices/${device.id}/erasures`;

  const whole = (await t.http.get(path).set(w.workshop.agent.auth).expect(200)).body;
  expect(whole.nextCursor).toBeNull();
  expect(whole.items.map((e: Json) => e.id)).toEqual(expected);

  for (const limit of [1, 2]) {
    const pages = await allPages(path, w.workshop.agent, limit);
    expect(pages.flat()).toEqual(whole.items);
  }
  // The donor reads the same pages.
  expect((await allPages(path, w.donor.agent, 2)).flat()).toEqual(whole.items);
  await expectBadPaging(path, w.workshop.agent);
});
