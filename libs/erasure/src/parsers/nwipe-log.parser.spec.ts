import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  ERASURE_REPORT_PARSERS,
  NwipeLogParser,
  ParsedDiskErasure,
  ParsedErasureReport,
  UnsupportedReportError,
  parseErasureReport,
} from './index';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
// CI clones the repo with `shared/` beside it.
const SHARED = path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'nwipe');
const OWN = path.resolve(REPO_ROOT, 'test', 'fixtures', 'nwipe');

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
const parseFile = (dir: string, file: string) => parseErasureReport(read(dir, file));
const disk = (report: ParsedErasureReport, devicePath: string): ParsedDiskErasure => {
  const found = report.disks.find((d) => d.devicePath === devicePath);
  if (!found) throw new Error(`no ${devicePath} in ${report.disks.map((d) => d.devicePath).join(', ')}`);
  return found;
};

/** One log line in the current layout: `[2026/01/02 03:04:05]  notice: text`. */
const at = (time: string, level: string, text: string) => `[2026/01/02 ${time}] ${level.padStart(7)}: ${text}`;
const log = (...lines: string[]) => lines.join('\n') + '\n';

describe('nwipe log parser: shared fixtures', () => {
  describe('nwipe-single-disk-ok.log (0.42, one SATA SSD)', () => {
    const report = parseFile(SHARED, 'nwipe-single-disk-ok.log');

    it('reads the tool and the host', () => {
      expect(report.tool).toBe('nwipe');
      expect(report.toolVersion).toBe('0.42');
      expect(report.host).toEqual({
        manufacturer: 'Dell Inc.',
        productName: 'OptiPlex 7060',
        systemSerial: '7XKQ2M2',
        assetTag: 'VLO-2019-0042',
      });
      expect(report.warnings).toEqual([]);
    });

    it('returns one record, field by field', () => {
      expect(report.disks).toHaveLength(1);
      const sda = report.disks[0];
      expect(sda.devicePath).toBe('/dev/sda');
      expect(sda.model).toBe('Samsung SSD 860'); // as logged: libparted cut the ATA model to 16 characters
      expect(sda.serial).toBe('S3Z9NB0K123456X');
      expect(sda.sizeBytes).toBe(500107862016);
      expect(sda.mediumKind).toBe('SSD');
      expect(sda.method).toBe('PRNG Stream');
      expect(sda.prng).toBe('AES-256-CTR (CSPRNG)');
      expect(sda.rounds).toBe(1);
      expect(sda.blanking).toBe(true);
      expect(sda.verification).toBe('FULL'); // verify=last: the blanking pass is read back in full
      expect(sda.level).toBe('CLEAR');
      expect([sda.passErrors, sda.verifyErrors, sda.fdatasyncErrors]).toEqual([0, 0, 0]);
      expect(sda.ioRetries).toBe(0);
      expect(sda.hiddenSectors).toBe('NONE');
      expect(sda.startedAt).toBe('2026-08-21T09:12:50Z');
      expect(sda.endedAt).toBe('2026-08-21T10:02:18Z'); // start + 00:49:28
      expect(sda.status).toBe('ERASED');
      expect(sda.result).toBe('PASSED');
      expect(sda.failureReasons).toEqual([]);
      expect(sda.warnings).toEqual([]);
    });
  });

  describe('nwipe-two-disks-one-failed.log (0.42, interleaved threads)', () => {
    const report = parseFile(SHARED, 'nwipe-two-disks-one-failed.log');

    it('reads the tool and the host', () => {
      expect(report.toolVersion).toBe('0.42');
      expect(report.host.manufacturer).toBe('HP');
      expect(report.host.productName).toBe('HP Z240 Tower Workstation');
      expect(report.host.systemSerial).toBe('CZC6289QWX');
      expect(report.host.assetTag).toBe('VLO-2016-0311'); // chassis asset tag, not the baseboard's
    });

    it('returns both disks in table order, and not the excluded /dev/sdc', () => {
      expect(report.disks.map((d) => d.devicePath)).toEqual(['/dev/sda', '/dev/sdb']);
    });

    it('/dev/sda: DoD Short, verify all, blank, no errors, 08:43:11, PASSED', () => {
      const sda = disk(report, '/dev/sda');
      expect(sda.model).toBe('ST500DM002-1BD14');
      expect(sda.serial).toBe('Z6E4MK2Q');
      expect(sda.sizeBytes).toBe(500107862016);
      expect(sda.mediumKind).toBe('HDD');
      expect(sda.method).toBe('DoD Short');
      expect(sda.rounds).toBe(1);
      expect(sda.blanking).toBe(true);
      expect(sda.verification).toBe('FULL');
      expect([sda.passErrors, sda.verifyErrors, sda.fdatasyncErrors]).toEqual([0, 0, 0]);
      expect(sda.hiddenSectors).toBe('NONE');
      expect(sda.startedAt).toBe('2026-08-18T08:05:16Z');
      expect(sda.endedAt).toBe('2026-08-18T16:48:27Z'); // 08:05:16 + 08:43:11
      expect(sda.status).toBe('ERASED');
      expect(sda.result).toBe('PASSED');
      expect(sda.failureReasons).toEqual([]);
      expect(sda.warnings).toEqual([]);
    });

    it('/dev/sdb: -FAILED- with 3 pass and 1 verification errors, despite 100.00 % erased', () => {
      const sdb = disk(report, '/dev/sdb');
      expect(sdb.model).toBe('WDC WD5000AAKX-0');
      expect(sdb.serial).toBe('WD-WCC2E1K7ZR45');
      expect(sdb.sizeBytes).toBe(500107862016);
      expect(sdb.method).toBe('DoD Short');
      expect(sdb.verification).toBe('FULL');
      expect(sdb.passErrors).toBe(3);
      expect(sdb.verifyErrors).toBe(1);
      expect(sdb.fdatasyncErrors).toBe(0);
      expect(sdb.ioRetries).toBe(8); // 4 incidents × 2 retries, all given up
      expect(sdb.startedAt).toBe('2026-08-18T08:05:16Z');
      expect(sdb.endedAt).toBe('2026-08-18T14:21:56Z'); // 08:05:16 + 06:16:40
      expect(sdb.status).toBe('FAILED');
      expect(sdb.result).toBe('FAILED');
      expect(sdb.failureReasons).toEqual([
        "nwipe déclare l'effacement en échec (-FAILED-)",
        "Erreurs d'écriture : 3",
        'Erreurs de vérification : 1',
      ]);
      expect(sdb.warnings).toContain("Nouvelles tentatives d'entrée/sortie : 8"); // none recovered
      expect(sdb.warnings).toContain("Vérification sautée pour 3 passes à cause d'erreurs d'écriture");
    });
  });
});

