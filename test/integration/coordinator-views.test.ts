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
