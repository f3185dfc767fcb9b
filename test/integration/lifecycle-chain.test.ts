import { erase, FULL_CHECKLIST, registerDevices, step, transition } from '../support/flows';
import { eventually, TestApp, World } from '../support/test-app';

describe('device lifecycle: the whole chain', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await TestApp.start();
    w = await t.world('Chain');
  });
  afterAll(() => t?.close());

  async function expectState(device: string, status: string, custodian: string) {
    const res = await t.http.get(`/api/v1/devices/${device}`).set(w.coordinator.agent.auth).expect(200);
    expect(res.body).toMatchObject({ status, custodianOrganizationId: custodian });
    const verify = await t.http.get(`/api/v1/devices/${device}/events/verify`).set(w.coordinator.agent.auth).expect(200);
    expect(verify.body).toMatchObject({ valid: true });
    return res.body;
  }

  it('walks a laptop with two disks from registration to return, and a second device to recycling', async () => {
    const [laptop, other] = await registerDevices(t, w, [
      { media: [{ kind: 'SSD', serialNumber: 'DISK-A-001' }, { kind: 'HDD', serialNumber: 'DISK-B-002' }] },
      { type: 'DESKTOP', media: [{ kind: 'HDD', serialNumber: 'DISK-C-003' }] },
    ]);
    expect(laptop.code).toMatch(/^RN-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expectState(laptop.id, 'REGISTERED', w.donor.id);

    // The technician scans the label: the code works in lower case, without dashes.
    const collected = await step(t, w.workshop.agent, laptop.code.replace(/-/g, '').toLowerCase(), { action: 'collect' });
    expect(collected.event).toMatchObject({ seq: 2, action: 'collect', fromStatus: 'REGISTERED', toStatus: 'COLLECTED', organizationId: w.workshop.id });
    await expectState(laptop.id, 'COLLECTED', w.workshop.id);

    expect((await erase(t, w.workshop.agent, laptop.id, 'DISK-A-001')).status).toBe(201);
    const refused = await transition(t, w.workshop.agent, laptop.id, { action: 'wipe' });
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/erasure-missing$/), missingMedia: ['DISK-B-002'] });
    await expectState(laptop.id, 'COLLECTED', w.workshop.id);

    // The technician's phone runs four minutes fast: accepted, but it proves nothing once the
    // device comes back (below).
    const fastClock = new Date(Date.now() + 4 * 60_000);
    expect((await erase(t, w.workshop.agent, laptop.id, 'disk-b-002', { startedAt: new Date(fastClock.getTime() - 60_000).toISOString(), endedAt: fastClock.toISOString() })).status).toBe(201);
    const wiped = await step(t, w.workshop.agent, laptop.id, { action: 'wipe' });
    await expectState(laptop.id, 'WIPED', w.workshop.id);
    // Reaching WIPED produces the erasure certificate through the outbox, without anyone asking.
    await eventually(async () => (await t.db.query('SELECT 1 FROM erasure_certificate WHERE device_id = $1 AND event_seq >= $2', [laptop.id, wiped.event.seq])).length > 0, 20000);
    await step(t, w.workshop.agent, laptop.id, { action: 'start_refurbish' });
    await expectState(laptop.id, 'REFURBISHING', w.workshop.id);
    await step(t, w.workshop.agent, laptop.id, { action: 'refurbish', grade: 'A', checklist: FULL_CHECKLIST, os: 'Linux Mint 22', batteryHealthPct: 88 });
    await expectState(laptop.id, 'REFURBISHED', w.workshop.id);
    await step(t, w.workshop.admin, laptop.id, { action: 'publish', priceCents: 12000 });
    const available = await expectState(laptop.id, 'AVAILABLE', w.workshop.id);
    expect(available).toMatchObject({ grade: 'A', priceCents: 12000 });

    await step(t, w.charity.agent, laptop.id, { action: 'reserve', beneficiaryRef: 'DOSSIER-2026-0042' });
    await expectState(laptop.id, 'RESERVED', w.workshop.id);
    await step(t, w.charity.agent, laptop.id, {
      action: 'distribute',
      priceCents: 5000,
      paymentMethod: 'CASH',
      beneficiary: { ref: 'DOSSIER-2026-0042', eligibility: 'minima_sociaux', postalCode: '69100' },
    });
    await expectState(laptop.id, 'DISTRIBUTED', w.charity.id);

    await step(t, w.workshop.agent, laptop.id, { action: 'return', reason: 'Écran défectueux sous garantie' });
    const returned = await expectState(laptop.id, 'COLLECTED', w.workshop.id);
    // Its grade, OS and battery were those of its last refurbishment: cleared until the next one.
    expect(returned).toMatchObject({ grade: null, os: null, batteryHealthPct: null, priceCents: null });
    const publishAgain = await transition(t, w.workshop.admin, laptop.id, { action: 'publish', priceCents: 12000 });
    expect(publishAgain.status).toBe(409);
    expect(publishAgain.body.type).toMatch(/illegal-transition$/);
    // Back in custody, the old erasures no longer count: it must be wiped again.
    const wipeAgain = await transition(t, w.workshop.agent, laptop.id, { action: 'wipe' });
    expect(wipeAgain.status).toBe(422);
    expect(wipeAgain.body.missingMedia).toEqual(['DISK-A-001', 'DISK-B-002']);
    await expectState(laptop.id, 'COLLECTED', w.workshop.id);

    // The second device goes to recycling, its disk erased.
    await step(t, w.workshop.agent, other.id, { action: 'collect' });
    expect((await erase(t, w.workshop.agent, other.id, 'DISK-C-003', { level: 'DESTROY', method: 'Broyage' })).status).toBe(201);
    await step(t, w.workshop.agent, other.id, { action: 'recycle', recyclerOrganizationId: w.recycler.id });
    await expectState(other.id, 'RECYCLED', w.recycler.id);

    const events = await t.http.get(`/api/v1/devices/${laptop.id}/events`).set(w.donor.agent.auth).expect(200);
    expect(events.body.items.map((e: { action: string }) => e.action)).toEqual([
      'register', 'collect', 'erasure_recorded', 'erasure_recorded', 'wipe', 'start_refurbish', 'refurbish', 'publish', 'reserve', 'distribute', 'return',
    ]);
    expect(events.body.items[0]).toMatchObject({ seq: 1, fromStatus: null, toStatus: 'REGISTERED', prevHash: '0'.repeat(64) });
    expect(events.body.items[1].prevHash).toBe(events.body.items[0].hash);
  });

  it('adds an erased disk the donor did not list to the device, and requires noStorage for a device with no known medium', async () => {
    const [device] = await registerDevices(t, w, [{}]);
    await step(t, w.workshop.agent, device.id, { action: 'collect' });
    const refused = await transition(t, w.workshop.agent, device.id, { action: 'wipe' });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/noStorage/);
    const recorded = await erase(t, w.workshop.agent, device.id, 'UNLISTED-DISK-9', { mediumKind: 'NVME' });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ mediumAdded: true, result: 'PASSED', warning: expect.stringMatching(/Nouveau support « UNLISTED-DISK-9 » ajouté/) });
    const got = await t.http.get(`/api/v1/devices/${device.id}`).set(w.workshop.agent.auth).expect(200);
    expect(got.body.media).toEqual([expect.objectContaining({ kind: 'NVME', serialNumber: 'UNLISTED-DISK-9', source: 'ERASURE' })]);
    const noStorage = await transition(t, w.workshop.agent, device.id, { action: 'wipe', noStorage: true });
    expect(noStorage.status).toBe(422);
    await step(t, w.workshop.agent, device.id, { action: 'wipe' });

    const [bare] = await registerDevices(t, w, [{ type: 'MONITOR' }]);
    await step(t, w.workshop.agent, bare.id, { action: 'collect' });
    const wiped = await step(t, w.workshop.agent, bare.id, { action: 'wipe', noStorage: true });
    expect(wiped.event.payload).toMatchObject({ noStorage: true });

    // A broken screen goes from COLLECTED to the recycler, stating it has no storage, without a wipe first.
    const [broken] = await registerDevices(t, w, [{ type: 'MONITOR' }]);
    await step(t, w.workshop.agent, broken.id, { action: 'collect' });
    const unstated = await transition(t, w.workshop.agent, broken.id, { action: 'recycle', recyclerOrganizationId: w.recycler.id });
    expect(unstated.status).toBe(422);
    expect(unstated.body.detail).toMatch(/noStorage: true/);
    const recycled = await step(t, w.workshop.agent, broken.id, { action: 'recycle', recyclerOrganizationId: w.recycler.id, noStorage: true });
    expect(recycled.event.payload).toMatchObject({ noStorage: true, recyclerOrganizationId: w.recycler.id });
    expect(recycled.device).toMatchObject({ status: 'RECYCLED', custodianOrganizationId: w.recycler.id });
  });

  it('records an erasure sent twice (a lost answer, a double tap) once, in the records and in the history', async () => {
    const [device] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: 'DISK-RETRY-1' }] }]);
    await step(t, w.workshop.agent, device.id, { action: 'collect' });
    const at = { startedAt: new Date(Date.now() + 1).toISOString(), endedAt: new Date(Date.now() + 2000).toISOString() };
    const first = await erase(t, w.workshop.agent, device.id, 'DISK-RETRY-1', at);
    const again = await erase(t, w.workshop.agent, device.id, 'DISK-RETRY-1', at);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: first.body.id, duplicate: true, countsForCustody: true });
    const events = (await t.http.get(`/api/v1/devices/${device.id}/events`).set(w.workshop.agent.auth).expect(200)).body.items;
    expect(events.filter((e: { action: string }) => e.action === 'erasure_recorded')).toHaveLength(1);
    // Another run on the same disk (other times) is another record.
    const later = await erase(t, w.workshop.agent, device.id, 'DISK-RETRY-1', { startedAt: at.endedAt, endedAt: new Date(Date.now() + 3000).toISOString() });
    expect(later.body.id).not.toBe(first.body.id);
  });

  it('counts an erasure only if it began after the custody-in: one under way before the collect proves nothing', async () => {
    const [device] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: 'DISK-S-001' }] }]);
    await step(t, w.workshop.agent, device.id, { action: 'collect' });
    // Typed right after the collect: "started three hours ago, ended now". The device was still at the donor's then.
    const now = Date.now();
    const straddling = await erase(t, w.workshop.agent, device.id, 'DISK-S-001', { startedAt: new Date(now - 3 * 3600_000).toISOString(), endedAt: new Date(now + 60_000).toISOString() });
    expect(straddling.status).toBe(201);
    expect(straddling.body).toMatchObject({ countsForCustody: false, warning: expect.stringMatching(/commencé avant la dernière prise en charge.*Effacez à nouveau/) });
    const refused = await transition(t, w.workshop.agent, device.id, { action: 'wipe' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/erasure-missing$/), missingMedia: ['DISK-S-001'] });

    const fresh = await erase(t, w.workshop.agent, device.id, 'DISK-S-001');
    expect(fresh.body).toMatchObject({ countsForCustody: true });
    expect(fresh.body.warning).toBeUndefined();
    await step(t, w.workshop.agent, device.id, { action: 'wipe' });
    await expectState(device.id, 'WIPED', w.workshop.id);
  });

  it('refuses a typed disk serial a symbol or two off a listed disk as a likely typo, unless told it is another disk', async () => {
    const [device] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: 'LAPSSD-0001' }] }]);
    await step(t, w.workshop.agent, device.id, { action: 'collect' });
    const typo = await erase(t, w.workshop.agent, device.id, 'LAPSSD-001');
    expect(typo.status).toBe(422);
    expect(typo.body).toMatchObject({ type: expect.stringMatching(/unlisted-medium$/), closestMediumSerial: 'LAPSSD-0001', detail: expect.stringMatching(/le plus proche est « LAPSSD-0001 ».*newMedium: true/) });
    expect(await t.db.query('SELECT count(*)::int AS n FROM device_medium WHERE device_id = $1', [device.id])).toEqual([{ n: 1 }]);

    // The listed disk typed in lower case: recorded under the serial as listed.
    const listed = await erase(t, w.workshop.agent, device.id, 'lapssd-0001');
    expect(listed.body).toMatchObject({ mediumAdded: false });
    expect(await t.db.query('SELECT medium_serial FROM erasure_record WHERE device_id = $1', [device.id])).toEqual([{ medium_serial: 'LAPSSD-0001' }]);
    // Really a second disk: said so, it is added.
    const second = await erase(t, w.workshop.agent, device.id, 'LAPSSD-0002', { newMedium: true });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ mediumAdded: true });
  });

  it('lets a coordinator override who may act, with a reason recorded, but never the data invariant', async () => {
    const [device] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: 'OVR-1' }] }]);
    const noReason = await transition(t, w.coordinator.agent, device.id, { action: 'collect', override: true });
    expect(noReason.status).toBe(400);
    // A forced collect names the workshop that takes the device: custody never goes to the
    // coordination, which could not record the erasures.
    const unnamed = await transition(t, w.coordinator.agent, device.id, { action: 'collect', override: true, reason: 'Collecte faite par la coordination' });
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.type).toMatch(/invalid-workshop$/);
    const collected = await step(t, w.coordinator.agent, device.id, { action: 'collect', override: true, reason: 'Collecte faite par la coordination', workshopOrganizationId: w.workshop.id });
    expect(collected.event.payload).toMatchObject({ override: true, reason: 'Collecte faite par la coordination', custodianOrganizationId: w.workshop.id });
    await expectState(device.id, 'COLLECTED', w.workshop.id);
    const wipe = await transition(t, w.coordinator.agent, device.id, { action: 'wipe', override: true, reason: 'Urgence' });
    expect(wipe.status).toBe(422);
    expect(wipe.body.type).toMatch(/erasure-missing$/);
    const donorOverride = await transition(t, w.donor.agent, device.id, { action: 'wipe', override: true, reason: 'x' });
    expect(donorOverride.status).toBe(403);
    // The workshop holds it, so it can erase it and go on.
    expect((await erase(t, w.workshop.agent, device.id, 'OVR-1')).status).toBe(201);
    await step(t, w.workshop.agent, device.id, { action: 'wipe' });
  });
});
