/**
 * Registering devices as a donor, by JSON and by CSV import, where the two paths must agree: the
 * same rules (bounds, BIOS placeholder serials, future dates, a disk twice), the same legal flags,
 * French per-field / per-row errors and never a raw database error. A calendar day (DATE column)
 * comes back as the day that was sent.
 */
import { JobProducer } from '@renum/jobs';
import { createDonation, uniqueSerial } from '../support/flows';
import { importInventory, uploadInventory } from '../support/intake-import';
import { eventually, TestApp, World } from '../support/test-app';

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await TestApp.start();
  w = await t.world('Registration');
});
afterAll(async () => {
  await t?.close();
});

const laptop = (overrides: Record<string, unknown> = {}) => ({ type: 'LAPTOP', brand: 'Dell', model: 'Latitude E5470', serialNumber: uniqueSerial('REG'), ...overrides });

function register(donationId: string, devices: Record<string, unknown>[]) {
  return t.http.post(`/api/v1/donations/${donationId}/devices`).set(w.donor.agent.auth).send({ devices });
}

async function deviceCount(donationId: string): Promise<number> {
  const [row] = await t.db.query('SELECT count(*)::int AS n FROM device WHERE donation_id = $1', [donationId]);
  return row.n;
}

/** Today's UTC day shifted by `years` and `days`, as YYYY-MM-DD. */
function day(years: number, days = 0): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear() + years, now.getUTCMonth(), now.getUTCDate() + days)).toISOString().slice(0, 10);
}

describe('calendar days (DATE columns) come back as sent', () => {
  // Jest sandboxes process.env, so TZ cannot be changed from a test file: what makes the answer
  // independent of the time zone is that a DATE never becomes a Date (see data-source-options.spec.ts).
  it('the database layer reads a DATE as its YYYY-MM-DD text, not as a local-midnight Date', async () => {
    const [row] = await t.db.query(`SELECT '2026-12-01'::date AS d, NULL::date AS n`);
    expect(row).toEqual({ d: '2026-12-01', n: null });
  });

  it('GET /donations/{id} answers plannedPickupDate as on create', async () => {
    const created = await t.http.post('/api/v1/donations').set(w.donor.agent.auth).send({ pickupAddress: '1 place de la Mairie', plannedPickupDate: '2026-12-01' });
    expect(created.status).toBe(201);
    expect(created.body.plannedPickupDate).toBe('2026-12-01');
    const res = await t.http.get(`/api/v1/donations/${created.body.id}`).set(w.donor.agent.auth);
    expect(res.status).toBe(200);
    expect(res.body.plannedPickupDate).toBe('2026-12-01');
  });

  it.each(['2026-12-01T09:00:00+01:00', '2026-02-30', '01/12/2026'])('refuses plannedPickupDate %s: a day, YYYY-MM-DD, without a time', async (plannedPickupDate) => {
    const res = await t.http.post('/api/v1/donations').set(w.donor.agent.auth).send({ pickupAddress: '1 place de la Mairie', plannedPickupDate });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'plannedPickupDate', message: 'doit être un jour AAAA-MM-JJ, sans heure, par exemple 2026-12-01' }]);
  });

  // The spreadsheet import's leniency (DD/MM/YY, a time after the date, Excel day numbers) is not the API's.
  it.each(['12/03/19', '12/03/2019', '2019-03-12T00:00:00Z', '2019-03-12 00:00:00', '43536'])(
    'refuses acquisitionDate %s: the JSON registration takes YYYY-MM-DD only',
    async (acquisitionDate) => {
      const donationId = await createDonation(t, w.donor.agent);
      const res = await register(donationId, [laptop({ acquisitionDate })]);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'devices[0].acquisitionDate', message: expect.stringMatching(/AAAA-MM-JJ/) }]);
      expect(await deviceCount(donationId)).toBe(0);
    },
  );

  it('GET /devices/{id} answers the acquisition date as registered', async () => {
    const donationId = await createDonation(t, w.donor.agent);
    const res = await register(donationId, [laptop({ acquisitionDate: '2019-03-14' })]);
    expect(res.status).toBe(201);
    const device = await t.http.get(`/api/v1/devices/${res.body.devices[0].id}`).set(w.donor.agent.auth);
    expect(device.body.acquisitionDate).toBe('2019-03-14');
  });
});

