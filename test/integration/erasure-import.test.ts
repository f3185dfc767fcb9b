import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_NWIPE_DIR, readLog, registerHosts, SHARED_NWIPE_DIR, uploadReport } from '../support/erasure-fixtures';
import { step } from '../support/flows';
import { TestApp, World } from '../support/test-app';

interface ExpectedDisk {
  serial: string;
  model: string | null;
  method: string;
  level: string;
  verification: string;
  result: 'PASSED' | 'FAILED';
  failure: RegExp | null;
  endedAt: string;
}

/** Each fixture log, the machine it names (as the donor declared it) and what must be recorded, disk by disk. */
const CASES: { dir: string; file: string; host: { brand: string; model: string; serialNumber: string; inventoryNumber?: string; type?: string }; disks: ExpectedDisk[]; warnings: RegExp[] }[] = [
  {
    dir: SHARED_NWIPE_DIR,
    file: 'nwipe-single-disk-ok.log',
    host: { brand: 'Dell', model: 'OptiPlex 7060', serialNumber: '7XKQ2M2', inventoryNumber: 'VLO-2019-0042' },
    disks: [{ serial: 'S3Z9NB0K123456X', model: 'Samsung SSD 860', method: 'PRNG Stream', level: 'CLEAR', verification: 'FULL', result: 'PASSED', failure: null, endedAt: '2026-08-21T10:02:18.000Z' }],
    warnings: [],
  },
  {
    dir: SHARED_NWIPE_DIR,
    file: 'nwipe-two-disks-one-failed.log',
    host: { brand: 'HP', model: 'Z240 Tower', serialNumber: 'CZC6289QWX', inventoryNumber: 'VLO-2016-0311' },
    disks: [
      { serial: 'Z6E4MK2Q', model: 'ST500DM002-1BD14', method: 'DoD Short', level: 'CLEAR', verification: 'FULL', result: 'PASSED', failure: null, endedAt: '2026-08-18T16:48:27.000Z' },
      { serial: 'WD-WCC2E1K7ZR45', model: 'WDC WD5000AAKX-0', method: 'DoD Short', level: 'CLEAR', verification: 'FULL', result: 'FAILED', failure: /Erreurs d'écriture : 3.*Erreurs de vérification : 1/, endedAt: '2026-08-18T14:21:56.000Z' },
    ],
    warnings: [/WD-WCC2E1K7ZR45.*ÉCHEC/, /WD-WCC2E1K7ZR45.*Nouvelles tentatives/],
  },
  {
    dir: LOCAL_NWIPE_DIR,
    file: 'nwipe-0.28-three-disks.log',
    host: { brand: 'Lenovo', model: 'ThinkCentre M710q', serialNumber: 'MJ07ABCD' },
    disks: [
      { serial: 'WD-WX31A1234567', model: null, method: 'Zero Fill', level: 'CLEAR', verification: 'FULL', result: 'PASSED', failure: null, endedAt: '2020-06-12T16:55:31.000Z' },
      { serial: '5VMABCDE', model: null, method: 'Zero Fill', level: 'CLEAR', verification: 'FULL', result: 'FAILED', failure: /Erreurs de vérification : 2/, endedAt: '2020-06-12T15:27:49.000Z' },
      { serial: 'JA1000102ABCDE', model: null, method: 'Zero Fill', level: 'CLEAR', verification: 'NONE', result: 'FAILED', failure: /interrompu/, endedAt: '2020-06-12T17:04:04.000Z' },
    ],
    warnings: [/Version de nwipe absente/],
  },
  {
    dir: LOCAL_NWIPE_DIR,
    file: 'nwipe-0.37-shredos-quiet.log',
    host: { type: 'LAPTOP', brand: 'Dell', model: 'Latitude 7490', serialNumber: 'QUIET-7490-01' },
    disks: [], // serial masked by -q: never recorded automatically
    warnings: [/sans numéro|aucun numéro de série/i],
  },
  {
    dir: LOCAL_NWIPE_DIR,
    file: 'nwipe-0.42-hpa-usb-no-serial.log',
    host: { type: 'LAPTOP', brand: 'Dell', model: 'Latitude 5490', serialNumber: '19B8J32' },
    disks: [{ serial: '35H2SCTWS', model: 'TOSHIBA MQ01ABD1', method: 'PRNG Stream', level: 'CLEAR', verification: 'FULL', result: 'FAILED', failure: /Zone cachée/, endedAt: '2026-09-02T18:52:07.000Z' }],
    warnings: [/35H2SCTWS.*ÉCHEC/, /\/dev\/sdb.*aucun numéro de série/, /\/dev\/sdb.*Nouvelles tentatives/],
  },
  {
    dir: LOCAL_NWIPE_DIR,
    file: 'nwipe-0.42-user-abort.log',
    host: { brand: 'Dell', model: 'OptiPlex 3070', serialNumber: '4BX8Q33', inventoryNumber: 'EMM-75-0117' },
    disks: [
      { serial: 'S4EVNX0N812345A', model: 'Samsung SSD 970 EVO Plus 500GB', method: 'DoD 5220.22-M', level: 'CLEAR', verification: 'FULL', result: 'PASSED', failure: null, endedAt: '2026-09-05T09:55:47.000Z' },
      { serial: '50026B7782ABCDEF', model: 'KINGSTON SA400S3', method: 'DoD 5220.22-M', level: 'CLEAR', verification: 'FULL', result: 'FAILED', failure: /interrompu/, endedAt: '2026-09-05T09:57:41.000Z' },
    ],
    warnings: [/interrompu par l'utilisateur/],
  },
];

describe('erasure report import (nwipe/ShredOS)', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await TestApp.start();
    w = await t.world('Import');
  });
  afterAll(() => t?.close());

  it('covers every shared fixture', () => {
    const shared = readdirSync(SHARED_NWIPE_DIR).filter((f) => f.endsWith('.log'));
    expect(shared.length).toBeGreaterThan(0);
    for (const f of shared) expect(CASES.map((c) => c.file)).toContain(f);
  });

  describe.each(CASES)('$file', ({ dir, file, host, disks, warnings }) => {
    it('records each identified disk field by field on the host device, never PASSED for a failed disk, and a re-import changes nothing', async () => {
      const { devices } = await registerHosts(t, w, [host]);
      const [device] = devices;
      const content = readLog(dir, file);
      const sha256 = createHash('sha256').update(content).digest('hex');

      const res = await uploadReport(t, w.workshop.agent, content, file);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ sha256, alreadyImported: false, unmatched: [] });
      expect(res.body.matched).toHaveLength(disks.length);
      for (const d of disks) {
        expect(res.body.matched).toContainEqual(expect.objectContaining({ code: device.code, mediumSerial: d.serial, result: d.result, erasureId: expect.any(String) }));
      }
      for (const pattern of warnings) expect(res.body.warnings.some((x: string) => pattern.test(x))).toBe(true);
      // The file is kept under its hash.
      expect(readFileSync(join(t.storageDir, 'erasure-reports', sha256)).equals(content)).toBe(true);

      const rows = await t.db.query(
        `SELECT medium_serial, medium_model, method, level, verification, result, failure_reason, ended_at, tool, report_sha256, report_id, source, details
           FROM erasure_record WHERE device_id = $1 ORDER BY medium_serial`,
        [device.id],
      );
      expect(rows).toHaveLength(disks.length);
      for (const d of disks) {
        const row = rows.find((r: { medium_serial: string }) => r.medium_serial === d.serial);
        expect(row).toMatchObject({ medium_model: d.model, method: d.method, level: d.level, verification: d.verification, result: d.result, tool: 'nwipe', report_sha256: sha256, report_id: res.body.reportId });
        expect(new Date(row.ended_at).toISOString()).toBe(d.endedAt);
        if (d.failure) expect(row.failure_reason).toMatch(d.failure);
        else expect(row.failure_reason).toBeNull();
      }

      // Matching through the host serial added the disks as media of this device.
      const shown = await t.http.get(`/api/v1/devices/${device.id}`).set(w.workshop.agent.auth).expect(200);
      expect(shown.body.media.map((m: { serialNumber: string }) => m.serialNumber).sort()).toEqual(disks.map((d) => d.serial).sort());

      const before = await t.db.query('SELECT event_seq, version FROM device WHERE id = $1', [device.id]);
      const again = await uploadReport(t, w.workshop.agent, content, `copie-${file}`);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ alreadyImported: true, reportId: res.body.reportId, matched: res.body.matched, message: expect.stringMatching(/déjà été importé/) });
      expect(await t.db.query('SELECT event_seq, version FROM device WHERE id = $1', [device.id])).toEqual(before);
      expect(await t.db.query('SELECT count(*)::int AS n FROM erasure_record WHERE device_id = $1', [device.id])).toEqual([{ n: disks.length }]);
      expect(await t.db.query('SELECT count(*)::int AS n FROM erasure_report WHERE sha256 = $1', [sha256])).toEqual([{ n: 1 }]);
    });
  });

  it('matches a disk by its serial among the declared media first, and never records a failed disk as PASSED', async () => {
    const other = await t.world('Media');
    const { devices } = await registerHosts(t, other, [
      // The host serial in the log is not this device's: the declared disk is what matches.
      { brand: 'HP', model: 'Z240', serialNumber: 'NOT-THE-HOST-1', media: [{ kind: 'HDD', serialNumber: 'wd-wcc2e1k7zr45' }] },
      { brand: 'HP', model: 'Z240', serialNumber: 'NOT-THE-HOST-2', media: [{ kind: 'HDD', serialNumber: 'Z6E4MK2Q' }] },
    ]);
    const res = await uploadReport(t, other.workshop.agent, readLog(SHARED_NWIPE_DIR, 'nwipe-two-disks-one-failed.log'));
    expect(res.status).toBe(201);
    expect(res.body.matched).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: devices[0].code, mediumSerial: 'WD-WCC2E1K7ZR45', result: 'FAILED', matchedBy: 'MEDIUM_SERIAL', mediumAdded: false }),
        expect.objectContaining({ code: devices[1].code, mediumSerial: 'Z6E4MK2Q', result: 'PASSED', matchedBy: 'MEDIUM_SERIAL', mediumAdded: false }),
      ]),
    );
    const passed = await t.db.query(`SELECT count(*)::int AS n FROM erasure_record WHERE medium_serial = 'WD-WCC2E1K7ZR45' AND result = 'PASSED'`);
    expect(passed).toEqual([{ n: 0 }]);
    // The failed disk keeps its device from leaving: wipe is refused.
    const wipe = await t.http.post(`/api/v1/devices/${devices[0].id}/transitions`).set(other.workshop.agent.auth).set('Idempotency-Key', `wipe-${devices[0].id}`).send({ action: 'wipe' });
    expect(wipe.status).toBe(422);
  });

  it('says when a log names a disk the workshop had declared absent: it is in the device after all, and counts again', async () => {
    const other = await t.world('Absent');
    const { devices } = await registerHosts(t, other, [{ brand: 'Dell', model: 'OptiPlex 7060', serialNumber: 'ABSENT-HOST-1', media: [{ kind: 'SSD', serialNumber: 'S3Z9NB0K123456X' }] }]);
    const [medium] = (await t.http.get(`/api/v1/devices/${devices[0].id}`).set(other.workshop.agent.auth)).body.media;
    const absent = await t.http.post(`/api/v1/devices/${devices[0].id}/media/${medium.id}/absence`).set(other.workshop.agent.auth).send({ reason: 'Baie vide à la réception' });
    expect(absent.status).toBe(200);
    const res = await uploadReport(t, other.workshop.agent, readLog(SHARED_NWIPE_DIR, 'nwipe-single-disk-ok.log'));
    expect(res.status).toBe(201);
    expect(res.body.matched).toEqual([expect.objectContaining({ code: devices[0].code, mediumSerial: 'S3Z9NB0K123456X', matchedBy: 'MEDIUM_SERIAL' })]);
    expect(res.body.warnings).toContainEqual(expect.stringContaining(`Disque n° S3Z9NB0K123456X (${devices[0].code}) : ce support avait été déclaré absent de l'appareil`));
    expect((await t.http.get(`/api/v1/devices/${devices[0].id}`).set(other.workshop.agent.auth)).body.media[0]).toMatchObject({ absent: false });
  });

  it('puts a log whose disks and host match nothing in custody into unmatched (a device still at the donor does not match)', async () => {
    const other = await t.world('Unmatched');
    const { devices } = await registerHosts(t, other, [{ brand: 'Dell', model: 'OptiPlex 7060', serialNumber: '7XKQ2M2', inventoryNumber: 'VLO-2019-0042' }], { collect: false });
    const res = await uploadReport(t, other.workshop.agent, readLog(SHARED_NWIPE_DIR, 'nwipe-single-disk-ok.log'));
    expect(res.status).toBe(201);
    expect(res.body.matched).toEqual([]);
    expect(res.body.unmatched).toEqual([{ mediumSerial: 'S3Z9NB0K123456X', model: 'Samsung SSD 860', devicePath: '/dev/sda', reason: expect.stringMatching(/Aucun matériel sous la garde.*collecté \(prise en charge\).*commencé après/) }]);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM erasure_record WHERE organization_id = $1`, [other.workshop.id])).toEqual([{ n: 0 }]);

    // The technician does as told: collects, then imports the same file again. The disk is placed
    // this time; the log's run predates the collect, so it is recorded but does not count.
    await step(t, other.workshop.agent, devices[0].id, { action: 'collect' });
    const again = await uploadReport(t, other.workshop.agent, readLog(SHARED_NWIPE_DIR, 'nwipe-single-disk-ok.log'));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ alreadyImported: false, reportId: res.body.reportId, unmatched: [] });
    expect(again.body.matched).toEqual([expect.objectContaining({ code: devices[0].code, mediumSerial: 'S3Z9NB0K123456X', matchedBy: 'HOST_SERIAL' })]);
    expect(again.body.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/déjà été importé avec des disques non rattachés/), expect.stringMatching(/commencé avant la dernière prise en charge/)]));
    // A third time, the file was placed whole: the stored answer, nothing recorded twice.
    const third = await uploadReport(t, other.workshop.agent, readLog(SHARED_NWIPE_DIR, 'nwipe-single-disk-ok.log'));
    expect(third.body).toMatchObject({ alreadyImported: true, matched: again.body.matched });
    expect(await t.db.query(`SELECT count(*)::int AS n FROM erasure_record WHERE organization_id = $1`, [other.workshop.id])).toEqual([{ n: 1 }]);
  });

  it('matches through the asset tag when the host serial is unknown', async () => {
    const other = await t.world('Asset');
    const { devices } = await registerHosts(t, other, [{ brand: 'Dell', model: 'OptiPlex 7060', serialNumber: 'DECLARED-OTHERWISE', inventoryNumber: 'vlo-2019-0042' }]);
    const res = await uploadReport(t, other.workshop.agent, readLog(SHARED_NWIPE_DIR, 'nwipe-single-disk-ok.log'));
    expect(res.body.matched).toEqual([expect.objectContaining({ code: devices[0].code, mediumSerial: 'S3Z9NB0K123456X', matchedBy: 'HOST_ASSET_TAG', mediumAdded: true })]);
  });

  it('refuses a 20 MB file, a binary file, an empty file and an unknown format with clear problems', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 'a');
    const tooLarge = await uploadReport(t, w.workshop.agent, big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(tooLarge.body).toMatchObject({ type: expect.stringMatching(/report-too-large$/), detail: expect.stringMatching(/10 Mo/) });

    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const binary = await uploadReport(t, w.workshop.agent, png, 'photo.png');
    expect(binary.status).toBe(415);
    expect(binary.body).toMatchObject({ type: expect.stringMatching(/binary-report$/), detail: expect.stringMatching(/pas un journal texte/) });
    // Windows-1252 text is read (erasure-import-clock-encoding.test.ts): this one is just not a log.
    const latin1 = await uploadReport(t, w.workshop.agent, Buffer.from([0x45, 0x66, 0x66, 0x61, 0x63, 0xe9, 0x0a]));
    expect(latin1.status).toBe(422);

    const empty = await uploadReport(t, w.workshop.agent, Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ type: expect.stringMatching(/empty-report$/), detail: expect.stringMatching(/vide/) });

    const missing = await t.http.post('/api/v1/erasures/import').set(w.workshop.agent.auth).field('other', 'x');
    expect(missing.status).toBe(400);
    expect(missing.body.type).toMatch(/report-missing$/);

    const unknown = await uploadReport(t, w.workshop.agent, 'Rapport Blancco\nDisque: ABC\n');
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ type: expect.stringMatching(/unsupported-report$/), detail: expect.stringMatching(/non reconnu/) });
    expect(existsSync(join(t.storageDir, 'erasure-reports', createHash('sha256').update('Rapport Blancco\nDisque: ABC\n').digest('hex')))).toBe(false);
  });

  it('is for workshop technicians only', async () => {
    const log = readLog(SHARED_NWIPE_DIR, 'nwipe-single-disk-ok.log');
    expect((await uploadReport(t, w.donor.agent, log)).status).toBe(403);
    expect((await uploadReport(t, w.workshop.viewer, log)).status).toBe(403);
  });
});
