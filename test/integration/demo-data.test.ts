import { IdentityService } from '@renum/identity';
import { DataSource } from 'typeorm';
import { openDataSource } from '../../apps/cli/src/database';
import { DEMO_DEVICES, DEMO_DONATION_REFERENCE, DEMO_ORGANIZATIONS, DEMO_PASSWORD, DemoSeedOutcome, seedDemo } from '../../apps/cli/src/demo-data';
import { cloneTemplate, dropDatabase } from '../support/database';
import { TestApp } from '../support/test-app';

class Interrupted extends Error {}

/**
 * The seed run again and again, the first run interrupted after its first step, the next after
 * its second, and so on (what a Ctrl-C or a crash leaves: each step is one transaction), until a
 * run goes through. Returns how many runs were interrupted, and what the last one said.
 */
async function seedInterruptedAtEveryStep(db: DataSource): Promise<{ interrupted: number; outcome: DemoSeedOutcome }> {
  for (let cut = 1; ; cut++) {
    let steps = 0;
    try {
      const interrupt = () => {
        if (++steps === cut) throw new Interrupted();
      };
      const outcome = await seedDemo(db, { afterStep: interrupt });
      return { interrupted: cut - 1, outcome };
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
    }
  }
}

/** What the demo is made of, ids aside: row counts, and each device's status and history. */
async function demoShape(db: DataSource) {
  const [counts] = await db.query(
    `SELECT ${['territory', 'organization', 'app_user', 'donation', 'device', 'device_medium', 'erasure_record', 'device_event', 'idempotency_record']
      .map((table) => `(SELECT count(*)::int FROM ${table}) AS ${table}`)
      .join(', ')}`,
  );
  const devices = await db.query(
    `SELECT d.serial_number, d.status, array_agg(e.action || ':' || e.to_status ORDER BY e.seq) AS history
       FROM device d JOIN device_event e ON e.device_id = d.id GROUP BY d.id ORDER BY d.serial_number`,
  );
  return { counts, devices };
}

/**
 * The demo data `npm start` loads into an empty database (`seed-demo`): every README demo login
 * logs in and finds something to do right away, through the real api. It is loaded here the hard
 * way, interrupted after every one of its steps in turn, and must end as a fresh load does.
 */
describe('demo data', () => {
  let t: TestApp;
  let fresh: DataSource;
  const freshName = `renum_t_demo_fresh_${process.pid}`;
  const freshSteps: string[] = [];
  let seeded: { interrupted: number; outcome: DemoSeedOutcome };
  const auth: Record<string, { Authorization: string }> = {};
  const login = (kind: string) => auth[kind];

  beforeAll(async () => {
    t = await TestApp.start();
    seeded = await seedInterruptedAtEveryStep(t.db);
    for (const o of DEMO_ORGANIZATIONS) auth[o.kind] = { Authorization: `Bearer ${await t.login(o.email, DEMO_PASSWORD)}` };
    // The same demo loaded in one go, in a database of its own, to compare with.
    fresh = await openDataSource(await cloneTemplate(freshName));
    expect(await seedDemo(fresh, { afterStep: (step) => freshSteps.push(step) })).toBe('loaded');
  });
  afterAll(async () => {
    await fresh?.destroy();
    await dropDatabase(freshName);
    await t?.close();
  });

  it('converges whatever step it was interrupted at: each run resumed where the one before stopped', async () => {
    expect(freshSteps.length).toBeGreaterThan(DEMO_DEVICES.length * 2); // logins, donation, devices, erasures, transitions
    expect(seeded.interrupted).toBe(freshSteps.length);
    expect(seeded.outcome).toBe('present'); // the last interrupted run had done the last step
    // Nothing twice: the same rows and histories as the load in one go.
    const shape = await demoShape(t.db);
    expect(shape).toEqual(await demoShape(fresh));
    expect(shape.counts).toMatchObject({ territory: 1, organization: 5, app_user: 5, donation: 1, device: 9 });
  });

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

  it('is not loaded a second time, nor changed, once complete', async () => {
    const before = await demoShape(t.db);
    expect(await seedDemo(t.db)).toBe('present');
    expect(await demoShape(t.db)).toEqual(before);
  });

  it('completes a demo interrupted after a given step, and says so', async () => {
    const name = `renum_t_demo_cut_${process.pid}`;
    const db = await openDataSource(await cloneTemplate(name));
    try {
      const cut = `${DEMO_DEVICES[0].input.serialNumber} wipe`;
      const interrupt = (step: string) => {
        if (step === cut) throw new Interrupted();
      };
      await expect(seedDemo(db, { afterStep: interrupt })).rejects.toBeInstanceOf(Interrupted);
      expect(await seedDemo(db)).toBe('completed');
      expect(await demoShape(db)).toEqual(await demoShape(fresh));
    } finally {
      await db.destroy();
      await dropDatabase(name);
    }
  });
});

describe('demo data and a real deployment', () => {
  const name = `renum_t_demo_real_${process.pid}`;
  let db: DataSource;
  beforeAll(async () => (db = await openDataSource(await cloneTemplate(name))));
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(name);
  });

  it('never gives demo data to a database made by `cli bootstrap`, even one whose territory has the demo\'s name', async () => {
    await new IdentityService(db).bootstrap('Métropole de Démo', 'admin@collectivite.fr', 'a-real-password');
    const before = await demoShape(db);
    expect(await seedDemo(db)).toBe('other-data');
    expect(await demoShape(db)).toEqual(before);
    expect(before.counts).toMatchObject({ territory: 1, organization: 1, app_user: 1, donation: 0, device: 0 });
  });
});
