/**
 * Donor inventory import over HTTP, end to end: upload → job → devices, with the row-by-row
 * report read back from GET /api/v1/jobs/{jobId}.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDonation } from '../support/flows';
import { generateGlpiExport, importInventory, ImportResult, inventoryFixtures, uploadInventory, waitForImport } from '../support/intake-import';
import { JobProducer } from '@renum/jobs';
import { eventually, TestApp, World } from '../support/test-app';

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await TestApp.start();
  w = await t.world('Import');
});
afterAll(async () => {
  await t?.close();
});

async function devicesOf(world: World, donationId: string): Promise<{ serialNumber: string; flags: string[]; type: string; inventoryNumber: string | null }[]> {
  const res = await t.http.get(`/api/v1/devices?donationId=${donationId}&limit=100`).set(world.donor.agent.auth);
  expect(res.status).toBe(200);
  return res.body.items;
}

async function deviceCount(donationId: string): Promise<number> {
  const [row] = await t.db.query('SELECT count(*)::int AS n FROM device WHERE donation_id = $1', [donationId]);
  return row.n;
}

/** What each fixture must give (see test/fixtures/glpi/README.md and ../shared/fixtures/README.md). */
const EXPECTED: Record<string, { total: number; created: number; errorRows: number[]; flagged: [number, string[]][]; format: string; ignored?: string[] }> = {
  'glpi-computers-export-fr.csv': { total: 12, created: 12, errorRows: [], flagged: [[4, ['REEN_TOO_OLD']]], format: 'GLPI' },
  'glpi-computers-export-en_US-glpi11.csv': {
    total: 11,
    created: 6,
    errorRows: [3, 4, 6, 9, 10],
    flagged: [[8, ['REEN_TOO_OLD']]],
    format: 'GLPI',
    ignored: ['Additional fields - Budget line'],
  },
  'glpi-computers-export-en_GB-glpi10.csv': { total: 6, created: 4, errorRows: [5, 7], flagged: [], format: 'GLPI' },
  // DD/MM/YY dates (years 19 to 23, and 98: valid until 2098); row 7 `mars 2021`, row 8 `03/25/23`.
  'libreoffice-fr-short-dates.csv': { total: 8, created: 6, errorRows: [7, 8], flagged: [[6, ['REEN_TOO_OLD']]], format: 'GLPI' },
  'renum-template-filled.csv': {
    total: 9,
    created: 7, // row 10's SSD has no serial: the laptop is registered without it, with a warning
    errorRows: [8, 9],
    flagged: [
      [5, ['VALUE_ABOVE_DONATION_CAP']],
      [11, ['REEN_TOO_OLD']],
    ],
    format: 'RENUM_TEMPLATE',
  },
};

describe('importing every fixture file into a fresh donation', () => {
  const fixtures = inventoryFixtures();

  it('knows what every fixture file must give (a new fixture needs its expectation)', () => {
    expect(fixtures.map(([, f]) => f).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(fixtures)('%s/%s: counts, per-row errors and flags from the job result', async (dir, file) => {
    const expected = EXPECTED[file];
    const donationId = await createDonation(t, w.donor.agent);
    const upload = await uploadInventory(t, w.donor.agent, donationId, readFileSync(join(dir, file)), file);
    expect(upload.status).toBe(202);
    expect(upload.body).toMatchObject({ jobId: expect.stringMatching(/^imp-/), importId: expect.any(String), statusUrl: `/api/v1/jobs/${upload.body.jobId}`, totalRows: expected.total });

    const job = await waitForImport(t, w.donor.agent, upload.body.jobId);
    expect(job.progress).toBe(100);
    const r = job.result;
    expect(r.format).toBe(expected.format);
    expect(r.totalRows).toBe(expected.total);
    expect(r.created).toBe(expected.created);
    expect(r.skipped).toBe(expected.total - expected.created);
    expect([...new Set(r.errors.map((e) => e.row))]).toEqual(expected.errorRows);
    for (const e of r.errors) expect(e.message.length).toBeGreaterThan(10); // a French sentence, not a code
    expect(r.alreadyRegistered).toEqual([]);
    expect(r.flagged.map((f) => [f.row, f.flags])).toEqual(expected.flagged);
    expect(r.ignoredColumns).toEqual(expected.ignored ?? []);
    expect(r.labels).toEqual({ method: 'POST', url: '/api/v1/labels/sheets', body: { donationId, template: expect.any(String) } });

    // What the donor sees: exactly the created devices in the donation.
    expect(await deviceCount(donationId)).toBe(expected.created);
    const donation = await t.http.get(`/api/v1/donations/${donationId}`).set(w.donor.agent.auth);
    expect(donation.body.deviceCount).toBe(expected.created);
  });

  it('explains the refused rows of the GLPI 11 export in French, with the column as written in the file', async () => {
    const own = await t.world('ImportEnUS'); // a donor that has not imported these serials yet
    const donationId = await createDonation(t, own.donor.agent);
    const r = await importInventory(t, own.donor.agent, donationId, readFileSync(join(fixtures.find(([, f]) => f.includes('en_US'))![0], 'glpi-computers-export-en_US-glpi11.csv')));
    const byRow = (row: number) => r.errors.filter((e) => e.row === row);
    expect(byRow(3)).toEqual([{ row: 3, field: 'Serial Number', message: expect.stringContaining('To be filled by O.E.M.') }]);
    expect(byRow(4)).toEqual([{ row: 4, field: 'Serial Number', message: expect.stringContaining('Default string') }]);
    expect(byRow(6)).toEqual([{ row: 6, field: 'Serial Number', message: expect.stringContaining('ligne 2') }]);
    expect(byRow(9)[0].message).toMatch(/manquant/);
    expect(byRow(10)[0].message).toContain('2019-02-30');
    // Unknown type → OTHER with a warning, the device is registered anyway.
    expect(r.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ row: 7, message: expect.stringContaining('Autre équipement') })]));
  });
});