describe('JSON registration: a serial the donor already registered', () => {
  it('409, nothing created; errors name each device of the request and the donation and code it already has', async () => {
    const first = await createDonation(t, w.donor.agent, `DON-FIRST-${uniqueSerial('R')}`);
    const known = laptop();
    const [registered] = (await register(first, [known]).expect(201)).body.devices;
    const second = await createDonation(t, w.donor.agent);
    const res = await register(second, [laptop(), { ...known, serialNumber: ` ${known.serialNumber.toLowerCase()}` }]);
    expect(res.status).toBe(409);
    const [{ reference }] = await t.db.query('SELECT reference FROM donation WHERE id = $1', [first]);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/duplicate-serial$/),
      serials: [known.serialNumber],
      errors: [{ field: 'devices[1].serialNumber', message: `déjà enregistré par votre organisation dans le don « ${reference} » (appareil ${registered.code})` }],
    });
    expect(await deviceCount(second)).toBe(0);
    const again = await register(first, [{ ...known }]);
    expect(again.body.errors).toEqual([{ field: 'devices[0].serialNumber', message: `déjà enregistré dans ce don (appareil ${registered.code})` }]);
  });
});

describe('JSON registration: storage media serials', () => {
  it('answers a donation created again under its reference with the id of the first, so a lost answer is not a lost donation', async () => {
    const first = await createDonation(t, w.donor.agent, 'DON-RETRY-1');
    const again = await t.http.post('/api/v1/donations').set(w.donor.agent.auth).send({ reference: 'DON-RETRY-1', pickupAddress: 'Mairie' }).expect(409);
    expect(again.body).toMatchObject({ type: expect.stringMatching(/donation-reference-taken$/), existingDonationId: first });
    // Another donor may use the same reference.
    await createDonation(t, (await t.world('Other donor')).donor.agent, 'DON-RETRY-1');
  });

  it('takes 1,000 devices described at length in one request (over 2 MB of JSON)', async () => {
    const donationId = await createDonation(t, w.donor.agent);
    const devices = Array.from({ length: 1000 }, (_, i) =>
      laptop({
        brand: `Hewlett-Packard Enterprise ${'x'.repeat(60)}`,
        model: `EliteBook 840 G${i % 9} ${'y'.repeat(150)}`,
        inventoryNumber: `INV-${i}-${'z'.repeat(60)}`,
        media: Array.from({ length: 6 }, () => ({ kind: 'SSD', serialNumber: `${uniqueSerial('MED')}-${'s'.repeat(40)}`, model: 'm'.repeat(200), capacityGb: 256 })),
      }),
    );
    expect(Buffer.byteLength(JSON.stringify({ devices }))).toBeGreaterThan(2 * 1024 * 1024);
    const res = await register(donationId, devices);
    expect(res.status).toBe(201);
    expect(await deviceCount(donationId)).toBe(1000);
  });

  it('the same medium serial twice in one device → 400 on devices[0].media[1].serialNumber, nothing written', async () => {
    const donationId = await createDonation(t, w.donor.agent);
    const res = await register(donationId, [
      laptop({ media: [{ kind: 'SSD', serialNumber: 'S3Z-DUP-1' }, { kind: 'HDD', serialNumber: 's3z-dup-1 ' }] }),
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'devices[0].media[1].serialNumber', message: expect.stringMatching(/en double avec le support 1/) }]);
    expect(await deviceCount(donationId)).toBe(0);
  });

  it('the same medium serial in two devices of one request → 400 on the second, nothing written', async () => {
    const donationId = await createDonation(t, w.donor.agent);
    const res = await register(donationId, [
      laptop({ media: [{ kind: 'SSD', serialNumber: 'S3Z-TWO-1' }] }),
      laptop({ media: [{ kind: 'NVME', serialNumber: 'NV-1' }, { kind: 'SSD', serialNumber: 'S3Z-TWO-1' }] }),
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'devices[1].media[1].serialNumber', message: expect.stringContaining('devices[0].media[0]') }]);
    expect(await deviceCount(donationId)).toBe(0);
  });

  it('a medium serial already on another device of the donor is accepted (a disk may have moved; the device serial is the identity)', async () => {
    const donationId = await createDonation(t, w.donor.agent);
    expect((await register(donationId, [laptop({ media: [{ kind: 'SSD', serialNumber: 'S3Z-MOVED' }] })])).status).toBe(201);
    expect((await register(donationId, [laptop({ media: [{ kind: 'SSD', serialNumber: 'S3Z-MOVED' }] })])).status).toBe(201);
  });
});