describe('nwipe log parser: synthetic fixtures', () => {
  describe('nwipe-0.28-three-disks.log (old layout, no tables)', () => {
    const report = parseFile(OWN, 'nwipe-0.28-three-disks.log');

    it('has no version, and says the status comes from the messages', () => {
      expect(report.toolVersion).toBeUndefined();
      expect(report.warnings).toEqual([
        'Pas de tableau « Drive Status » (nwipe ≤ 0.28 ou journal tronqué) : statut déduit des messages',
        'Version de nwipe absente du journal (nwipe ≤ 0.28 ne la note pas)',
      ]);
    });

    it('reads the host and ignores DMI placeholders', () => {
      expect(report.host).toEqual({
        manufacturer: 'LENOVO',
        productName: '10MQS0BA00',
        systemSerial: 'MJ07ABCD',
        assetTag: undefined, // `No Asset Tag`, `Not Specified`
      });
    });

    it('/dev/sda: completed blanking and verification → ERASED, PASSED', () => {
      const sda = disk(report, '/dev/sda');
      expect(sda).toMatchObject({
        serial: 'WD-WX31A1234567',
        sizeBytes: 320072933376,
        method: 'Zero Fill',
        rounds: 1,
        blanking: true,
        verification: 'FULL',
        hiddenSectors: 'UNKNOWN',
        startedAt: '2020-06-12T14:03:10Z',
        endedAt: '2020-06-12T16:55:31Z',
        status: 'ERASED',
        result: 'PASSED',
      });
      expect(sda.model).toBeUndefined(); // 0.28 does not log it
      expect(sda.mediumKind).toBeUndefined();
      expect(sda.warnings).toEqual(['Présence de zones cachées (HPA/DCO) non déterminée']);
    });

    it('/dev/sdb: "[SUCCESS] Blanked" then 2 verification errors (0.28 bug) → FAILED', () => {
      const sdb = disk(report, '/dev/sdb');
      expect(sdb.verifyErrors).toBe(2);
      expect(sdb.passErrors).toBe(0);
      expect(sdb.status).toBe('FAILED');
      expect(sdb.result).toBe('FAILED');
      expect(sdb.failureReasons).toContain('Erreurs de vérification : 2');
      expect(sdb.endedAt).toBe('2020-06-12T15:27:49Z');
    });

    it('/dev/sdc: thread cancelled before the end → ABORTED, ended at the cancellation', () => {
      const sdc = disk(report, '/dev/sdc');
      expect(sdc.status).toBe('ABORTED');
      expect(sdc.result).toBe('FAILED');
      expect(sdc.failureReasons).toEqual(['Effacement interrompu avant la fin']);
      expect(sdc.startedAt).toBe('2020-06-12T14:03:11Z');
      expect(sdc.endedAt).toBe('2020-06-12T17:04:04Z');
      expect(sdc.verification).toBe('NONE');
      expect(sdc.blanking).toBeUndefined();
    });
  });

  describe('nwipe-0.37-shredos-quiet.log (ShredOS banner, -q, no blank, no verify)', () => {
    const report = parseFile(OWN, 'nwipe-0.37-shredos-quiet.log');
    const sda = report.disks[0];

    it('takes the nwipe version from the ShredOS banner', () => {
      expect(report.toolVersion).toBe('0.37');
    });

    it('never takes an anonymised value for a serial', () => {
      expect(report.host).toEqual({
        manufacturer: 'Dell Inc.',
        productName: 'Latitude 7490',
        systemSerial: undefined,
        assetTag: undefined,
      });
      expect(report.warnings).toEqual(['Numéro de série de la machine absent du journal']);
      expect(sda.serial).toBeUndefined();
      expect(sda.warnings).toEqual([
        'Numéro de série masqué dans le journal (option -q de nwipe) : identifier le disque à la main',
      ]);
    });

    it('reads a run without blanking, verification or Erasure Summary', () => {
      expect(report.disks).toHaveLength(1);
      expect(sda).toMatchObject({
        devicePath: '/dev/sda',
        model: 'CT240BX500SSD1',
        sizeBytes: 240057409536,
        mediumKind: 'SSD',
        method: 'Fill With Zeros',
        prng: 'XORoshiro-256',
        rounds: 1,
        blanking: false,
        verification: 'NONE',
        hiddenSectors: 'NONE',
        startedAt: '2024-11-24T10:22:05Z',
        endedAt: '2024-11-24T10:31:12Z',
        status: 'ERASED',
        result: 'PASSED',
        failureReasons: [],
      });
    });
  });

  describe('nwipe-0.42-hpa-usb-no-serial.log', () => {
    const report = parseFile(OWN, 'nwipe-0.42-hpa-usb-no-serial.log');

    it('falls back to the chassis serial when the system serial is a placeholder', () => {
      expect(report.host.systemSerial).toBe('19B8J32');
      expect(report.host.assetTag).toBeUndefined();
    });

    it('/dev/sda: Erased, but a hidden area was left → FAILED', () => {
      const sda = disk(report, '/dev/sda');
      expect(sda.status).toBe('ERASED');
      expect(sda.hiddenSectors).toBe('DETECTED_NOT_WIPED');
      expect(sda.result).toBe('FAILED');
      expect(sda.failureReasons).toEqual(['Zone cachée (HPA/DCO) détectée et non effacée : nwipe ne la supprime pas']);
      expect(sda).toMatchObject({
        model: 'TOSHIBA MQ01ABD1',
        serial: '35H2SCTWS',
        sizeBytes: 1000203804160,
        mediumKind: 'HDD',
        startedAt: '2026-09-02T13:40:10Z',
        endedAt: '2026-09-02T18:52:07Z',
      });
    });

    it('/dev/sdb: a disk with no serial is still returned; recovered retries only warn', () => {
      const sdb = disk(report, '/dev/sdb');
      expect(sdb.serial).toBeUndefined();
      expect(sdb.model).toBe('Kingston DataTraveler 3.0'); // the Found line, not the 17-character table cut
      expect(sdb.mediumKind).toBeUndefined(); // USB: the bus says nothing about the medium
      expect(sdb.sizeBytes).toBe(7864320000);
      expect(sdb.ioRetries).toBe(3);
      expect(sdb.hiddenSectors).toBe('UNKNOWN');
      expect(sdb.status).toBe('ERASED');
      expect(sdb.result).toBe('PASSED');
      expect(sdb.failureReasons).toEqual([]);
      expect(sdb.warnings).toEqual([
        "Nouvelles tentatives d'entrée/sortie : 3 (2 erreurs récupérées : surveiller ce disque)",
        'Numéro de série absent du journal : identifier le disque à la main',
        'Présence de zones cachées (HPA/DCO) non déterminée',
      ]);
      expect(sdb.endedAt).toBe('2026-09-02T13:58:19Z');
    });
  });

  describe('nwipe-0.42-user-abort.log', () => {
    const report = parseFile(OWN, 'nwipe-0.42-user-abort.log');

    it('returns only the selected disks, not a stick that was merely enumerated', () => {
      expect(report.disks.map((d) => d.devicePath)).toEqual(['/dev/nvme0n1', '/dev/sda']);
      expect(report.warnings).toEqual(["nwipe a été interrompu par l'utilisateur"]);
      expect(report.host.assetTag).toBe('EMM-75-0117');
    });

    it('keeps a disk finished before Control-C ERASED and PASSED', () => {
      const nvme = disk(report, '/dev/nvme0n1');
      expect(nvme).toMatchObject({
        model: 'Samsung SSD 970 EVO Plus 500GB',
        serial: 'S4EVNX0N812345A',
        mediumKind: 'NVME',
        method: 'DoD 5220.22-M',
        hiddenSectors: 'UNKNOWN',
        endedAt: '2026-09-05T09:55:47Z',
        status: 'ERASED',
        result: 'PASSED',
        warnings: [], // nwipe does not look for HPA/DCO on NVMe: nothing to warn about
      });
    });

    it('marks the interrupted disk ABORTED, with the bytes actually erased', () => {
      const sda = disk(report, '/dev/sda');
      expect(sda.status).toBe('ABORTED');
      expect(sda.result).toBe('FAILED');
      expect(sda.failureReasons).toEqual([
        'Effacement interrompu avant la fin (UABORTED)',
        'Octets effacés : 204048798105 sur 240057409536',
      ]);
      expect(sda.endedAt).toBe('2026-09-05T09:57:41Z'); // summary time: 09:01:02 + 00:56:39
    });
  });
});

