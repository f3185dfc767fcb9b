/**
 * What the history tells each reader. Serials and the donor's inventory data are for the
 * chain's professionals (as in the device view); a beneficiary's category, postal code and
 * payment stay with the charity that handed the device over and the coordinator.
 */
import { createHmac } from 'node:crypto';
import { erase, registerDevices, step, toAvailable, transition } from '../support/flows';
import { addOrganizations } from '../support/catalog-support';
import { TestApp, TestOrg, TestUser, World } from '../support/test-app';

let t: TestApp;
let w: World;
let otherCharity: TestOrg;

beforeAll(async () => {
  t = await TestApp.start();
  w = await t.world('Privacy');
  [otherCharity] = await addOrganizations(t, w, 'CHARITY', 1);
});
afterAll(() => t?.close());

const eventsAs = async (user: TestUser, device: string) => (await t.http.get(`/api/v1/devices/${device}/events`).set(user.auth).expect(200)).body.items as { action: string; payload: Record<string, unknown> }[];
const payloadOf = (events: { action: string; payload: Record<string, unknown> }[], action: string) => events.filter((e) => e.action === action).at(-1)!.payload;

/** The first charity reserves and lets the reservation go (with a reason); the other one reserves and hands over. */
async function releasedThenHandedOver(deviceId: string, paymentMethod: string, beneficiary: { ref: string; eligibility: string; postalCode: string }) {
  await step(t, w.charity.agent, deviceId, { action: 'reserve' });
  await step(t, w.charity.agent, deviceId, { action: 'release', reason: 'Bénéficiaire injoignable' });
  await step(t, otherCharity.agent, deviceId, { action: 'reserve' });
  await step(t, otherCharity.agent, deviceId, { action: 'distribute', priceCents: 5000, paymentMethod, beneficiary });
}

it('hides serials from charities, and a hand-over from everyone but its charity and the coordinator', async () => {
  const [device] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: 'PRIV-DISK-1' }] }]);
  await toAvailable(t, w, device, ['PRIV-DISK-1']);
  await releasedThenHandedOver(device.id, 'CHEQUE', { ref: 'B2-77', eligibility: 'senior_isole', postalCode: '69250' });

  // The free-text reason of a release (about a beneficiary's file): the releasing charity and the coordinator only.
  for (const reader of [w.charity.agent, w.coordinator.agent]) expect(payloadOf(await eventsAs(reader, device.id), 'release')).toMatchObject({ reason: 'Bénéficiaire injoignable' });
  for (const reader of [otherCharity.agent, w.donor.agent, w.workshop.agent]) expect(payloadOf(await eventsAs(reader, device.id), 'release')).not.toHaveProperty('reason');

  const handOver = { eligibility: 'senior_isole', postalCode: '69250', paymentMethod: 'CHEQUE', priceCents: 5000 };
  for (const reader of [otherCharity.agent, w.coordinator.agent]) expect(payloadOf(await eventsAs(reader, device.id), 'distribute')).toMatchObject(handOver);
  for (const reader of [w.donor.agent, w.workshop.agent]) {
    const seen = payloadOf(await eventsAs(reader, device.id), 'distribute');
    expect(seen).toEqual({ priceCents: 5000, custodianOrganizationId: otherCharity.id });
  }
  // Between charities, each reads that the other's reserve, release and hand-over happened, not who, for whom or at what price.
  const asFirst = await eventsAs(w.charity.agent, device.id);
  const asSecond = await eventsAs(otherCharity.agent, device.id);
  const byAction = (events: Record<string, unknown>[]) => events.filter((e) => ['reserve', 'release', 'distribute'].includes(e.action as string));
  expect(byAction(asFirst)).toEqual([
    expect.objectContaining({ action: 'reserve', organizationId: w.charity.id, actorUserId: w.charity.agent.id }),
    expect.objectContaining({ action: 'release', organizationId: w.charity.id, payload: expect.objectContaining({ reason: 'Bénéficiaire injoignable' }) }),
    expect.objectContaining({ action: 'reserve', toStatus: 'RESERVED', actorUserId: null, organizationId: null, payload: {} }),
    expect.objectContaining({ action: 'distribute', toStatus: 'DISTRIBUTED', actorUserId: null, organizationId: null, payload: {} }),
  ]);
  expect(byAction(asSecond).map((e) => [e.action, e.organizationId, e.payload])).toEqual([
    ['reserve', null, {}],
    ['release', null, {}],
    ['reserve', otherCharity.id, expect.any(Object)],
    ['distribute', otherCharity.id, expect.objectContaining(handOver)],
  ]);

  // Serials: the donor and the workshop read them in the history; the charities do not.
  const asWorkshop = await eventsAs(w.workshop.agent, device.id);
  expect(payloadOf(asWorkshop, 'register')).toMatchObject({ serialNumber: device.serialNumber, inventoryNumber: 'INV-0', media: [{ kind: 'SSD', serialNumber: 'PRIV-DISK-1' }] });
  expect(payloadOf(asWorkshop, 'erasure_recorded')).toMatchObject({ mediumSerial: 'PRIV-DISK-1' });
  for (const reader of [w.charity.agent, otherCharity.agent]) {
    const history = await eventsAs(reader, device.id);
    expect(JSON.stringify(history)).not.toContain(device.serialNumber);
    expect(JSON.stringify(history)).not.toContain('PRIV-DISK-1');
    expect(JSON.stringify(history)).not.toContain('INV-0');
    expect(payloadOf(history, 'register')).toMatchObject({ type: 'LAPTOP', brand: 'Dell', media: [{ kind: 'SSD' }] });
  }
  // The history a charity reads still verifies: the hash covers what was stored.
  expect((await t.http.get(`/api/v1/devices/${device.id}/events/verify`).set(w.charity.agent.auth).expect(200)).body).toMatchObject({ valid: true });
});

