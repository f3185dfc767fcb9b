import { DEMO_DEVICES, DEMO_DONATION_REFERENCE, DEMO_ORGANIZATIONS, DEMO_PASSWORD, seedDemo } from '../../apps/cli/src/demo-data';
import { TestApp } from '../support/test-app';

/**
 * The demo data `npm start` loads into an empty database (`seed-demo`): every README demo login
 * logs in and finds something to do right away, through the real api.
 */
describe('demo data', () => {
  let t: TestApp;
  const auth: Record<string, { Authorization: string }> = {};
  const login = (kind: string) => auth[kind];

  beforeAll(async () => {
    t = await TestApp.start();
    expect(await seedDemo(t.db)).toBe(true);
    for (const o of DEMO_ORGANIZATIONS) auth[o.kind] = { Authorization: `Bearer ${await t.login(o.email, DEMO_PASSWORD)}` };
  });
  afterAll(() => t?.close());

  const devicesOf = async (kind: string, query = '') => (await t.http.get(`/api/v1/devices${query}`).set(login(kind)).expect(200)).body.items as { id: string; code: string; status: string }[];

  it('lets the donor follow its donation, every device registered and on its way', async () => {
    const devices = await devicesOf('DONOR');
    expect(devices).toHaveLength(DEMO_DEVICES.length);
    const [{ donation_id: donationId }] = await t.db.query('SELECT donation_id FROM device LIMIT 1');
    const donation = (await t.http.get(`/api/v1/donations/${donationId}`).set(login('DONOR')).expect(200)).body;
    expect(donation).toMatchObject({ reference: DEMO_DONATION_REFERENCE, deviceCount: DEMO_DEVICES.length });
    expect(donation.devicesByStatus).toEqual({ REGISTERED: 3, COLLECTED: 1, REFURBISHED: 1, AVAILABLE: 3, RECYCLED: 1 });
    await t.http.get(`/api/v1/donations/${donationId}/report.csv`).set(login('DONOR')).expect(200);
  });

  it('gives the workshop devices to collect and one to erase', async () => {
    const registered = await devicesOf('WORKSHOP', '?status=REGISTERED');
    expect(registered).toHaveLength(3);
    const scan = (await t.http.get(`/api/v1/scan/${registered[0].code}`).set(login('WORKSHOP')).expect(200)).body;
    expect(scan.allowedActions).toContain('collect');
    const [collected] = await devicesOf('WORKSHOP', '?status=COLLECTED');
    expect(collected).toBeDefined();
    const blocked = (await t.http.get(`/api/v1/scan/${collected.code}`).set(login('WORKSHOP')).expect(200)).body.blockedActions;
    expect(blocked.map((b: { action: string }) => b.action)).toContain('wipe'); // its disk is to be erased first
  });

  it('shows the charity a catalogue of devices it can reserve', async () => {
    const catalog = (await t.http.get('/api/v1/catalog').set(login('CHARITY')).expect(200)).body.items;
    expect(catalog).toHaveLength(3);
    for (const d of catalog) expect(d.priceCents).toEqual(expect.any(Number));
    const scan = (await t.http.get(`/api/v1/scan/${catalog[0].code}`).set(login('CHARITY')).expect(200)).body;
    expect(scan.allowedActions).toEqual(['reserve']);
  });

  it('leaves the coordinator a refurbished device to publish', async () => {
    const [refurbished] = await devicesOf('COORDINATOR', '?status=REFURBISHED');
    const scan = (await t.http.get(`/api/v1/scan/${refurbished.code}`).set(login('COORDINATOR')).expect(200)).body;
    expect(scan.allowedActions).toContain('publish');
  });

  it('shows the recycler the device it received', async () => {
    expect((await devicesOf('RECYCLER')).map((d) => d.status)).toEqual(['RECYCLED']);
  });

  it('gives every device a history that verifies and a public page', async () => {
    for (const d of await devicesOf('COORDINATOR')) {
      expect((await t.http.get(`/api/v1/devices/${d.id}/events/verify`).set(login('COORDINATOR')).expect(200)).body.valid).toBe(true);
    }
    const [available] = await devicesOf('COORDINATOR', '?status=AVAILABLE');
    const page = await t.http.get(`/d/${available.code}`).expect(200);
    expect(page.text).toContain('Dell');
  });

  it('is not loaded a second time into a database that has data', async () => {
    const count = async () => (await t.db.query('SELECT (SELECT count(*)::int FROM device) AS devices, (SELECT count(*)::int FROM app_user) AS users'))[0];
    const before = await count();
    expect(await seedDemo(t.db)).toBe(false);
    expect(await count()).toEqual(before);
  });
});