describe('who sees a donation', () => {
  it('answers 404 to whoever cannot see it (another donor, a charity, another territory), 403 only to who sees it but may not register', async () => {
    const donationId = await createDonation(t, w.donor.agent);
    const elsewhere = await t.world('RegistrationElsewhere');
    const unseen = [elsewhere.donor.agent, elsewhere.coordinator.admin, w.charity.agent, w.recycler.agent, w.workshop.agent];
    for (const user of unseen) {
      expect((await t.http.get(`/api/v1/donations/${donationId}`).set(user.auth)).status).toBe(404);
      expect((await t.http.post(`/api/v1/donations/${donationId}/devices`).set(user.auth).send({ devices: [laptop()] })).status).toBe(404);
    }
    // Its donor's viewer and the coordinator see it; neither registers devices into it.
    for (const user of [w.donor.viewer, w.coordinator.agent]) {
      expect((await t.http.get(`/api/v1/donations/${donationId}`).set(user.auth)).status).toBe(200);
      const refused = await t.http.post(`/api/v1/donations/${donationId}/devices`).set(user.auth).send({ devices: [laptop()] });
      expect(refused.status).toBe(403);
      expect(refused.body.type).toMatch(/forbidden$/);
    }
    expect(await deviceCount(donationId)).toBe(0);
  });
});

describe('JSON registration: the rules of the CSV import', () => {
  it.each(['To be filled by O.E.M.', '---', 'Default string', '00000000'])('refuses the BIOS placeholder serial %j (400, every time, never 409)', async (serial) => {
    const donationId = await createDonation(t, w.donor.agent);
    for (let i = 0; i < 2; i++) {
      const res = await register(donationId, [laptop({ serialNumber: serial })]);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'devices[0].serialNumber', message: expect.stringMatching(/valeur par défaut du BIOS.*étiquette/) }]);
    }
    expect(await deviceCount(donationId)).toBe(0);
  });

  it('refuses a BIOS placeholder medium serial', async () => {
    const donationId = await createDonation(t, w.donor.agent);
    const res = await register(donationId, [laptop({ media: [{ kind: 'HDD', serialNumber: 'Default string' }] })]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'devices[0].media[0].serialNumber', message: expect.stringContaining('BIOS') }]);
  });

  it('refuses an acquisition date after today, as the CSV import does', async () => {
    const donationId = await createDonation(t, w.donor.agent);
    const res = await register(donationId, [laptop(), laptop({ acquisitionDate: day(0, 2) })]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'devices[1].acquisitionDate', message: expect.stringContaining('postérieure à la date du jour') }]);
    expect(await deviceCount(donationId)).toBe(0);
  });

  it('computes the legal flags, as the CSV import does', async () => {
    const donationId = await createDonation(t, w.donor.agent);
    const res = await register(donationId, [
      laptop({ acquisitionDate: day(-12), estimatedValueCents: 35_000 }),
      laptop({ acquisitionDate: day(-3), estimatedValueCents: 30_000 }),
    ]);
    expect(res.status).toBe(201);
    expect(res.body.devices.map((d: { flags: string[] }) => d.flags)).toEqual([['REEN_TOO_OLD', 'VALUE_ABOVE_DONATION_CAP'], []]);
    const old = await t.http.get(`/api/v1/devices/${res.body.devices[0].id}`).set(w.donor.agent.auth);
    expect(old.body.flags).toEqual(['REEN_TOO_OLD', 'VALUE_ABOVE_DONATION_CAP']);
  });
});

