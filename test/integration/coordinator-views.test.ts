import { createDonation, registerDevices, step, toAvailable } from '../support/flows';
import { TestApp, World } from '../support/test-app';

// The coordinator's view of its territory: which donations came in, from whom, and where each
// device is now (which workshop or charity holds it), without seeing another territory's.
describe("coordinator's territory views", () => {
  let t: TestApp;
  let w: World;
  let other: World;
  let secondDonor: Awaited<ReturnType<TestApp['addOrganization']>>;
  let secondWorkshop: Awaited<ReturnType<TestApp['addOrganization']>>;
  const donations: string[] = [];
  let devices: { id: string; code: string }[];

  beforeAll(async () => {
    t = await TestApp.start();
    w = await t.world('Views');
    other = await t.world('ViewsOther');
    secondDonor = await t.addOrganization(w, 'DONOR', 'Views');
    secondWorkshop = await t.addOrganization(w, 'WORKSHOP', 'Views');
    // Two donations of the first donor (3 and 1 devices), one of the second (2 devices), one in another territory.
    donations.push(await createDonation(t, w.donor.agent, 'VUE-1'));
    devices = await registerDevices(t, w, [{}, {}, {}], donations[0]);
    donations.push(await createDonation(t, w.donor.agent, 'VUE-2'));
    await registerDevices(t, w, [{}], donations[1]);
    donations.push(await createDonation(t, secondDonor.agent, 'VUE-3'));
    const res = await t.http.post(`/api/v1/donations/${donations[2]}/devices`).set(secondDonor.agent.auth)
      .send({ devices: [1, 2].map((i) => ({ type: 'TABLET', brand: 'Apple', model: `iPad ${i}`, serialNumber: `VUE3-${i}-${Date.now().toString(36)}` })) });
    expect(res.status).toBe(201);
    await registerDevices(t, other, [{}]);
    // Device 0 goes to the first workshop and on to the catalogue, device 1 to the second workshop.
    await toAvailable(t, w, devices[0]);
    await step(t, secondWorkshop.agent, devices[1].id, { action: 'collect' });
  });
  afterAll(() => t?.close());

  it('lists the donations of the territory, newest first, with their device counts, one donor at a time if asked', async () => {
    const all = await t.http.get('/api/v1/donations').set(w.coordinator.agent.auth);
    expect(all.status).toBe(200);
    expect(all.body.items.map((d: { reference: string }) => d.reference)).toEqual(['VUE-3', 'VUE-2', 'VUE-1']);
    expect(all.body.items[2]).toMatchObject({ id: donations[0], donorOrganizationId: w.donor.id, deviceCount: 3, devicesByStatus: { AVAILABLE: 1, COLLECTED: 1, REGISTERED: 1 } });
    expect(all.body.items[0]).toMatchObject({ donorOrganizationId: secondDonor.id, deviceCount: 2, devicesByStatus: { REGISTERED: 2 } });
    expect(all.body.nextCursor).toBeNull();

    const first = await t.http.get('/api/v1/donations').query({ limit: 2 }).set(w.coordinator.agent.auth);
    expect(first.body.items.map((d: { reference: string }) => d.reference)).toEqual(['VUE-3', 'VUE-2']);
    const next = await t.http.get('/api/v1/donations').query({ limit: 2, cursor: first.body.nextCursor }).set(w.coordinator.agent.auth);
    expect(next.body).toMatchObject({ items: [{ reference: 'VUE-1' }], nextCursor: null });

    const oneDonor = await t.http.get('/api/v1/donations').query({ donorOrganizationId: secondDonor.id }).set(w.coordinator.agent.auth);
    expect(oneDonor.body.items.map((d: { reference: string }) => d.reference)).toEqual(['VUE-3']);
    expect((await t.http.get('/api/v1/donations').query({ donorOrganizationId: 'x' }).set(w.coordinator.agent.auth)).status).toBe(400);
  });

  it('shows each caller only the donations it may open: a donor its own, a workshop those it collected from, another territory none', async () => {
    const refs = async (auth: { Authorization: string }) => (await t.http.get('/api/v1/donations').set(auth)).body.items.map((d: { reference: string }) => d.reference);
    expect(await refs(w.donor.agent.auth)).toEqual(['VUE-2', 'VUE-1']);
    expect(await refs(secondDonor.viewer.auth)).toEqual(['VUE-3']);
    expect(await refs(secondWorkshop.agent.auth)).toEqual(['VUE-1']);
    expect(await refs(w.charity.agent.auth)).toEqual([]);
    expect(await refs(other.coordinator.agent.auth)).toHaveLength(1);
    expect(await refs(other.coordinator.agent.auth)).not.toContain('VUE-1');
    // Another territory's coordinator filtering on this donor gets nothing.
    expect((await t.http.get('/api/v1/donations').query({ donorOrganizationId: w.donor.id }).set(other.coordinator.agent.auth)).body.items).toEqual([]);
  });

  it('filters devices by the organisation holding them and by donor', async () => {
    const codes = async (query: Record<string, string>, auth = w.coordinator.agent.auth) => {
      const res = await t.http.get('/api/v1/devices').query(query).set(auth);
      expect(res.status).toBe(200);
      return res.body.items.map((d: { code: string }) => d.code).sort();
    };
    expect(await codes({ custodianOrganizationId: secondWorkshop.id })).toEqual([devices[1].code]);
    expect(await codes({ custodianOrganizationId: w.workshop.id })).toEqual([devices[0].code]);
    // Devices still at the donor's: the third of VUE-1 and the one of VUE-2.
    const atDonor = await codes({ custodianOrganizationId: w.donor.id });
    expect(atDonor).toHaveLength(2);
    expect(atDonor).toContain(devices[2].code);
    expect(await codes({ donorOrganizationId: secondDonor.id })).toHaveLength(2);
    expect(await codes({ donorOrganizationId: w.donor.id, status: 'REGISTERED' })).toHaveLength(2);
    // Another territory's coordinator sees none of them, whatever the filter.
    expect(await codes({ donorOrganizationId: w.donor.id }, other.coordinator.agent.auth)).toEqual([]);
    // A charity is not told who gave a device: the donor filter is refused, not silently ignored.
    const charity = await t.http.get('/api/v1/devices').query({ donorOrganizationId: w.donor.id }).set(w.charity.agent.auth);
    expect(charity.status).toBe(400);
    expect(charity.body.errors).toEqual([{ field: 'donorOrganizationId', message: expect.any(String) }]);
  });
});