it('tells a charity how many media lack a proof, not their serials', async () => {
  const [device] = await registerDevices(t, w, [{ media: [{ kind: 'HDD', serialNumber: 'PRIV-DISK-2' }] }]);
  await toAvailable(t, w, device, ['PRIV-DISK-2']);
  // A second disk turns up while the device is in the catalogue: it is not proven erased.
  expect((await erase(t, w.workshop.agent, device.id, 'PRIV-DISK-3', { result: 'FAILED' })).status).toBe(201);

  const refused = await transition(t, w.charity.agent, device.id, { action: 'reserve' });
  expect(refused.status).toBe(422);
  expect(refused.body.type).toMatch(/erasure-missing$/);
  expect(refused.body.detail).toMatch(/1 support/);
  expect(JSON.stringify(refused.body)).not.toContain('PRIV-DISK');
  expect(refused.body.missingMedia).toBeUndefined();
  // The scan screen says the same, before the charity even tries.
  const scanned = await t.http.get(`/api/v1/scan/${device.code}`).set(w.charity.agent.auth).expect(200);
  expect(scanned.body).toMatchObject({ allowedActions: [], blockedActions: [{ action: 'reserve', detail: refused.body.detail }] });
});

it('lets a charity search the catalogue by code, brand or model, not by serial or inventory number', async () => {
  const [device] = await registerDevices(t, w, [{}]);
  await toAvailable(t, w, device);
  const search = async (user: TestUser, q: string) =>
    ((await t.http.get('/api/v1/devices').query({ q }).set(user.auth).expect(200)).body.items as { id: string }[]).map((d) => d.id);
  expect(await search(w.workshop.agent, device.serialNumber)).toEqual([device.id]);
  expect(await search(w.charity.agent, device.serialNumber)).toEqual([]);
  expect(await search(w.charity.agent, device.code)).toEqual([device.id]);
  // The code as a volunteer types it from the label: lower case, without dashes.
  expect(await search(w.charity.agent, device.code.replace(/-/g, '').toLowerCase())).toEqual([device.id]);
});

it("keeps a return's free-text reason for the workshop, the coordinator and the charity it came back from", async () => {
  const [device] = await registerDevices(t, w, [{}]);
  await toAvailable(t, w, device);
  await releasedThenHandedOver(device.id, 'CASH', { ref: 'B4-12', eligibility: 'senior_isole', postalCode: '69003' });
  // …and it comes back.
  const reason = 'Rendu par la fille de la bénéficiaire, hospitalisée ; écran fissuré';
  const returned = await step(t, w.workshop.agent, device.id, { action: 'return', reason });
  expect(returned.event.payload).toMatchObject({ reason }); // the workshop's own answer

  for (const reader of [w.workshop.agent, w.coordinator.agent, otherCharity.agent]) expect(payloadOf(await eventsAs(reader, device.id), 'return')).toMatchObject({ reason });
  // The donor, and the charity that once reserved it: that it came back, and where, not why.
  for (const reader of [w.donor.agent, w.charity.agent]) {
    const history = await t.http.get(`/api/v1/devices/${device.id}/events`).set(reader.auth).expect(200);
    const seen = payloadOf(history.body.items, 'return');
    expect(seen).toEqual({ custodianOrganizationId: w.workshop.id });
    expect(history.text).not.toContain('fissuré');
  }
  // The charity it came back from reads it on a page of its own too (the hand-over on an earlier page).
  const all = await eventsAs(otherCharity.agent, device.id);
  const beforeReturn = all.findIndex((e) => e.action === 'return');
  const cursorPage = await t.http.get(`/api/v1/devices/${device.id}/events`).query({ limit: beforeReturn }).set(otherCharity.agent.auth).expect(200);
  const lastPage = await t.http.get(`/api/v1/devices/${device.id}/events`).query({ cursor: cursorPage.body.nextCursor }).set(otherCharity.agent.auth).expect(200);
  expect(lastPage.body.items.map((e: { action: string }) => e.action)).toEqual(['return']);
  expect(lastPage.body.items[0].payload).toMatchObject({ reason });
  // Nowhere else: not in the device, not on the public page.
  for (const reader of [w.donor.agent, w.charity.agent]) {
    const shown = await t.http.get(`/api/v1/devices/${device.id}`).set(reader.auth);
    expect(shown.text).not.toContain('fissuré');
  }
  expect((await t.http.get(`/d/${device.code}`).expect(200)).text).not.toContain('fissuré');
  // The stored payload still holds it, and the chain a donor reads still verifies.
  expect((await t.db.query(`SELECT payload->>'reason' AS reason FROM device_event WHERE device_id = $1 AND action = 'return'`, [device.id]))[0].reason).toBe(reason);
  expect((await t.http.get(`/api/v1/devices/${device.id}/events/verify`).set(w.donor.agent.auth).expect(200)).body).toMatchObject({ valid: true });
});