describe('CSV import: every value checked like the JSON registration, bad cells reported per row', () => {
  const header = 'type;brand;model;serialNumber;estimatedValueEuros;weightKg;medium1Kind;medium1Serial;medium1CapacityGb\n';

  it('600 rows with bad cells past the first 500-row chunk: the others imported, French errors per row, job completed', async () => {
    const lines = Array.from({ length: 600 }, (_, i) => `LAPTOP;Dell;E5470;CAP${String(i).padStart(4, '0')};120;1,8;HDD;D-CAP${i};500`);
    lines[550] = 'LAPTOP;Dell;E5470;CAP0550;120;1,8;HDD;D-CAP550;465,76'; // row 552
    lines[560] = 'LAPTOP;Dell;E5470;CAP0560;120;123456;;;'; // row 562
    lines[570] = 'LAPTOP;Dell;E5470;CAP0570;30 000 000;1,8;;;'; // row 572
    lines[580] = 'LAPTOP;Dell;E5470;MED0580;120;1,8;SSD;;256'; // row 582: medium without serial
    const donationId = await createDonation(t, w.donor.agent);
    const r = await importInventory(t, w.donor.agent, donationId, Buffer.from(header + lines.join('\n') + '\n'));
    expect(r.created).toBe(597);
    expect(r.skipped).toBe(3);
    expect(r.errors).toEqual([
      { row: 552, field: 'medium1CapacityGb', message: expect.stringContaining('nombre entier') },
      { row: 562, field: 'weightKg', message: expect.stringContaining('maximum') },
      { row: 572, field: 'estimatedValueEuros', message: expect.stringContaining('maximum') },
    ]);
    expect(r.warnings).toContainEqual({ row: 582, field: 'medium1Serial', message: expect.stringContaining('enregistré sans ce support') });
    expect(await deviceCount(donationId)).toBe(597);
    const [medialess] = await t.db.query(`SELECT count(m.id)::int AS n FROM device d LEFT JOIN device_medium m ON m.device_id = d.id WHERE d.serial_number = 'MED0580'`);
    expect(medialess.n).toBe(0);
  });

  it('an unforeseen database failure is reported in French, never as raw SQL; the retry finishes the import', async () => {
    const donationId = await createDonation(t, w.donor.agent);
    // A fault the parser cannot foresee, worded as PostgreSQL words it.
    await t.db.query(`CREATE FUNCTION test_refuse_device() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'invalid input syntax for type integer: "465.76"'; END $$`);
    await t.db.query(`CREATE TRIGGER test_refuse_device BEFORE INSERT ON device FOR EACH ROW WHEN (NEW.donation_id = '${donationId}') EXECUTE FUNCTION test_refuse_device()`);
    try {
      const upload = await uploadInventory(t, w.donor.agent, donationId, Buffer.from(`${header}LAPTOP;Dell;E5470;FAIL0001;120;1,8;;;\n`));
      expect(upload.status).toBe(202);
      const queue = t.get(JobProducer).queue('imports');
      const reason = await eventually(async () => (await queue.getJob(upload.body.jobId))?.failedReason, 15000);
      expect(reason).toMatch(/^L'import s'est arrêté sur une erreur inattendue/);
      expect(reason).not.toMatch(/invalid input|integer/);
    } finally {
      await t.db.query('DROP TRIGGER test_refuse_device ON device');
      await t.db.query('DROP FUNCTION test_refuse_device()');
    }
    await eventually(async () => (await deviceCount(donationId)) === 1, 30000, 100);
  });
});