describe('a spreadsheet exported with two-digit years (DD/MM/YY)', () => {
  it('registers its rows and says once, in the job result, how the years were read', async () => {
    const own = await t.world('ImportShortDates');
    const donationId = await createDonation(t, own.donor.agent);
    const [dir] = inventoryFixtures().find(([, f]) => f === 'libreoffice-fr-short-dates.csv')!;
    const r = await importInventory(t, own.donor.agent, donationId, readFileSync(join(dir, 'libreoffice-fr-short-dates.csv')));
    expect(r.created).toBe(6);
    const about = r.warnings.filter((w) => /deux chiffres/.test(w.message));
    expect(about).toEqual([{ row: 1, field: "Date d'achat", message: expect.stringContaining('« 12/03/19 » (ligne 2) lue 12 mars 2019 ; « 15/06/98 » (ligne 6) lue 15 juin 1998') }]);
    expect(r.errors.find((e) => e.row === 8)!.message).toMatch(/le mois 25 n'existe pas.*lues JJ\/MM\/AAAA/);
    const [device] = await t.db.query(`SELECT acquisition_date FROM device WHERE donation_id = $1 AND serial_number = 'LO-CPQ-0005'`, [donationId]);
    expect(device.acquisition_date).toBe('1998-06-15');
  });
});

describe('the French GLPI export (Vallon-sur-Orne)', () => {
  const file = readFileSync(join(inventoryFixtures().find(([, f]) => f === 'glpi-computers-export-fr.csv')![0], 'glpi-computers-export-fr.csv'));
  let donationId: string;
  let first: ImportResult;
  let v: World; // the town hall: a donor of its own, its serials are not registered yet

  beforeAll(async () => {
    v = await t.world('Vallon');
    donationId = await createDonation(t, v.donor.agent);
    first = await importInventory(t, v.donor.agent, donationId, file, 'export-glpi-mairie.csv');
  });

  it('registers the 12 computers, WS-URBA-01 (bought 2016-10-05) flagged REEN for recycling, no other', async () => {
    expect(first.created).toBe(12);
    const devices = await devicesOf(v, donationId);
    expect(devices).toHaveLength(12);
    const flagged = devices.filter((d) => d.flags.length > 0);
    expect(flagged.map((d) => [d.serialNumber, d.flags])).toEqual([['CZC6289QWX', ['REEN_TOO_OLD']]]);
    expect(devices.find((d) => d.serialNumber === '4HJK8M2')).toMatchObject({ type: 'DESKTOP', inventoryNumber: 'VLO-2019-0041' });
    expect(devices.find((d) => d.serialNumber === 'PF1MZ3QX')).toMatchObject({ type: 'LAPTOP' });
  });

  it('re-importing the same file creates nothing and reports every row as skipped (already registered)', async () => {
    const again = await importInventory(t, v.donor.agent, donationId, file);
    expect(again.created).toBe(0);
    expect(again.skipped).toBe(12);
    expect(again.errors).toEqual([]);
    expect(again.alreadyRegistered.map((a) => a.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const [device] = await t.db.query(`SELECT code FROM device WHERE donation_id = $1 AND serial_number = 'CZC6289QWX'`, [donationId]);
    expect(again.alreadyRegistered).toContainEqual({
      row: 4,
      serialNumber: 'CZC6289QWX',
      code: device.code,
      donationId,
      donationReference: expect.any(String),
      message: `Numéro de série « CZC6289QWX » déjà enregistré dans ce don (appareil ${device.code}) : ligne ignorée, rien à corriger.`,
    });
    expect(await deviceCount(donationId)).toBe(12);
    // Same donor, another donation: the serials are still this donor's, nothing is created either,
    // and each row says in which donation the device already is (its labels are printed from there).
    const other = await createDonation(t, v.donor.agent);
    const elsewhere = await importInventory(t, v.donor.agent, other, file);
    expect([elsewhere.created, elsewhere.skipped]).toEqual([0, 12]);
    expect(await deviceCount(other)).toBe(0);
    const [{ reference }] = await t.db.query('SELECT reference FROM donation WHERE id = $1', [donationId]);
    expect(elsewhere.alreadyRegistered.find((a) => a.row === 4)).toMatchObject({
      donationId,
      donationReference: reference,
      message: `Numéro de série « CZC6289QWX » déjà enregistré par votre organisation dans le don « ${reference} » (appareil ${device.code}) : ligne ignorée.`,
    });
  });

  it('keeps the report after the job: GET /imports/{importId} for the donor organisation only', async () => {
    const res = await t.http.get(`/api/v1/imports/${first.importId}`).set(v.donor.viewer.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: first.importId, donationId, status: 'COMPLETED', filename: 'export-glpi-mairie.csv', format: 'GLPI', totalRows: 12, created: 12 });
    expect(res.body.result).toEqual(first);
    expect(res.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const stranger = await t.http.get(`/api/v1/imports/${first.importId}`).set(v.workshop.admin.auth);
    expect(stranger.status).toBe(403);
    const otherWorld = await t.world('ImportOther');
    const otherDonor = await t.http.get(`/api/v1/imports/${first.importId}`).set(otherWorld.donor.admin.auth);
    expect(otherDonor.status).toBe(404);
  });
});

describe('who may import', () => {
  it('only a working member of the donor that owns the donation; the job is readable by its requester only', async () => {
    const donationId = await createDonation(t, w.donor.agent);
    const file = generateGlpiExport(3, 'WHO');
    expect((await uploadInventory(t, w.donor.viewer, donationId, file)).status).toBe(403);
    expect((await uploadInventory(t, w.workshop.agent, donationId, file)).status).toBe(403);
    const other = await t.world('ImportIntruder');
    const intruder = await uploadInventory(t, other.donor.agent, donationId, file);
    expect(intruder.status).toBe(404);
    expect(intruder.headers['content-type']).toContain('application/problem+json');
    expect(await deviceCount(donationId)).toBe(0);

    const res = await uploadInventory(t, w.donor.admin, donationId, file);
    expect(res.status).toBe(202);
    await waitForImport(t, w.donor.admin, res.body.jobId);
    expect((await t.http.get(`/api/v1/jobs/${res.body.jobId}`).set(other.donor.admin.auth)).status).toBe(404);
    expect(await deviceCount(donationId)).toBe(3);
  });

  it("keeps an import job to the API key that started it, also once the job left Redis", async () => {
    const keyOf = async (name: string) => (await t.http.post(`/api/v1/organizations/${w.donor.id}/api-keys`).set(w.donor.admin.auth).send({ name }).expect(201)).body.key as string;
    const [a, b] = [await keyOf('GLPI A'), await keyOf('GLPI B')];
    const donationId = await createDonation(t, w.donor.agent);
    const res = await t.http.post(`/api/v1/donations/${donationId}/import`).set('X-Api-Key', a).attach('file', generateGlpiExport(2, 'KEYS'), { filename: 'inventaire.csv', contentType: 'text/csv' });
    expect(res.status).toBe(202);
    const jobAs = (apiKey: string) => t.http.get(`/api/v1/jobs/${res.body.jobId}`).set('X-Api-Key', apiKey);
    await eventually(async () => (await jobAs(a)).body.state === 'completed');
    expect((await jobAs(b)).status).toBe(404);
    // Gone from Redis: the result kept in inventory_import, for the same key alone.
    await t.get(JobProducer).queue('imports').remove(res.body.jobId);
    expect(await t.get(JobProducer).getJob(res.body.jobId)).toBeUndefined();
    const left = await jobAs(a);
    expect(left.status).toBe(200);
    expect(left.body).toMatchObject({ state: 'completed', result: { created: 2 } });
    expect((await jobAs(b)).status).toBe(404);
    expect((await t.http.get(`/api/v1/jobs/${res.body.jobId}`).set(w.donor.agent.auth)).status).toBe(404);
  });
});

describe("Renum's template", () => {
  it('is downloadable as a CSV attachment with its documented columns, and its example line imports nothing', async () => {
    const res = await t.http.get('/api/v1/imports/template.csv').set(w.charity.viewer.auth).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.csv"$/);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.startsWith('\ufefftype;brand;model;serialNumber;inventoryNumber;acquisitionDate;estimatedValueEuros;weightKg;medium1Kind;medium1Serial')).toBe(true);
    expect(text.split('\r\n')[1]).toMatch(/^#/);

    const docs = await t.http.get('/api/docs-json');
    expect(docs.status).toBe(200);
    expect(JSON.stringify(docs.body.paths['/api/v1/imports/template.csv'])).toContain('medium{n}Serial');

    // The untouched template has only the commented example: a clear refusal, nothing stored.
    const donationId = await createDonation(t, w.donor.agent);
    const upload = await uploadInventory(t, w.donor.agent, donationId, res.body as Buffer, 'modele.csv');
    expect(upload.status).toBe(422);
    expect(upload.body.reason).toBe('NO_ROWS');
  });
});

describe('bad input: a clear error at once, nothing half-written', () => {
  let donationId: string;

  beforeAll(async () => {
    donationId = await createDonation(t, w.donor.agent);
  });

  const header = '"Nom";"Fabricant";"Numéro de série";"Type";"Modèle";\n';
  const cases: [string, () => Buffer, number, string, RegExp][] = [
    ['a binary file (PNG)', () => Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), 415, 'NOT_TEXT', /binaires|CSV/],
    ['an Excel workbook saved as .csv', () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]), 415, 'NOT_TEXT', /Excel/],
    ['an empty file', () => Buffer.alloc(0), 422, 'EMPTY', /vide/],
    ['a header with no recognisable column', () => Buffer.from('"Couleur";"Poids du carton";"Remarque"\n"bleu";"3";"ok"\n'), 422, 'NO_HEADER', /Aucune colonne reconnue/],
    ['a row of 10,000 characters', () => Buffer.from(`${header}"PC-1";"Dell";"SN1";"Desktop";"${'x'.repeat(10_000)}";\n`), 422, 'TOO_LONG', /10.000 caractères/],
  ];

  it.each(cases.map(([label, content, status, reason, detail]) => ({ label, content, status, reason, detail })))('$label → $status $reason', async ({ content, status, reason, detail }) => {
    const res = await uploadInventory(t, w.donor.agent, donationId, content());
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, reason, detail: expect.stringMatching(detail) });
  });

  it('a 50 MB file → 413 problem', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 'a');
    const res = await uploadInventory(t, w.donor.agent, donationId, big);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.detail).toMatch(/20 Mo/);
  });

  it('a request without a file → 400', async () => {
    const res = await t.http.post(`/api/v1/donations/${donationId}/import`).set(w.donor.agent.auth).field('note', 'x');
    expect(res.status).toBe(400);
  });

  it('left no device, no import row and no stored file behind', async () => {
    // None of the refusals left a device, an import row or a stored file behind.
    expect(await deviceCount(donationId)).toBe(0);
    const [imports] = await t.db.query('SELECT count(*)::int AS n FROM inventory_import WHERE donation_id = $1', [donationId]);
    expect(imports.n).toBe(0);
    let stored: string[] = [];
    try {
      stored = readdirSync(join(t.storageDir, 'imports'));
    } catch {
      stored = [];
    }
    const [{ n: all }] = await t.db.query('SELECT count(DISTINCT sha256)::int AS n FROM inventory_import');
    expect(stored.length).toBe(all);
  });
});
