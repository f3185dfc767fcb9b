import { NwipeLogParser } from '@renum/erasure';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshLog, readLog, registerHosts, SHARED_NWIPE_DIR, uploadReport } from '../support/erasure-fixtures';
import { TestApp } from '../support/test-app';

const HOUR = 3600_000;
const SINGLE = { brand: 'Dell', model: 'OptiPlex 7060', serialNumber: '7XKQ2M2', inventoryNumber: 'VLO-2019-0042' };
const TWO = { brand: 'HP', model: 'Z240 Tower', serialNumber: 'CZC6289QWX', inventoryNumber: 'VLO-2016-0311' };
const singleLog = () => readLog(SHARED_NWIPE_DIR, 'nwipe-single-disk-ok.log').toString('utf8');

/** End times as the parser reads them from a log (the local time read as UTC), by serial. */
const endsOf = (text: string) => new Map(new NwipeLogParser().parse(text).disks.map((d) => [d.serial, d.endedAt]));

describe('erasure report import: the wiping machine’s clock and the log’s encoding', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t?.close());

  it('records a log whose clock is on French local time (2 h ahead of UTC), imported right after the wipe, with a warning', async () => {
    const w = await t.world('ClockAhead');
    const { devices } = await registerHosts(t, w, [SINGLE]);
    const text = freshLog(singleLog(), new Date(Date.now() + 2 * HOUR));

    const res = await uploadReport(t, w.workshop.agent, text);
    expect(res.status).toBe(201);
    expect(res.body.matched).toEqual([expect.objectContaining({ code: devices[0].code, mediumSerial: 'S3Z9NB0K123456X', result: 'PASSED' })]);
    expect(res.body.unmatched).toEqual([]);
    expect(res.body.warnings).toContainEqual(expect.stringMatching(/horloge de la machine d’effacement semble en avance d’environ 2 h.*heure locale.*telles qu’elles y sont lues/));
    // The time is kept as read in the log, not corrected.
    const [row] = await t.db.query('SELECT ended_at FROM erasure_record WHERE device_id = $1', [devices[0].id]);
    expect(new Date(row.ended_at).toISOString().replace('.000Z', 'Z')).toBe(endsOf(text).get('S3Z9NB0K123456X'));
  });

  it('refuses only the disk whose end is more than 14 h ahead, with its reason, and records the other disks of the file', async () => {
    const w = await t.world('ClockFar');
    const { devices } = await registerHosts(t, w, [TWO]);
    // sda ends 1 s before the last line (15 h ahead), sdb 2 h 26 min earlier (about 12 h 33 ahead).
    const text = freshLog(readLog(SHARED_NWIPE_DIR, 'nwipe-two-disks-one-failed.log').toString('utf8'), new Date(Date.now() + 15 * HOUR));

    const res = await uploadReport(t, w.workshop.agent, text);
    expect(res.status).toBe(201);
    expect(res.body.unmatched).toEqual([
      { mediumSerial: 'Z6E4MK2Q', model: 'ST500DM002-1BD14', devicePath: '/dev/sda', reason: expect.stringMatching(/Fin d’effacement lue dans le journal \(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\) plus de 14 h.*horloge/) },
    ]);
    expect(res.body.matched).toEqual([expect.objectContaining({ code: devices[0].code, mediumSerial: 'WD-WCC2E1K7ZR45', result: 'FAILED' })]);
    expect(res.body.warnings).toContainEqual(expect.stringMatching(/en avance d’environ 13 h/));
    const rows = await t.db.query('SELECT medium_serial FROM erasure_record WHERE device_id = $1', [devices[0].id]);
    expect(rows).toEqual([{ medium_serial: 'WD-WCC2E1K7ZR45' }]);
  });

  it('says nothing of the clock for a log a few minutes ahead (drift)', async () => {
    const w = await t.world('ClockDrift');
    await registerHosts(t, w, [SINGLE]);
    // The disk ends 4 min 18 s before the last line: about 3 min ahead of the server.
    const res = await uploadReport(t, w.workshop.agent, freshLog(singleLog(), new Date(Date.now() + 7 * 60_000)));
    expect(res.status).toBe(201);
    expect(res.body.matched).toHaveLength(1);
    expect(res.body.warnings.filter((x: string) => /horloge/i.test(x))).toEqual([]);
  });

  it('reads a UTF-16 copy (Windows Notepad "Unicode", BOM FF FE) and keeps the hash of the uploaded bytes', async () => {
    const w = await t.world('Utf16');
    const { devices } = await registerHosts(t, w, [SINGLE]);
    const content = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(singleLog(), 'utf16le')]);
    const sha256 = createHash('sha256').update(content).digest('hex');

    const res = await uploadReport(t, w.workshop.agent, content, 'nwipe-unicode.log');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sha256, unmatched: [] });
    expect(res.body.matched).toEqual([expect.objectContaining({ code: devices[0].code, mediumSerial: 'S3Z9NB0K123456X', result: 'PASSED' })]);
    expect(readFileSync(join(t.storageDir, 'erasure-reports', sha256)).equals(content)).toBe(true);
    const [row] = await t.db.query('SELECT report_sha256 FROM erasure_record WHERE device_id = $1', [devices[0].id]);
    expect(row.report_sha256).toBe(sha256);
  });

  it('reads a Windows-1252 log with an accented character', async () => {
    const w = await t.world('Latin1');
    const { devices } = await registerHosts(t, w, [SINGLE]);
    const content = Buffer.from(singleLog().replace('Samsung SSD 860,', 'Samsung SSD 860 Évo,'), 'latin1');
    const sha256 = createHash('sha256').update(content).digest('hex');

    const res = await uploadReport(t, w.workshop.agent, content, 'nwipe-latin1.log');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sha256, unmatched: [] });
    expect(res.body.matched).toEqual([expect.objectContaining({ code: devices[0].code, mediumSerial: 'S3Z9NB0K123456X' })]);
    const [row] = await t.db.query('SELECT medium_model, report_sha256 FROM erasure_record WHERE device_id = $1', [devices[0].id]);
    expect(row).toEqual({ medium_model: 'Samsung SSD 860 Évo', report_sha256: sha256 });
  });

  it('still refuses a PDF with the binary-report problem', async () => {
    const w = await t.world('Pdf');
    const pdf = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
    const res = await uploadReport(t, w.workshop.agent, pdf, 'rapport.pdf');
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ type: expect.stringMatching(/binary-report$/), detail: expect.stringMatching(/pas le rapport PDF/) });
  });
});