describe('nwipe log parser: format traps', () => {
  const header = [
    at('10:00:00', 'info', 'nwipe 0.42'),
    at('10:00:01', 'notice', 'Found /dev/sda,  ATA    , ST1000DM003-1SB1, 1000 GB, S/N=ZN15TA6Y'),
    at('10:00:01', 'info', 'HPA:  max sectors   = 1953525168/1953525168, hpa is disabled'),
    ' on /dev/sda',
    at('10:00:01', 'info', 'No hidden sectors on /dev/sda'),
    at('10:00:02', 'info', 'system-serial-number = ABC1234'),
  ];
  const wipe = [
    at('10:01:00', 'notice', "Invoking method 'Fill With Zeros' on /dev/sda"),
    at('10:01:00', 'notice', 'Starting round 1 of 1 on /dev/sda'),
    at('10:01:00', 'notice', 'Starting pass 1/1, round 1/1, on /dev/sda'),
    at('11:00:00', 'notice', '1000204886016 bytes written to /dev/sda'),
    at('11:00:00', 'notice', 'Finished pass 1/1, round 1/1, on /dev/sda'),
    at('11:00:00', 'notice', 'Finished final round 1 of 1 on /dev/sda'),
    at('11:00:00', 'notice', 'Blanking device /dev/sda'),
    at('12:00:00', 'notice', '[SUCCESS] Blanked device /dev/sda'),
  ];
  const tables = (status = 'Erased', duration = '01:59:00') => [
    '',
    '******************************** Error Summary *********************************',
    '!   Device | Pass Errors | Verifications Errors | Fdatasync I\\O Errors',
    '--------------------------------------------------------------------------------',
    '       sda |           0 |                    0 |                    0',
    '********************************************************************************',
    '',
    '********************************* Drive Status *********************************',
    '!   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number',
    '--------------------------------------------------------------------------------',
    `       sda |${status.length === 8 ? status : ` ${status} `}|  140 MB/s | ${duration} | ST1000DM003-1SB1/ZN15TA6Y`,
    '--------------------------------------------------------------------------------',
    '[2026/01/02 12:00:01] Total Throughput  140 MB/s, Fill With Zeros, 1R+B+NV',
    '********************************************************************************',
  ];

  it('reads continuation lines without prefix as part of the previous message', () => {
    const report = parseErasureReport(log(...header, ...wipe, ...tables()));
    const sda = report.disks[0];
    expect(sda.hiddenSectors).toBe('NONE');
    expect(sda.result).toBe('PASSED');
    expect(sda.verification).toBe('NONE'); // NV
    expect(sda.blanking).toBe(true);
    expect(sda.startedAt).toBe('2026-01-02T10:01:00Z');
    expect(sda.endedAt).toBe('2026-01-02T12:00:00Z');
  });

  it('gives the same result with CRLF line ends and a BOM', () => {
    const lf = log(...header, ...wipe, ...tables());
    expect(parseErasureReport('\uFEFF' + lf.replace(/\n/g, '\r\n'))).toEqual(parseErasureReport(lf));
  });

  it('trusts the counters over the status word: Erased with errors is FAILED', () => {
    const text = log(...header, ...wipe, ...tables()).replace(
      '       sda |           0 |                    0 |                    0',
      '!      sda |           0 |                    0 |                    2',
    );
    const sda = parseErasureReport(text).disks[0];
    expect(sda.fdatasyncErrors).toBe(2);
    expect(sda.result).toBe('FAILED');
    expect(sda.failureReasons).toEqual(['Erreurs de synchronisation (fdatasync) : 2']);
  });

  it('does not pass a disk whose end is missing from the messages (thread died early, nwipe#400)', () => {
    const sda = parseErasureReport(log(...header, ...wipe.slice(0, 4), ...tables())).disks[0];
    expect(sda.status).toBe('ERASED');
    expect(sda.result).toBe('FAILED');
    expect(sda.failureReasons).toEqual(["La fin de l'effacement n'apparaît pas dans le journal"]);
  });

  it('maps INSANITY and keeps the raw word in the reason', () => {
    const sda = parseErasureReport(log(...header, ...wipe, ...tables('INSANITY'))).disks[0];
    expect(sda.status).toBe('INSANITY');
    expect(sda.result).toBe('FAILED');
    expect(sda.failureReasons).toEqual(['nwipe signale un état incohérent (INSANITY)']);
  });

  it('a truncated log (no table, no end, no cancellation) gives UNKNOWN and FAILED', () => {
    const report = parseErasureReport(log(...header, ...wipe.slice(0, 4)));
    const sda = report.disks[0];
    expect(sda.status).toBe('UNKNOWN');
    expect(sda.result).toBe('FAILED');
    expect(sda.endedAt).toBe('2026-01-02T11:00:00Z'); // last message of the wipe thread
    expect(report.warnings[0]).toMatch(/Drive Status/);
  });

  it('a verification-only method is not an erasure', () => {
    const text = log(...header, ...wipe.slice(0, 6), ...tables()).replace(/Fill With Zeros/g, 'Verify Zeros (0x00)');
    const sda = parseErasureReport(text).disks[0];
    expect(sda.method).toBe('Verify Zeros (0x00)');
    expect(sda.result).toBe('FAILED');
    expect(sda.failureReasons).toEqual(["La méthode « Verify Zeros (0x00) » ne fait que relire le disque : ce n'est pas un effacement"]);
  });

  it('accepts an unknown method label, with a warning', () => {
    const text = log(...header, ...wipe, ...tables()).replace(/Fill With Zeros/g, 'Future Method 9000');
    const sda = parseErasureReport(text).disks[0];
    expect(sda.method).toBe('Future Method 9000');
    expect(sda.level).toBe('CLEAR');
    expect(sda.result).toBe('PASSED');
    expect(sda.warnings).toContain("Méthode d'effacement non reconnue : Future Method 9000");
  });

  it('takes model and serial from the Drive Status row when no Found line exists', () => {
    const sda = parseErasureReport(log(header[0], ...wipe, ...tables())).disks[0];
    expect(sda.model).toBe('ST1000DM003-1SB1');
    expect(sda.serial).toBe('ZN15TA6Y');
  });

  it('without tables, counts fdatasync failures from the messages', () => {
    const flush = at('10:30:00', 'warning', "Buffer flush failure on '/dev/sda'.");
    const sda = parseErasureReport(log(...header, ...wipe.slice(0, 3), flush, ...wipe.slice(3))).disks[0];
    expect(sda.fdatasyncErrors).toBe(1);
    expect(sda.status).toBe('FAILED');
    expect(sda.failureReasons).toEqual([
      "nwipe déclare l'effacement en échec",
      'Erreurs de synchronisation (fdatasync) : 1',
    ]);
  });

  it('does not call an ATA disk an HDD when smartctl was missing (nwipe then cannot tell an SSD)', () => {
    const noSmart = at('10:00:00', 'warning', 'Command not found. Install smartmontools !');
    const sda = parseErasureReport(log(noSmart, ...header, ...wipe, ...tables())).disks[0];
    expect(sda.mediumKind).toBeUndefined();
  });

  it('returns each run of a log file appended twice', () => {
    const report = parseErasureReport(log(...header, ...wipe, ...tables(), ...header, ...wipe, ...tables()));
    expect(report.disks).toHaveLength(2);
    expect(report.warnings).toContain('Le journal contient 2 exécutions successives de nwipe');
  });

  it('reads the pre-2020 wording with quoted devices', () => {
    // Wording of issue martijnvanbrummelen/nwipe#8 (nwipe 0.2x), completed with a final line.
    const text = log(
      "[2016/08/18 15:41:48] nwipe: info: Device '/dev/sdb' is size 600127266816.",
      "[2016/08/18 15:41:48] nwipe: notice: Invoking method 'PRNG Stream' on device '/dev/sdb'.",
      "[2016/08/18 15:41:48] nwipe: notice: Starting round 1 of 1 on device '/dev/sdb'.",
      "[2016/08/18 15:41:48] nwipe: notice: Starting pass 1 of 1, round 1 of 1, on device '/dev/sdb'.",
      "[2016/08/18 17:02:30] nwipe: notice: 600127266816 bytes written to device '/dev/sdb'.",
      "[2016/08/18 17:02:30] nwipe: notice: Finished round 1 of 1 on device '/dev/sdb'.",
      "[2016/08/18 17:02:30] nwipe: notice: Blanking device '/dev/sdb'.",
      "[2016/08/18 19:00:02] nwipe: notice: Blanked device '/dev/sdb'.",
    );
    const sdb = parseErasureReport(text).disks[0];
    expect(sdb).toMatchObject({
      devicePath: '/dev/sdb',
      sizeBytes: 600127266816,
      method: 'PRNG Stream',
      rounds: 1,
      startedAt: '2016-08-18T15:41:48Z',
      endedAt: '2016-08-18T19:00:02Z',
      status: 'ERASED',
      result: 'PASSED',
    });
  });
});