it('lets a coordinator force a reserve and a hand-over for a charity it names: the reservation, the custody and the hand-over data are that charity\'s', async () => {
  const [device] = await registerDevices(t, w, [{}]);
  await toAvailable(t, w, device);
  const forced = { override: true, reason: 'Permanence sans connexion' };
  const unnamed = await transition(t, w.coordinator.agent, device.id, { action: 'reserve', ...forced });
  expect(unnamed.status).toBe(422);
  expect(unnamed.body.type).toMatch(/invalid-charity$/);
  await step(t, w.coordinator.agent, device.id, { action: 'reserve', ...forced, charityOrganizationId: otherCharity.id, beneficiaryRef: 'B3-01' });
  expect(await t.db.query(`SELECT charity_organization_id FROM reservation WHERE device_id = $1 AND status = 'ACTIVE'`, [device.id])).toEqual([{ charity_organization_id: otherCharity.id }]);
  // The charity reads the forced reservation as its own; another charity reads only that it happened.
  const reserveAs = async (user: TestUser) => (await eventsAs(user, device.id)).filter((e) => e.action === 'reserve').at(-1) as Record<string, unknown>;
  expect(await reserveAs(otherCharity.agent)).toMatchObject({ organizationId: w.coordinator.id, payload: expect.objectContaining({ charityOrganizationId: otherCharity.id, reservationId: expect.any(String) }) });
  expect(await reserveAs(w.charity.agent)).toMatchObject({ organizationId: null, actorUserId: null, payload: {} });
  const handedOver = await step(t, w.coordinator.agent, device.id, {
    action: 'distribute',
    ...forced,
    priceCents: 0,
    paymentMethod: 'FREE',
    beneficiary: { ref: 'B3-01', eligibility: 'etudiant_boursier', postalCode: '69007' },
  });
  expect(handedOver.device.custodianOrganizationId).toBe(otherCharity.id);
  expect(payloadOf(await eventsAs(otherCharity.agent, device.id), 'distribute')).toMatchObject({ eligibility: 'etudiant_boursier', postalCode: '69007', paymentMethod: 'FREE' });
  expect(payloadOf(await eventsAs(w.donor.agent, device.id), 'distribute')).not.toHaveProperty('postalCode');
  // Both references are keyed with that charity: it finds its file again from the reservation to the hand-over.
  const [{ beneficiary_secret }] = await t.db.query('SELECT beneficiary_secret FROM territory WHERE id = $1', [w.territoryId]);
  const hash = createHmac('sha256', beneficiary_secret).update(`${otherCharity.id}\nB3-01`).digest('hex');
  const [reservation] = await t.db.query('SELECT beneficiary_ref_hash FROM reservation WHERE device_id = $1', [device.id]);
  const [distribution] = await t.db.query('SELECT beneficiary_ref_hash FROM distribution WHERE device_id = $1', [device.id]);
  expect([reservation.beneficiary_ref_hash, distribution.beneficiary_ref_hash]).toEqual([hash, hash]);
});

it('answers 404, not 403, to a caller that may never act on a device it cannot see; 403 only on one it sees', async () => {
  const elsewhere = await t.world('PrivacyElsewhere');
  const [hidden] = await registerDevices(t, elsewhere, [{}]);
  const [seen] = await registerDevices(t, w, [{}]);
  const erasureBy = (user: TestUser, device: string) => erase(t, user, device, 'ACCESS-DISK-1');
  const suggestionFor = (user: TestUser, device: string) => t.http.get(`/api/v1/devices/${device}/price-suggestion`).set(user.auth);

  // Another territory's device: unseen, whoever asks and whatever the route allows their kind or role.
  for (const user of [w.donor.agent, w.charity.agent, w.workshop.viewer, w.workshop.agent]) {
    expect((await erasureBy(user, hidden.id)).status).toBe(404);
    expect((await erasureBy(user, hidden.code)).status).toBe(404);
  }
  for (const user of [w.donor.agent, w.charity.agent, w.workshop.agent]) expect((await suggestionFor(user, hidden.id)).status).toBe(404);

  // A device they see (the donor's own, one awaiting collection): their kind or role may not act, 403.
  for (const user of [w.donor.agent, w.workshop.viewer]) {
    const refused = await erasureBy(user, seen.id);
    expect(refused.status).toBe(403);
    expect(refused.body.type).toMatch(/forbidden$/);
  }
  expect((await suggestionFor(w.donor.agent, seen.id)).status).toBe(403);
  // Nothing was recorded meanwhile.
  expect(await t.db.query('SELECT 1 FROM erasure_record WHERE device_id = ANY($1)', [[hidden.id, seen.id]])).toEqual([]);
});