describe('erasure report registry', () => {
  it('lists the nwipe parser', () => {
    expect(ERASURE_REPORT_PARSERS.map((p) => p.tool)).toEqual(['nwipe']);
    expect(ERASURE_REPORT_PARSERS[0]).toBeInstanceOf(NwipeLogParser);
  });

  it.each([
    ['an empty text', ''],
    ['a GLPI CSV export', '\uFEFF"Nom";"Entité";"Numéro de série";\n"PC-01";"Entité racine";"7XKQ2M2";\n'],
    ['a JSON document', '{"tool":"nwipe","disks":[]}'],
    ['another tool\'s log', '[2026/01/02 10:00:00] info: backup finished\n[2026/01/02 10:00:01] error: disk full\n'],
  ])('rejects %s with a French UnsupportedReportError', (_, text) => {
    expect(() => parseErasureReport(text)).toThrow(UnsupportedReportError);
    expect(() => parseErasureReport(text)).toThrow(/Format de rapport d'effacement non reconnu.*nwipe/);
  });

  it('recognises every nwipe layout', () => {
    const parser = new NwipeLogParser();
    expect(parser.canParse(read(SHARED, 'nwipe-single-disk-ok.log'))).toBe(true);
    expect(parser.canParse(read(OWN, 'nwipe-0.28-three-disks.log'))).toBe(true);
    expect(parser.canParse(read(OWN, 'nwipe-0.37-shredos-quiet.log'))).toBe(true);
  });
});
