import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  InventoryFileError,
  InventoryFileErrorReason,
  InventoryParseResult,
  parseInventoryCsv,
  RENUM_TEMPLATE_COLUMNS,
  renumTemplateCsv,
} from './index';
import { deviceTypeInText, deviceTypeOf, fullYear, inferDateOrder, isPlaceholderSerial, mediumKindOf, parseCapacityGb, parseDate, parseEurosToCents } from './values';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SHARED_GLPI = path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'glpi');
const OWN_GLPI = path.resolve(REPO_ROOT, 'test', 'fixtures', 'glpi');

const TODAY = new Date('2026-11-22T10:00:00Z');
const BOM = '\ufeff';

function parse(input: Buffer | string, today: Date = TODAY): InventoryParseResult {
  return parseInventoryCsv(Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8'), { today });
}

function fileError(input: Buffer | string): InventoryFileError {
  try {
    parse(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InventoryFileError);
    return error as InventoryFileError;
  }
  throw new Error('expected an InventoryFileError');
}

function expectFileError(input: Buffer | string, reason: InventoryFileErrorReason, message: RegExp): void {
  const error = fileError(input);
  expect(error.reason).toBe(reason);
  expect(error.message).toMatch(message);
}

/** The report is consistent whatever the file: every data row is either registered or in errors. */
function expectConsistent(result: InventoryParseResult): void {
  const errorRows = new Set(result.errors.map((e) => e.row));
  const registered = result.rows.map((r) => r.row);
  expect(registered.filter((row) => errorRows.has(row))).toEqual([]);
  expect(registered.length + errorRows.size).toBe(result.totalRows);
  expect(new Set(registered).size).toBe(registered.length);
  for (const row of result.rows) {
    for (const warning of row.warnings) expect(result.warnings).toContainEqual(warning);
    expect(Number.isInteger(row.device.estimatedValueCents ?? 0)).toBe(true);
  }
  for (const issue of [...result.errors, ...result.warnings]) expect(issue.message).not.toBe('');
}

const rowAt = (result: InventoryParseResult, row: number) => result.rows.find((r) => r.row === row);
const errorsAt = (result: InventoryParseResult, row: number) => result.errors.filter((e) => e.row === row);

// ---------------------------------------------------------------------------------------------

describe('GLPI 10 French export (shared fixture)', () => {
  const file = readFileSync(path.join(SHARED_GLPI, 'glpi-computers-export-fr.csv'));
  const result = parse(file);

  it('recognises a French GLPI export and reads its 12 computers', () => {
    expect(result.format).toBe('GLPI');
    expect(result.language).toBe('fr');
    expect(result.totalRows).toBe(12);
    expect(result.rows).toHaveLength(12);
    expect(result.errors).toEqual([]);
    expectConsistent(result);
  });

  it('recognises all 14 columns (the trailing ";" is not a column), none ignored', () => {
    expect(result.ignoredColumns).toEqual([]);
  });

  it.each([
    // row, name, type, brand, model, serial, inventory number, acquisition date
    [2, 'PC-ACCUEIL-01', 'DESKTOP', 'Dell Inc.', 'OptiPlex 7060', '4HJK8M2', 'VLO-2019-0041', '2019-02-11'],
    [3, 'PC-ETATCIVIL-02', 'DESKTOP', 'Dell Inc.', 'OptiPlex 7060', '7XKQ2M2', 'VLO-2019-0042', '2019-02-11'],
    [4, 'WS-URBA-01', 'DESKTOP', 'HP', 'HP Z240 Tower Workstation', 'CZC6289QWX', 'VLO-2016-0311', '2016-10-05'],
    [5, 'PC-ECOLE-JF-03', 'DESKTOP', 'HP', 'HP ProDesk 400 G5 SFF; reconditionné', 'CZC8123K7P', 'VLO-2020-0107', '2020-01-27'],
    [6, 'PC-ECOLE-JF-04', 'DESKTOP', 'HP', 'HP ProDesk 400 G5 SFF', 'CZC8123K9D', undefined, '2020-01-27'],
    [7, 'PORT-DGS-01', 'LAPTOP', 'LENOVO', '20L7S0AX00', 'PF1MZ3QX', 'VLO-2018-0230', '2018-09-03'],
    [8, 'MEDIA-EPN-01', 'DESKTOP', 'Apple Inc.', 'iMac 21,5" (2017)', 'C02VK1ABJ1GN', 'VLO-2017-0088', undefined],
    [9, 'PC-CTM-ATELIER', 'DESKTOP', 'Dell Inc.', 'OptiPlex 3050', '9QW3RT2', 'VLO-2017-0151', '2017-06-19'],
    [10, 'PC-CCAS-01', 'DESKTOP', 'HP', 'HP ProDesk 405 G6 SFF', 'CZC0127TRS', 'CCAS-2021-0004', '2021-03-15'],
    [11, 'PC-CRECHE-01', 'DESKTOP', 'LENOVO', '10SJS0EA00', 'S1H4K7LP', 'VLO-2020-0199', '2020-05-04'],
    [12, 'STOCK-PC-07', 'DESKTOP', 'Dell Inc.', 'OptiPlex 7070', '2BX9LM3', 'VLO-2020-0215', '2020-06-22'],
    [13, 'PM-POSTE-02', 'LAPTOP', 'Dell Inc.', 'Latitude 5490', '6TR2JN2', undefined, undefined],
  ])('row %i (%s)', (row, name, type, brand, model, serialNumber, inventoryNumber, acquisitionDate) => {
    const found = rowAt(result, row)!;
    expect(found.name).toBe(name);
    const expected: Record<string, unknown> = { type, brand, model, serialNumber };
    if (inventoryNumber) expected.inventoryNumber = inventoryNumber;
    if (acquisitionDate) expected.acquisitionDate = acquisitionDate;
    expect(found.device).toEqual(expected); // nothing invented: no value, weight or media in a GLPI export
  });

  it("decodes GLPI 10's '' back to an inch sign and keeps a ';' inside a quoted cell", () => {
    expect(rowAt(result, 8)!.device.model).toBe('iMac 21,5" (2017)');
    expect(rowAt(result, 5)!.device.model).toBe('HP ProDesk 400 G5 SFF; reconditionné');
  });

  it('flags only WS-URBA-01 (bought 2016-10-05, over 10 years before 2026-11-22) as REEN_TOO_OLD, still registered', () => {
    const flagged = result.rows.filter((r) => r.flags.length > 0);
    expect(flagged.map((r) => [r.row, r.name, r.flags])).toEqual([[4, 'WS-URBA-01', ['REEN_TOO_OLD']]]);
    expect(flagged[0].warnings).toEqual([
      expect.objectContaining({
        row: 4,
        field: "Informations financières et administratives - Date d'achat",
        message: expect.stringContaining('recyclage'),
      }),
    ]);
  });

  it('warns about missing inventory numbers and purchase dates, row by row', () => {
    expect(result.warnings.map((w) => [w.row, w.field])).toEqual([
      [4, "Informations financières et administratives - Date d'achat"],
      [6, "Numéro d'inventaire"],
      [8, "Informations financières et administratives - Date d'achat"],
      [13, "Numéro d'inventaire"],
      [13, "Informations financières et administratives - Date d'achat"],
    ]);
  });

  it('applies the REEN limit to the day: exactly 10 years is still reuse, one day more is not', () => {
    expect(rowAt(parse(file, new Date('2026-10-05T00:00:00Z')), 4)!.flags).toEqual([]);
    expect(rowAt(parse(file, new Date('2026-10-06T00:00:00Z')), 4)!.flags).toEqual(['REEN_TOO_OLD']);
  });

  it('reads the same devices whatever the byte-level variant (no BOM, CRLF, "," delimiter, GLPI 11 quoting)', () => {
    const text = file.toString('utf8');
    const expected = result.rows.map((r) => r.device);
    const noBom = text.replace(/^\ufeff/, '');
    const glpi11 = noBom
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.replace(/;$/, '').replace(/''/g, '""'))
      .join('\r\n');
    const variants = {
      noBom,
      crlf: text.replace(/\n/g, '\r\n'),
      comma: text.replace(/";/g, '",'),
      glpi11,
    };
    for (const [variant, content] of Object.entries(variants)) {
      const parsed = parse(content);
      expect({ variant, devices: parsed.rows.map((r) => r.device) }).toEqual({ variant, devices: expected });
      expect(parsed.errors).toEqual([]);
    }
  });
});

describe('GLPI 11 en_US export (CRLF, all quoted, "" escaping, no trailing ";", no BOM)', () => {
  const file = readFileSync(path.join(OWN_GLPI, 'glpi-computers-export-en_US-glpi11.csv'));
  const result = parse(file);

  it('is the shape it claims to be', () => {
    expect(file.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(file.toString('utf8')).toMatch(/"\r\n"/);
    expect(file.toString('utf8')).not.toMatch(/;\r\n/);
  });

  it('recognises en_US labels in a non-default column order', () => {
    expect(result.format).toBe('GLPI');
    expect(result.language).toBe('en');
    expect(result.totalRows).toBe(11);
    expect(result.ignoredColumns).toEqual(['Additional fields - Budget line']);
    expectConsistent(result);
  });

  it('registers the good rows', () => {
    expect(result.rows.map((r) => [r.row, r.device.type, r.device.serialNumber])).toEqual([
      [2, 'LAPTOP', '5CD9274KLM'],
      [5, 'TABLET', '021745193753'],
      [7, 'OTHER', 'HX7Q2R9'],
      [8, 'DESKTOP', 'MXL5061ABC'],
      [11, 'LAPTOP', 'C02XG0FDJHD3'],
      [12, 'OTHER', 'CZC4431XYZ'],
    ]);
    expect(rowAt(result, 2)!.device).toEqual({
      type: 'LAPTOP',
      brand: 'HP',
      model: 'EliteBook 840 G6',
      serialNumber: '5CD9274KLM',
      inventoryNumber: 'BRK-2019-114',
      acquisitionDate: '2019-09-12',
    });
  });

  it('undoes "" escaping and reads a datetime as its date', () => {
    expect(rowAt(result, 5)!.device.model).toBe('Surface Pro 7 12.3"');
    expect(rowAt(result, 11)!.device.model).toBe('MacBook Pro 13" (2018)');
    expect(rowAt(result, 12)!.device.acquisitionDate).toBe('2022-01-10');
  });

  it('skips BIOS placeholders, a case-insensitive duplicate, a missing serial and an impossible date', () => {
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'Serial Number'],
      [4, 'Serial Number'],
      [6, 'Serial Number'],
      [9, 'Serial Number'],
      [10, 'Financial and administrative information - Date of purchase'],
    ]);
    expect(errorsAt(result, 3)[0].message).toMatch(/To be filled by O\.E\.M\..*BIOS/);
    expect(errorsAt(result, 4)[0].message).toMatch(/Default string/);
    expect(errorsAt(result, 6)[0].message).toMatch(/déjà présent ligne 2/);
    expect(errorsAt(result, 9)[0].message).toMatch(/manquant/);
    expect(errorsAt(result, 10)[0].message).toMatch(/2019-02-30.*illisible/);
  });

  it('maps an unknown or empty type to OTHER with a warning, and flags the 2013 desktop', () => {
    expect(result.warnings.map((w) => [w.row, w.field])).toEqual([
      [7, 'Types'],
      [8, 'Financial and administrative information - Date of purchase'],
      [12, 'Types'],
    ]);
    expect(rowAt(result, 7)!.warnings[0].message).toMatch(/Thin Client.*Autre équipement/);
    expect(rowAt(result, 8)!.flags).toEqual(['REEN_TOO_OLD']);
  });
});

describe('GLPI 10 en_GB export ("," delimiter, trailing ",", line break in a cell, DD-MM-YYYY)', () => {
  const file = readFileSync(path.join(OWN_GLPI, 'glpi-computers-export-en_GB-glpi10.csv'));
  const result = parse(file);

  it('recognises en_GB labels; Comments is known, nothing ignored', () => {
    expect(result.format).toBe('GLPI');
    expect(result.language).toBe('en');
    expect(result.totalRows).toBe(6);
    expect(result.ignoredColumns).toEqual([]);
    expectConsistent(result);
  });

  it('numbers rows as a spreadsheet does: a line break inside a cell does not shift the next rows', () => {
    expect(file.toString('utf8')).toContain('Screen hinge loose.\nKeyboard');
    expect(result.rows.map((r) => [r.row, r.name])).toEqual([
      [2, 'CLINIC-PC-01'],
      [3, 'LIBRARY-LT-04'],
      [4, 'LIBRARY-LT-05'],
      [6, 'COMMS-IMAC'],
    ]);
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([
      [5, 'Serial number'],
      [7, 'Serial number'],
    ]);
  });

  it('reads DD-MM-YYYY dates day first (the column has a day above 12)', () => {
    expect(result.rows.map((r) => r.device.acquisitionDate)).toEqual(['2017-11-30', '2018-06-04', '2018-06-04', '2021-09-15']);
  });

  it("decodes '' and maps chassis types", () => {
    expect(rowAt(result, 6)!.device).toMatchObject({ type: 'DESKTOP', model: 'iMac 24" M1 (2021)' });
    expect(rowAt(result, 2)!.device.type).toBe('DESKTOP'); // Mini Tower
    expect(rowAt(result, 3)!.device.type).toBe('LAPTOP');
  });
});

describe('Renum template', () => {
  it('has documented columns: device fields, then four medium groups', () => {
    expect(RENUM_TEMPLATE_COLUMNS.slice(0, 8)).toEqual([
      'type',
      'brand',
      'model',
      'serialNumber',
      'inventoryNumber',
      'acquisitionDate',
      'estimatedValueEuros',
      'weightKg',
    ]);
    expect(RENUM_TEMPLATE_COLUMNS.slice(8, 12)).toEqual(['medium1Kind', 'medium1Serial', 'medium1Model', 'medium1CapacityGb']);
    expect(RENUM_TEMPLATE_COLUMNS).toHaveLength(8 + 4 * 4);
    expect(RENUM_TEMPLATE_COLUMNS[RENUM_TEMPLATE_COLUMNS.length - 1]).toBe('medium4CapacityGb');
  });

  it('is UTF-8 with BOM, ";" separated, a header and one commented example row', () => {
    const csv = renumTemplateCsv();
    expect(csv.startsWith(BOM)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(RENUM_TEMPLATE_COLUMNS.join(';'));
    expect(lines[1].startsWith('#')).toBe(true);
    expect(lines[1].split(';')).toHaveLength(RENUM_TEMPLATE_COLUMNS.length);
    expect(lines[2]).toBe('');
  });

  it('as downloaded, holds no device (the example is commented out)', () => {
    expectFileError(renumTemplateCsv(), 'NO_ROWS', /aucun appareil/);
  });

  it('round trip: the template plus one filled row parses back', () => {
    const filled = `${renumTemplateCsv()}LAPTOP;HP;ProBook 450 G7;5CD0123ABC;MAIRIE-2020-011;2020-09-14;85;1,8;NVMe;S4EWNX0N123456;Samsung PM981;256\r\n`;
    const result = parse(filled);
    expect(result.format).toBe('RENUM_TEMPLATE');
    expect(result.language).toBeUndefined();
    expect(result.totalRows).toBe(1);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.ignoredColumns).toEqual([]);
    expect(result.rows).toEqual([
      {
        row: 3, // header 1, commented example 2
        device: {
          type: 'LAPTOP',
          brand: 'HP',
          model: 'ProBook 450 G7',
          serialNumber: '5CD0123ABC',
          inventoryNumber: 'MAIRIE-2020-011',
          acquisitionDate: '2020-09-14',
          estimatedValueCents: 8500,
          weightKg: 1.8,
          media: [{ kind: 'NVME', serialNumber: 'S4EWNX0N123456', model: 'Samsung PM981', capacityGb: 256 }],
        },
        flags: [],
        warnings: [],
      },
    ]);
  });

  it('the example row, once uncommented, is a valid device', () => {
    const uncommented = renumTemplateCsv().replace('\r\n#', '\r\n');
    const [row] = parse(uncommented).rows;
    expect(row.device).toEqual({
      type: 'LAPTOP',
      brand: 'Dell',
      model: 'Latitude 5490',
      serialNumber: '5CG8123XYZ',
      inventoryNumber: 'INV-2019-0042',
      acquisitionDate: '2019-03-15',
      estimatedValueCents: 12000,
      weightKg: 1.6,
      media: [{ kind: 'SSD', serialNumber: 'S3Z9NB0K123456X', model: 'Samsung SSD 860 EVO 250GB', capacityGb: 250 }],
    });
  });

  describe('filled fixture', () => {
    const result = parse(readFileSync(path.join(OWN_GLPI, 'renum-template-filled.csv')));

    it('registers 7 of 9 devices', () => {
      expect(result.format).toBe('RENUM_TEMPLATE');
      expect(result.totalRows).toBe(9);
      expect(result.rows.map((r) => [r.row, r.device.type])).toEqual([
        [3, 'LAPTOP'],
        [4, 'DESKTOP'], // "Ordinateur fixe"
        [5, 'TABLET'],
        [6, 'SMARTPHONE'],
        [7, 'PRINTER'], // "imprimante"
        [10, 'LAPTOP'], // its SSD has no serial: registered without it
        [11, 'DESKTOP'],
      ]);
      expectConsistent(result);
    });

    it('reads French dates, decimal commas and two media', () => {
      expect(rowAt(result, 4)!.device).toEqual({
        type: 'DESKTOP',
        brand: 'HP',
        model: 'EliteDesk 800 G3',
        serialNumber: 'CZC7301ABC',
        inventoryNumber: 'MAIRIE-2017-044',
        acquisitionDate: '2017-06-15',
        estimatedValueCents: 6000,
        weightKg: 7.2,
        media: [
          { kind: 'HDD', serialNumber: 'Z1D5K9QX', model: 'ST500DM002-1BD142', capacityGb: 500 },
          { kind: 'SSD', serialNumber: 'S3Z9NB0K654321Y', model: 'Samsung SSD 860 EVO 250GB', capacityGb: 250 },
        ],
      });
      expect(rowAt(result, 3)!.device.estimatedValueCents).toBe(9550);
    });

    it('flags the value above 300 € and the 2015 desktop, still registered', () => {
      expect(rowAt(result, 5)!.flags).toEqual(['VALUE_ABOVE_DONATION_CAP']);
      expect(rowAt(result, 5)!.warnings[0]).toMatchObject({ field: 'estimatedValueEuros', message: expect.stringMatching(/350,00\s€.*300 €/) });
      expect(rowAt(result, 11)!.flags).toEqual(['REEN_TOO_OLD']);
      expect(rowAt(result, 6)!.warnings).toEqual([expect.objectContaining({ field: 'inventoryNumber' })]);
    });

    it('skips a missing serial and an unreadable value', () => {
      expect(result.errors.map((e) => [e.row, e.field])).toEqual([
        [8, 'serialNumber'],
        [9, 'estimatedValueEuros'],
      ]);
    });

    it('registers a device whose medium has no serial without that medium, with a warning', () => {
      expect(rowAt(result, 10)!.device.media).toBeUndefined();
      expect(rowAt(result, 10)!.warnings).toEqual([
        { row: 10, field: 'medium1Serial', message: expect.stringContaining("enregistré sans ce support") },
      ]);
    });
  });
});

describe('whole-file errors', () => {
  it('refuses binary content', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expectFileError(png, 'NOT_TEXT', /binaires/);
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expectFileError(noise, 'NOT_TEXT', /pas un fichier texte CSV/);
  });

  it('tolerates a stray control character in a text file', () => {
    expect(parse('serialNumber;brand;model\nSN-1;Dell;Latitude\f5490\n').rows).toHaveLength(1);
  });

  it('names Excel and PDF files, with the way out', () => {
    expectFileError(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), 'NOT_TEXT', /Excel.*CSV UTF-8/);
    expectFileError(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'NOT_TEXT', /\.xls/);
    expectFileError(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj', 'latin1'), 'NOT_TEXT', /PDF/);
  });

  it.each([
    ['no byte', Buffer.alloc(0)],
    ['only a BOM', Buffer.from([0xef, 0xbb, 0xbf])],
    ['only blank lines', '\r\n\r\n  \n'],
  ])('refuses an empty file (%s)', (_, input) => {
    expectFileError(input, 'EMPTY', /vide/);
  });

  it('refuses a header with no recognisable column', () => {
    expectFileError('foo;bar;baz\n1;2;3\n', 'NO_HEADER', /Aucune colonne reconnue/);
    // a data row where the header should be
    expectFileError('"PC-01";"Dell Inc.";"4HJK8M2"\n', 'NO_HEADER', /GLPI/);
  });

  it('refuses a GLPI export without serial number column, naming it', () => {
    expectFileError('"Nom";"Fabricant";"Modèle";"Lieu"\n"PC-01";"Dell";"OptiPlex";"Mairie"\n', 'MISSING_COLUMN', /« Numéro de série »/);
  });

  it.each(['N°série', 'No série', 'Num. série', 'S/N', 'N/S', 'SN', 'Serial', 'N° de série :'])('reads a serial column titled %j, as typed in a spreadsheet', (title) => {
    const result = parse(`${title};Marque;Modèle;Date d'achat\nSNT-1;HP;ProBook;05/04/2019\n`);
    expect(result.rows).toEqual([expect.objectContaining({ device: expect.objectContaining({ serialNumber: 'SNT-1', acquisitionDate: '2019-04-05' }) })]);
    expect(result.language).toBe('fr'); // the French day-first dates are still read so
  });

  it('names the titles it did not recognise beside a missing column, on the row the spreadsheet shows', () => {
    expectFileError(
      'Inventaire 2024;;\nRéf. appareil;Marque;Modèle\nX1;HP;ProBook\n',
      'MISSING_COLUMN',
      /« Numéro de série ».*Colonnes non reconnues sur la ligne 2 : « Réf\. appareil » ; renommez celle qui convient\./,
    );
  });

  it('refuses a template without model column, naming it as the template does', () => {
    expectFileError('type;brand;serialNumber\nLAPTOP;Dell;SN-1\n', 'MISSING_COLUMN', /« model »/);
  });

  it('refuses a header without any data row', () => {
    expectFileError('"Nom";"Numéro de série";"Fabricant";"Modèle";\n', 'NO_ROWS', /aucun appareil/);
  });

  it('refuses a row over 10,000 characters, but reads a long one below (then checks its cells)', () => {
    const header = 'serialNumber;brand;model;type\n';
    expectFileError(`${header}ABC123;Dell;${'x'.repeat(10_001)};LAPTOP\n`, 'TOO_LONG', /10\s000 caractères/);
    expectFileError(`${header}ABC123;Dell;Latitude;LAPTOP\n"${'y'.repeat(20_000)}`, 'TOO_LONG', /guillemet/);
    const long = parse(`${header}ABC123;Dell;${'x'.repeat(9_000)};LAPTOP\nABC124;Dell;${'x'.repeat(200)};LAPTOP\n`);
    expect(long.errors).toEqual([{ row: 2, field: 'model', message: 'Modèle trop long : 200 caractères au plus.' }]);
    expect(long.rows[0].device.model).toHaveLength(200);
  });

  it('refuses a quote never closed', () => {
    expectFileError('serialNumber;brand;model\nABC;"Dell;Latitude\n', 'MALFORMED', /guillemet/);
  });

  it('refuses an invalid today (a programming error, not a file error)', () => {
    expect(() => parseInventoryCsv(Buffer.from('serialNumber;brand;model\nSN-1;Dell;X\n'), { today: new Date('nope') })).toThrow(TypeError);
  });

  it('is an Error with a name, for logs', () => {
    const error = fileError('');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InventoryFileError');
  });
});

describe('rows and cells', () => {
  const glpiHeader = '"Nom";"Numéro de série";"Fabricant";"Modèle";"Type";"Date d\'achat";\n';
  const glpiRow = (...cells: string[]) => `${cells.map((c) => `"${c}";`).join('')}\n`;

  it('never stops at a bad row: each problem is reported, the rest is registered', () => {
    const result = parse(
      glpiHeader +
        glpiRow('A', 'SN-1', 'Dell', 'OptiPlex', 'Tour', '2020-01-01') +
        glpiRow('B', '', '', '', 'Tour', 'hier') +
        glpiRow('C', 'SN-3', 'HP', 'EliteBook', 'Portable', '2021-05-06'),
    );
    expect(result.rows.map((r) => r.row)).toEqual([2, 4]);
    // all the problems of row 3 at once, so the donor fixes them in one go
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'Numéro de série'],
      [3, 'Fabricant'],
      [3, 'Modèle'],
      [3, "Date d'achat"],
    ]);
    expectConsistent(result);
  });

  it('reports a duplicate serial with the row of its first occurrence, ignoring case and spaces', () => {
    const result = parse(
      glpiHeader +
        glpiRow('A', 'CZC 8123K7P', 'HP', 'ProDesk', 'Desktop', '2020-01-01') +
        glpiRow('B', 'czc8123k7p', 'HP', 'ProDesk', 'Desktop', '2020-01-01') +
        glpiRow('C', 'CZC8123K7P', 'HP', 'ProDesk', 'Desktop', '2020-01-01'),
    );
    expect(result.rows.map((r) => r.row)).toEqual([2]);
    expect(result.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('déjà présent ligne 2'),
      expect.stringContaining('déjà présent ligne 2'),
    ]);
  });

  it('counts blank lines in row numbers but not in totalRows', () => {
    const result = parse(glpiHeader + '\n' + glpiRow('A', 'SN-1', 'Dell', 'OptiPlex', 'Tour', '') + '"";"";"";"";"";"";\n' + glpiRow('B', 'SN-2', 'Dell', 'OptiPlex', 'Tour', ''));
    expect(result.totalRows).toBe(2);
    expect(result.rows.map((r) => r.row)).toEqual([3, 5]);
  });

  it('refuses a row with more filled cells than the header has columns', () => {
    const result = parse('serialNumber;brand;model\nSN-1;Dell;Latitude 5490;reconditionné\nSN-2;Dell;Latitude\n');
    expect(result.errors).toEqual([{ row: 2, field: '', message: expect.stringContaining('séparateur') }]);
    expect(result.rows.map((r) => r.row)).toEqual([3]);
  });

  it('rejects a date in the future, accepts today', () => {
    const result = parse(glpiHeader + glpiRow('A', 'SN-1', 'Dell', 'X', 'Tour', '2026-11-23') + glpiRow('B', 'SN-2', 'Dell', 'X', 'Tour', '2026-11-22'));
    expect(result.errors).toEqual([expect.objectContaining({ row: 2, message: expect.stringContaining('postérieure') })]);
    expect(result.rows.map((r) => r.row)).toEqual([3]);
  });

  it('reads French GLPI dates in DD-MM-YYYY (user preference) day first', () => {
    const result = parse(glpiHeader + glpiRow('A', 'SN-1', 'Dell', 'X', 'Tour', '04-06-2018'));
    expect(result.rows[0].device.acquisitionDate).toBe('2018-06-04');
  });

  it('refuses an English date whose day and month cannot be told apart', () => {
    const header = '"Name";"Serial number";"Manufacturer";"Model";"Date of purchase"\n';
    const result = parse(`${header}"A";"SN-1";"Dell";"X";"04/06/2018"\n`);
    expect(result.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('ambiguë') })]);
    const usColumn = parse(`${header}"A";"SN-1";"Dell";"X";"04/06/2018"\n"B";"SN-2";"Dell";"X";"12/31/2019"\n`);
    expect(usColumn.rows.map((r) => r.device.acquisitionDate)).toEqual(['2018-04-06', '2019-12-31']);
  });

  it('flags a value above 300 €, not one of exactly 300 €', () => {
    const result = parse(
      'type;brand;model;serialNumber;estimatedValueEuros\n' +
        'LAPTOP;Dell;X;SN-1;300,00\n' +
        'LAPTOP;Dell;X;SN-2;300,01\n' +
        'LAPTOP;Dell;X;SN-3;1 250,50 €\n',
    );
    expect(result.rows.map((r) => [r.device.estimatedValueCents, r.flags])).toEqual([
      [30000, []],
      [30001, ['VALUE_ABOVE_DONATION_CAP']],
      [125050, ['VALUE_ABOVE_DONATION_CAP']],
    ]);
  });

  it('warns once about recommended columns the file lacks', () => {
    const result = parse('serialNumber;brand;model\nSN-1;Dell;Latitude\nSN-2;Dell;Latitude\n');
    // named as the template names them
    expect(result.warnings.map((w) => [w.row, w.field])).toEqual([
      [1, 'type'],
      [1, 'inventoryNumber'],
      [1, 'acquisitionDate'],
    ]);
    expect(result.rows[0].device.type).toBe('OTHER');
    expect(result.rows[0].warnings).toEqual([]);
  });

  it('reports unknown columns once and reads the first of two same columns', () => {
    const result = parse(
      '"Numéro de série";"Fabricant";"Modèle";"Code budget";"Numéro de série";"Code budget"\n"SN-1";"Dell";"X";"B1";"SN-9";"B2"\n',
    );
    expect(result.ignoredColumns).toEqual(['Code budget']);
    expect(result.rows[0].device.serialNumber).toBe('SN-1');
    expect(result.warnings).toContainEqual(expect.objectContaining({ row: 1, field: 'Numéro de série', message: expect.stringContaining('plusieurs fois') }));
  });

  it("does not take the operating system's name for the computer's, and accepts typographic apostrophes", () => {
    const result = parse(
      '"Système d\'exploitation - Nom";"Numéro de série";"Fabricant";"Modèle";"Numéro d’inventaire";"Informations financières et administratives - Valeur"\n' +
        '"Windows 11";"SN-1";"Dell";"X";"INV-1";"899,00"\n',
    );
    expect(result.rows[0].name).toBeUndefined();
    expect(result.rows[0].device.inventoryNumber).toBe('INV-1');
    // GLPI's Valeur is the purchase price, not the value when donated
    expect(result.rows[0].device.estimatedValueCents).toBeUndefined();
    expect(result.ignoredColumns).toEqual([]);
  });

  it('uses a net book value column when the donor adds one', () => {
    const result = parse('"Numéro de série";"Fabricant";"Modèle";"Valeur nette comptable"\n"SN-1";"Dell";"X";"0,00"\n"SN-2";"Dell";"X";"450"\n');
    expect(result.rows.map((r) => [r.device.estimatedValueCents, r.flags])).toEqual([
      [0, []],
      [45000, ['VALUE_ABOVE_DONATION_CAP']],
    ]);
  });

  it('collapses a line break inside a used cell to a space', () => {
    const result = parse('serialNumber;brand;model\nSN-1;Dell;"Latitude\r\n5490"\n');
    expect(result.rows[0].device.model).toBe('Latitude 5490');
  });

  it('medium groups: kind words, TB capacity, unknown kind → OTHER with a warning, duplicate medium serial', () => {
    const result = parse(
      'type;brand;model;serialNumber;medium1Kind;medium1Serial;medium1CapacityGb;medium2Kind;medium2Serial\n' +
        'DESKTOP;Dell;X;SN-1;Disque dur;WD-1;1 To;bande;TAPE-1\n' +
        'DESKTOP;Dell;X;SN-2;SSD;wd-1;;;\n',
    );
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0].device.media).toEqual([
      { kind: 'HDD', serialNumber: 'WD-1', capacityGb: 1000 },
      { kind: 'OTHER', serialNumber: 'TAPE-1' },
    ]);
    expect(result.rows[0].warnings).toEqual([expect.objectContaining({ field: 'medium2Kind', message: expect.stringContaining('bande') })]);
    expect(result.errors).toEqual([expect.objectContaining({ row: 3, field: 'medium1Serial', message: expect.stringContaining('ligne 2') })]);
  });
});

describe('encodings and delimiters', () => {
  it('reads a template saved by Excel in Windows-1252 (accents and the euro sign)', () => {
    const text = 'type;brand;model;serialNumber;estimatedValueEuros\r\nTablette;Apple;iPad (6e génération);DMPX1;120 €\r\n';
    const bytes = Buffer.from(text.replace('€', '\u0080'), 'latin1'); // 0x80 is € in Windows-1252
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const [row] = parse(bytes).rows;
    expect(row.device).toMatchObject({ type: 'TABLET', model: 'iPad (6e génération)', estimatedValueCents: 12000 });
  });

  it('keeps the UTF-8 accents of a file with one stray Windows-1252 byte (decoding: libs/platform uploaded-text.spec.ts)', () => {
    const bytes = Buffer.concat([Buffer.from('serialNumber;brand;model\nSN-1;Dell;Modèle ', 'utf8'), Buffer.from([0xe9]), Buffer.from('tendu\n', 'utf8')]);
    expect(parse(bytes).rows[0].device.model).toBe('Modèle étendu');
  });

  it('reads UTF-16 with BOM and tabs (Excel "Texte Unicode")', () => {
    const text = '\ufeffNuméro de série\tFabricant\tModèle\tType\r\nSN-1\tDell\tLatitude\tPortable\r\n';
    const [row] = parse(Buffer.from(text, 'utf16le')).rows;
    expect(row.device).toEqual({ type: 'LAPTOP', brand: 'Dell', model: 'Latitude', serialNumber: 'SN-1' });
  });

  it('reads old Mac CR line ends', () => {
    expect(parse('serialNumber;brand;model\rSN-1;Dell;X\rSN-2;HP;Y').rows).toHaveLength(2);
  });
});

describe('cell values', () => {
  it.each([
    'To be filled by O.E.M.',
    'TO BE FILLED BY O.E.M.',
    'To Be Filled By OEM',
    'Default string',
    'DEFAULT STRING',
    'System Serial Number',
    'Chassis Serial Number',
    '0123456789',
    '1234567890',
    'None',
    'N/A',
    'n/a',
    'Not Specified',
    'Not Applicable',
    'XXXXXXXX',
    'xxxxxxxxxx',
    '00000000',
    'Unknown',
    'Inconnu',
    '-',
    '?',
  ])('%s is not a serial number', (value) => {
    expect(isPlaceholderSerial(value)).toBe(true);
  });

  it.each(['4HJK8M2', 'C02VK1ABJ1GN', 'WD-WCC2E1K7ZR45', 'S3Z9NB0K123456X', 'CZC6289QWX', '021745193753', 'PF1MZ3QX', 'NA1234', 'X000'])(
    '%s is a serial number',
    (value) => {
      expect(isPlaceholderSerial(value)).toBe(false);
    },
  );

  it.each([
    ['Portable', 'LAPTOP'],
    ['Laptop', 'LAPTOP'],
    ['Notebook', 'LAPTOP'],
    ['Sub Notebook', 'LAPTOP'],
    ['Convertible', 'LAPTOP'],
    ['Ordinateur de bureau', 'DESKTOP'],
    ['Desktop', 'DESKTOP'],
    ['Tour', 'DESKTOP'],
    ['Unité centrale', 'DESKTOP'],
    ['UNITE CENTRALE', 'DESKTOP'],
    ['Space-saving', 'DESKTOP'],
    ['Mini Tower', 'DESKTOP'],
    ['All in One', 'DESKTOP'],
    ['Postes > Poste fixe', 'DESKTOP'],
    ['Tablette', 'TABLET'],
    ['Tablet', 'TABLET'],
    ['Smartphone', 'SMARTPHONE'],
    ['Écran', 'MONITOR'],
    ['Imprimante', 'PRINTER'],
    ['Imprimante multifonction', 'MFP'],
    ['MFP', 'MFP'],
    ['Autre équipement', 'OTHER'],
    ['laptop', 'LAPTOP'],
  ])('type %s → %s', (value, type) => {
    expect(deviceTypeOf(value)).toBe(type);
  });

  it.each(['Thin Client', 'Rack Mount Chassis', 'Serveur'])('type %s is unknown', (value) => {
    expect(deviceTypeOf(value)).toBeUndefined();
  });

  it.each([
    ['HDD', 'HDD'],
    ['ssd', 'SSD'],
    ['NVMe', 'NVME'],
    ['eMMC', 'EMMC'],
    ['Disque dur', 'HDD'],
    ['OTHER', 'OTHER'],
  ])('medium kind %s → %s', (value, kind) => {
    expect(mediumKindOf(value)).toBe(kind);
  });

  it.each([
    ['2019-02-11', '2019-02-11'],
    ['2019-2-1', '2019-02-01'],
    ['2019-02-11 16:47', '2019-02-11'],
    ['2019-02-11 16:47:05', '2019-02-11'],
    ['11/02/2019', '2019-02-11'],
    ['11-02-2019', '2019-02-11'],
    ['11.02.2019', '2019-02-11'],
    ['29/02/2020', '2020-02-29'],
    // Exports add a time: ignored, the day is the one written.
    ['12/03/2019 00:00:00', '2019-03-12'],
    ['12/03/2019 00:00', '2019-03-12'],
    ['2019-03-12 00:00:00', '2019-03-12'],
    ['2019-03-12T00:00:00Z', '2019-03-12'],
    ['2019-03-12T00:00:00.000Z', '2019-03-12'],
    ['2019-03-12T23:30:00+01:00', '2019-03-12'],
    ['12/03/2019 12:00:00 AM', '2019-03-12'],
  ])('date %s (day first) → %s', (value, iso) => {
    expect(parseDate(value, 'DAY_FIRST', TODAY)).toEqual({ iso });
  });

  it('reads a date cell Excel saved as its day number, flagged so the row says it', () => {
    expect(parseDate('43507', 'DAY_FIRST', TODAY)).toEqual({ iso: '2019-02-11', excelSerial: true });
    expect(parseDate('43536', 'DAY_FIRST', TODAY)).toEqual({ iso: '2019-03-12', excelSerial: true });
    expect(parseDate('45658', undefined, TODAY)).toEqual({ iso: '2025-01-01', excelSerial: true });
    // A date and time cell saved as a number: the fraction is the time.
    expect(parseDate('43536.5', 'DAY_FIRST', TODAY)).toEqual({ iso: '2019-03-12', excelSerial: true });
    expect(parseDate('43536,041666667', 'DAY_FIRST', TODAY)).toEqual({ iso: '2019-03-12', excelSerial: true });
    const row = parse('Marque;Modèle;N° de série;Date d\'achat\nDell;X;XL001;43507\n').rows[0];
    expect(row.device.acquisitionDate).toBe('2019-02-11');
  });

  it('says once for the file, not on each row, that dates were Excel day numbers, with how one was read', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `Dell;X;XLS${i};${43507 + i}\n`).join('');
    const result = parse(`Marque;Modèle;N° de série;Date d'achat\n${lines}`);
    expect(result.rows).toHaveLength(300);
    expect(result.rows.every((r) => r.warnings.length === 0)).toBe(true);
    expect(result.warnings.filter((w) => w.field === "Date d'achat")).toEqual([
      {
        row: 1,
        field: "Date d'achat",
        message:
          'Dates écrites en nombre de jours Excel (300 dates) : par exemple « 43507 » (ligne 2) est lu 11 février 2019. ' +
          'Vérifiez-les ; pour lever le doute, mettez la colonne au format Date dans le tableur.',
      },
    ]);
  });

  it('says a year alone is not enough', () => {
    expect(parseDate('2019', 'DAY_FIRST', TODAY)).toEqual({ problem: 'YEAR_ONLY' });
    expect(parse('Marque;Modèle;N° de série;Date d\'achat\nDell;X;XL002;2019\n').errors[0].message).toMatch(/incomplète.*JJ\/MM\/AAAA ou AAAA-MM-JJ/);
  });

  it.each(['2019-02-30', '31/04/2019', '29/02/2019', '29/02/19', '11/02/1', '11/02/019', '123', '12345', '12 mars 2019', 'février 2019', '2019-03-12 midi'])(
    'date %s is unreadable',
    (value) => {
      expect(parseDate(value, 'DAY_FIRST', TODAY)).toEqual({ problem: 'UNREADABLE' });
    },
  );

  it.each([
    ['2019-03-12T00:00:00Z', '2019-03-12'],
    ['2019-03-12 00:00:00', '2019-03-12'],
    ['12/03/2019 00:00:00', '2019-03-12'],
  ])('a GLPI/Excel export cell %s is registered on its day', (value, iso) => {
    const result = parse(`"Numéro de série";"Fabricant";"Modèle";"Date d'achat"\n"SN-T";"Dell";"X";"${value}"\n`);
    expect(result.errors).toEqual([]);
    expect(result.rows[0].device.acquisitionDate).toBe(iso);
  });

  it.each([
    ['12 mars 2019', /^Date d'achat « 12 mars 2019 » illisible : écrivez-la JJ\/MM\/AAAA ou AAAA-MM-JJ, par exemple 11\/02\/2019\.$/],
    ['31/04/2019', /^Date d'achat « 31\/04\/2019 » illisible : écrivez-la JJ\/MM\/AAAA ou AAAA-MM-JJ/],
    ['12345', /« 12345 » illisible : écrivez-la JJ\/MM\/AAAA/],
  ])('an unaccepted shape %s is refused on its row and column, saying what is expected', (value, message) => {
    const result = parse(`Marque;Modèle;N° de série;Date d'achat\nDell;X;OK-1;12/03/2019\nDell;X;BAD-1;${value}\n`);
    expect(result.errors).toEqual([{ row: 3, field: "Date d'achat", message: expect.stringMatching(message) }]);
    expect(result.rows.map((r) => r.device.serialNumber)).toEqual(['OK-1']);
  });

  it.each([
    ['120', 12000],
    ['120,5', 12050],
    ['120,50', 12050],
    ['120.50', 12050],
    ['1 250,00', 125000],
    ['1\u202f250,00 €', 125000],
    ['1.250,00', 125000],
    ['1,250.00', 125000],
    ['0,99 EUR', 99],
    ['0', 0],
  ])('amount %s → %i cents', (value, cents) => {
    expect(parseEurosToCents(value)).toBe(cents);
  });

  it.each(['abc', '-5', '12,345', '1,250', '1.2.3', '€'])('amount %s is unreadable', (value) => {
    expect(parseEurosToCents(value)).toBeUndefined();
  });

  it.each([
    ['256', 256],
    ['256 Go', 256],
    ['500GB', 500],
    ['1 To', 1000],
    ['1,5 TB', 1500],
  ])('capacity %s → %i GB', (value, gb) => {
    expect(parseCapacityGb(value)).toBe(gb);
  });
});

describe('every cell obeys the rules of the JSON registration (a row the parser accepts, the database accepts)', () => {
  const header = 'type;brand;model;serialNumber;estimatedValueEuros;weightKg;medium1Kind;medium1Serial;medium1CapacityGb\n';

  it.each([
    ['a capacity with decimals', 'LAPTOP;Dell;E5470;CAP001;;;HDD;D-CAP001;465,76', 'medium1CapacityGb', /465,76 Go.*nombre entier.*466 Go/],
    ['a weight beyond numeric(7,2)', 'LAPTOP;Dell;E5470;W001;;123456;;;', 'weightKg', /Poids 123\s456 kg.*maximum de 10\s000 kg/],
    ['a weight with three decimals', 'LAPTOP;Dell;E5470;W002;;1,234;;;', 'weightKg', /2 décimales au plus/],
    ['a value beyond the integer column', 'LAPTOP;Dell;E5470;V001;30 000 000;;;;', 'estimatedValueEuros', /Valeur estimée 30\s000\s000,00\s€.*maximum de 1\s000\s000,00\s€/],
    ['a capacity beyond 1 PB', 'LAPTOP;Dell;E5470;CAP002;;;SSD;D-CAP002;2000 To', 'medium1CapacityGb', /maximum/],
  ])('%s is a French error on its row, the other rows are registered', (_, line, field, message) => {
    const result = parse(`${header}${line}\nLAPTOP;Dell;E5470;GOOD01;120;1,8;SSD;D-GOOD01;256\n`);
    expect(result.errors).toEqual([{ row: 2, field, message: expect.stringMatching(message) }]);
    expect(result.rows.map((r) => r.device.serialNumber)).toEqual(['GOOD01']);
    expectConsistent(result);
  });

  it('reports every bad cell of a row, once each', () => {
    const result = parse(`${header}LAPTOP;Dell;E5470;To be filled by O.E.M.;30 000 000;123456;HDD;D-1;465,76\n`);
    expect(result.errors.map((e) => e.field)).toEqual(['serialNumber', 'estimatedValueEuros', 'weightKg', 'medium1CapacityGb']);
  });

  it('names the column as written in a GLPI file', () => {
    const result = parse('"Numéro de série";"Fabricant";"Modèle";"Valeur estimée"\n"SN-1";"Dell";"X";"30 000 000"\n');
    expect(result.errors).toEqual([{ row: 2, field: 'Valeur estimée', message: expect.stringContaining('maximum') }]);
  });
});

describe('a medium group without serial (media are often unknown to the donor)', () => {
  it('registers the device without that medium, with a warning; its other media are kept', () => {
    const result = parse(
      'type;brand;model;serialNumber;medium1Kind;medium1Serial;medium1CapacityGb;medium2Kind;medium2Serial\n' +
        'LAPTOP;Dell;E5470;MED001;SSD;;256;HDD;WD-9\n',
    );
    expect(result.errors).toEqual([]);
    expect(result.rows[0].device.media).toEqual([{ kind: 'HDD', serialNumber: 'WD-9' }]);
    expect(result.rows[0].warnings).toEqual([{ row: 2, field: 'medium1Serial', message: expect.stringMatching(/Support de stockage 1 : numéro de série non renseigné/) }]);
    expect(result.warnings).toContainEqual(result.rows[0].warnings[0]);
  });
});

describe('date order: the file majority wins, a contradicting date is refused on its own row', () => {
  const header = '"Nom";"Numéro de série";"Fabricant";"Modèle";"Date d\'achat"\n';
  const line = (i: number, date: string) => `"PC-${i}";"SN-${i}";"Dell";"X";"${date}"\n`;

  it('a French file of DD/MM/YYYY dates with one MM/DD typo: every other row registered day first', () => {
    const rows: string[] = [];
    for (let i = 0; i < 300; i++) rows.push(line(i, `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/2019`));
    rows.push(line(300, '02/13/2019'));
    const result = parse(header + rows.join(''));
    expect(result.errors).toEqual([
      {
        row: 302,
        field: "Date d'achat",
        message:
          "Date d'achat « 02/13/2019 » impossible : le mois 13 n'existe pas, les dates de ce fichier étant lues JJ/MM/AAAA (le jour d'abord). " +
          "S'il s'agit du 13 février 2019, écrivez 13/02/2019 ou 2019-02-13.",
      },
    ]);
    expect(result.rows).toHaveLength(300);
    expect(rowAt(result, 3)!.device.acquisitionDate).toBe('2019-02-02'); // 02/02
    expect(rowAt(result, 4)!.device.acquisitionDate).toBe('2019-03-03');
    expect(rowAt(result, 12)!.device.acquisitionDate).toBe('2019-11-11');
    expect(rowAt(result, 13)!.device.acquisitionDate).toBe('2019-12-12');
    expect(rowAt(result, 14)!.device.acquisitionDate).toBe('2019-01-13'); // 13/01
  });

  it.each([
    [['13/01/2019', '02/13/2019', '14/02/2019'], 'fr', 'DAY_FIRST'],
    [['01/13/2019', '12/31/2019', '13/01/2019'], 'fr', 'MONTH_FIRST'], // the evidence outweighs the habit
    [['01/13/2019', '12/31/2019'], 'fr', 'MONTH_FIRST'],
    [['03/25/2019', '01/02/2019', '04/05/2019'], 'fr', 'DAY_FIRST'], // one value against the habit: a typo, not the file's order
    [['03/25/2019', '01/02/2019'], 'en', 'MONTH_FIRST'], // English has no habit to keep
    [['01/02/2019'], 'fr', 'DAY_FIRST'],
    [['01/02/2019'], 'en', undefined],
    [['13/01/2019', '01/13/2019'], 'fr', 'DAY_FIRST'], // a tie: the habit
    [['13/01/2019', '01/13/2019'], 'en', undefined],
  ] as const)('%j in a %s file → %s', (values, language, order) => {
    expect(inferDateOrder(values, language === 'fr' ? 'DAY_FIRST' : undefined)).toBe(order);
  });

  it.each([
    ['02/13/2019', 'DAY_FIRST', { problem: 'OTHER_ORDER', month: 13, otherReading: '2019-02-13' }],
    ['03/25/2019', 'DAY_FIRST', { problem: 'OTHER_ORDER', month: 25, otherReading: '2019-03-25' }],
    ['02/30/2019', 'DAY_FIRST', { problem: 'OTHER_ORDER', month: 30 }], // no such day either way
    ['13/02/2019', 'MONTH_FIRST', { problem: 'OTHER_ORDER', month: 13, otherReading: '2019-02-13' }],
    ['13/02/2019', undefined, { iso: '2019-02-13' }],
    ['02/13/2019', undefined, { iso: '2019-02-13' }],
    ['02/03/2019', undefined, { problem: 'AMBIGUOUS' }],
    ['02/03/2019', 'MONTH_FIRST', { iso: '2019-02-03' }],
    ['03/25/19', 'DAY_FIRST', { problem: 'OTHER_ORDER', month: 25, otherReading: '2019-03-25' }],
  ] as const)('parseDate(%s, %s) → %j', (value, order, expected) => {
    expect(parseDate(value, order, TODAY)).toEqual(expected);
  });

  it('a French file: 03/25/2019 is refused saying the month 25 is impossible and dates are read JJ/MM/AAAA', () => {
    const result = parse(header + line(1, '14/03/2019') + line(2, '03/25/2019') + line(3, '01/02/2019'));
    expect(errorsAt(result, 3)).toEqual([
      {
        row: 3,
        field: "Date d'achat",
        message:
          "Date d'achat « 03/25/2019 » impossible : le mois 25 n'existe pas, les dates de ce fichier étant lues JJ/MM/AAAA (le jour d'abord). " +
          "S'il s'agit du 25 mars 2019, écrivez 25/03/2019 ou 2019-03-25.",
      },
    ]);
    expect(rowAt(result, 4)!.device.acquisitionDate).toBe('2019-02-01');
    expect(parse(header + line(1, '14/03/2019') + line(2, '02/30/2019')).errors[0].message).toMatch(
      /le mois 30 n'existe pas, les dates de ce fichier étant lues JJ\/MM\/AAAA \(le jour d'abord\)\. Écrivez-la JJ\/MM\/AAAA ou AAAA-MM-JJ\.$/,
    );
  });

  it('a French file whose only month-first date is a typo keeps reading day first: the typo is refused, the other dates are not turned', () => {
    const result = parse(header + line(1, '03/25/2019') + line(2, '01/02/2019') + line(3, '04/05/2020'));
    expect(errorsAt(result, 2)[0].message).toContain("le mois 25 n'existe pas, les dates de ce fichier étant lues JJ/MM/AAAA");
    expect(rowAt(result, 3)!.device.acquisitionDate).toBe('2019-02-01');
    expect(rowAt(result, 4)!.device.acquisitionDate).toBe('2020-05-04');
    expect(result.warnings.filter((w) => w.message.includes('sont lues'))).toEqual([]);
  });

  it('a French file written month first (GLPI set to MM-DD-YYYY) is read so, and says how with the rows that prove it', () => {
    const result = parse(header + line(1, '01/02/2019') + line(2, '01/13/2019') + line(3, '12/31/2019') + line(4, '11/28/2018'));
    expect(result.errors).toEqual([]);
    expect(rowAt(result, 2)!.device.acquisitionDate).toBe('2019-01-02');
    expect(result.warnings).toContainEqual({
      row: 1,
      field: "Date d'achat",
      message:
        "Les dates de ce fichier sont lues MM/JJ/AAAA (le mois d'abord), comme l'écrivent « 01/13/2019 » (ligne 3) et 2 autres : " +
        '01/02/2019 y est donc lu 2 janvier 2019. Vérifiez-les.',
    });
  });
});

describe('two-digit years (LibreOffice and French Excel export short dates as DD/MM/YY): YY → 20YY, or 19YY if 20YY is after the current year', () => {
  // TODAY is 2026-11-22: 26 → 2026, 27 → 1927.
  it.each([
    [0, 2000],
    [19, 2019],
    [26, 2026],
    [27, 1927],
    [98, 1998],
    [99, 1999],
  ])('in 2026, %i → %i', (yy, year) => {
    expect(fullYear(yy, TODAY)).toBe(year);
  });

  it('the pivot is the injected day’s UTC year, not the machine’s clock', () => {
    expect(fullYear(27, new Date('2026-12-31T23:59:59Z'))).toBe(1927);
    expect(fullYear(27, new Date('2027-01-01T00:00:00Z'))).toBe(2027);
    expect(fullYear(27, new Date('2026-12-31T23:30:00-02:00'))).toBe(2027); // already 2027 in UTC
    expect(fullYear(99, new Date('2099-06-01T00:00:00Z'))).toBe(2099);
  });

  it.each([
    ['12/03/19', 'DAY_FIRST', '2019-03-12'],
    ['12-03-19', 'DAY_FIRST', '2019-03-12'],
    ['12.03.19', 'DAY_FIRST', '2019-03-12'],
    ['1/3/19', 'DAY_FIRST', '2019-03-01'],
    ['12/03/19 00:00', 'DAY_FIRST', '2019-03-12'],
    ['12/03/19 00:00:00', 'DAY_FIRST', '2019-03-12'],
    ['29/02/20', 'DAY_FIRST', '2020-02-29'],
    ['31/12/99', 'DAY_FIRST', '1999-12-31'],
    ['01/01/00', 'DAY_FIRST', '2000-01-01'],
    ['12/03/26', 'DAY_FIRST', '2026-03-12'],
    ['12/03/27', 'DAY_FIRST', '1927-03-12'],
    ['3/12/19', 'MONTH_FIRST', '2019-03-12'],
    ['25/03/19', undefined, '2019-03-25'], // the value proves the order
  ] as const)('%s (%s) → %s', (value, order, iso) => {
    expect(parseDate(value, order, TODAY)).toEqual({ iso, twoDigitYear: true });
  });

  it('four-digit years are not marked', () => {
    expect(parseDate('12/03/2019', 'DAY_FIRST', TODAY)).toEqual({ iso: '2019-03-12' });
  });

  it.each([
    ['01/01/27', new Date('2026-12-31T23:59:59Z'), '1927-01-01'],
    ['01/01/27', new Date('2027-01-01T00:00:00Z'), '2027-01-01'],
  ])('%s on %s → %s', (value, today, iso) => {
    expect(parseDate(value, 'DAY_FIRST', today)).toEqual({ iso, twoDigitYear: true });
  });

  const header = 'Marque;Modèle;N° de série;Date d\'achat\n';

  it('a 300-row LibreOffice export in DD/MM/YY: every row registered, one warning for the file with an example', () => {
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) lines.push(`Dell;X;SN-${i};${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/${String(18 + (i % 4)).padStart(2, '0')}\n`);
    const result = parse(header + lines.join(''));
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(300);
    expect(rowAt(result, 2)!.device.acquisitionDate).toBe('2018-01-01');
    expect(rowAt(result, 16)!.device.acquisitionDate).toBe('2020-03-15'); // 15/03/20
    const about = result.warnings.filter((w) => /deux chiffres/.test(w.message));
    expect(about).toEqual([
      {
        row: 1,
        field: "Date d'achat",
        message:
          'Années écrites sur deux chiffres (300 dates) : AA est lu 20AA, ou 19AA si 20AA est après 2026. ' +
          "Par exemple « 01/01/18 » (ligne 2) lue 1er janvier 2018. Vérifiez-les ; pour lever le doute, écrivez l'année sur quatre chiffres (JJ/MM/AAAA).",
      },
    ]);
    expect(result.rows.every((r) => r.warnings.length === 0)).toBe(true); // said once, not on each row
    expectConsistent(result);
  });

  it('gives one example of each century read, and a 19YY device is flagged too old for reuse', () => {
    const result = parse(`${header}Dell;X;A1;12/03/19\nDell;X;A2;15/06/98\nDell;X;A3;20/01/21\nDell;X;A4;11/02/2019\n`);
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => r.device.acquisitionDate)).toEqual(['2019-03-12', '1998-06-15', '2021-01-20', '2019-02-11']);
    expect(rowAt(result, 3)!.flags).toEqual(['REEN_TOO_OLD']);
    const about = result.warnings.filter((w) => /deux chiffres/.test(w.message));
    expect(about).toHaveLength(1);
    expect(about[0].message).toContain('(3 dates)');
    expect(about[0].message).toContain('Par exemple « 12/03/19 » (ligne 2) lue 12 mars 2019 ; « 15/06/98 » (ligne 3) lue 15 juin 1998.');
    // Among the file's remarks (row 1), before the rows' warnings (row 3: REEN).
    const at = result.warnings.indexOf(about[0]);
    expect(result.warnings.slice(0, at).every((w) => w.row === 1)).toBe(true);
    expect(result.warnings.findIndex((w) => w.row > 1)).toBeGreaterThan(at);
  });

  it('a two-digit year of the current year after today is a future date, refused as any other', () => {
    const result = parse(`${header}Dell;X;F1;15/12/26\nDell;X;F2;22/11/26\n`);
    expect(result.errors).toEqual([{ row: 2, field: "Date d'achat", message: expect.stringContaining('2026-12-15 postérieure à la date du jour') }]);
    expect(rowAt(result, 3)!.device.acquisitionDate).toBe('2026-11-22');
  });

  it('the same file read a year later: 27 becomes 2027', () => {
    const file = `${header}Dell;X;Y1;12/03/27\n`;
    expect(parse(file).rows[0].device.acquisitionDate).toBe('1927-03-12');
    expect(parse(file, new Date('2027-11-22T10:00:00Z')).rows[0].device.acquisitionDate).toBe('2027-03-12');
  });

  it('a town hall’s own LibreOffice sheet (fixture libreoffice-fr-short-dates.csv): DD/MM/YY read, the two unreadable dates explained', () => {
    const result = parse(readFileSync(path.join(OWN_GLPI, 'libreoffice-fr-short-dates.csv')));
    expect(result.rows.map((r) => [r.row, r.device.acquisitionDate, r.flags])).toEqual([
      [2, '2019-03-12', []],
      [3, '2019-03-12', []],
      [4, '2020-02-28', []],
      [5, '2021-11-05', []],
      [6, '1998-06-15', ['REEN_TOO_OLD']],
      [9, '2022-09-14', []],
    ]);
    expect(result.errors).toEqual([
      { row: 7, field: "Date d'achat", message: "Date d'achat « mars 2021 » illisible : écrivez-la JJ/MM/AAAA ou AAAA-MM-JJ, par exemple 11/02/2019." },
      { row: 8, field: "Date d'achat", message: expect.stringContaining("« 03/25/23 » impossible : le mois 25 n'existe pas, les dates de ce fichier étant lues JJ/MM/AAAA") },
    ]);
    expect(result.warnings).toContainEqual({
      row: 1,
      field: "Date d'achat",
      message:
        'Années écrites sur deux chiffres (6 dates) : AA est lu 20AA, ou 19AA si 20AA est après 2026. ' +
        "Par exemple « 12/03/19 » (ligne 2) lue 12 mars 2019 ; « 15/06/98 » (ligne 6) lue 15 juin 1998. " +
        "Vérifiez-les ; pour lever le doute, écrivez l'année sur quatre chiffres (JJ/MM/AAAA).",
    });
    expectConsistent(result);
  });

  it('no warning when every year has four digits', () => {
    const result = parse(`${header}Dell;X;B1;12/03/2019\n`);
    expect(result.warnings.filter((w) => /deux chiffres/.test(w.message))).toEqual([]);
  });

  it('an English file of M/D/YY dates reads them month first, with the same warning', () => {
    const en = '"Name";"Serial number";"Manufacturer";"Model";"Date of purchase"\n';
    const result = parse(`${en}"A";"SN-1";"Dell";"X";"3/25/19"\n"B";"SN-2";"Dell";"X";"4/6/18"\n`);
    expect(result.rows.map((r) => r.device.acquisitionDate)).toEqual(['2019-03-25', '2018-04-06']);
    expect(result.warnings).toContainEqual(expect.objectContaining({ row: 1, field: 'Date of purchase', message: expect.stringContaining('« 3/25/19 » (ligne 2) lue 25 mars 2019') }));
  });
});

describe('spreadsheets saved by hand: a `sep=` line, a title above the header, French words', () => {
  it('skips Excel’s `sep=;` first line and numbers rows as Excel shows them', () => {
    const result = parse('sep=;\r\ntype;brand;model;serialNumber\r\nLAPTOP;Dell;E5470;SEP001\r\n');
    expect(result.format).toBe('RENUM_TEMPLATE');
    expect(result.rows.map((r) => [r.row, r.device.serialNumber])).toEqual([[2, 'SEP001']]);
    expect(parse('"sep=,"\nserialNumber,brand,model\nSEP002,Dell,"Latitude 5490; 14"""\n').rows[0].device.model).toBe('Latitude 5490; 14"');
  });

  it('finds the header below a title line (and a blank one)', () => {
    const result = parse('Inventaire du parc informatique, mairie de Vallon;;;\n;;;\nMarque;Modèle;N° de série;Type\nDell;Latitude 5490;TIT001;Portable\n');
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([expect.objectContaining({ row: 4, device: { type: 'LAPTOP', brand: 'Dell', model: 'Latitude 5490', serialNumber: 'TIT001' } })]);
  });

  it.each([
    ['Marque;Modèle;Numéro de série;Type', ['brand', 'model', 'serialNumber', 'type']],
    ["Constructeur;Modèle;N° de série;N° d'inventaire;Date d'acquisition", ['brand', 'model', 'serialNumber', 'inventoryNumber', 'acquisitionDate']],
  ])('maps the French header %s', (header, fields) => {
    const result = parse(`${header}\nDell;X;FR001;${fields.length > 4 ? 'INV-1;2019-03-01' : 'Portable'}\n`);
    expect(result.errors).toEqual([]);
    const device = result.rows[0].device as unknown as Record<string, unknown>;
    for (const field of fields) expect(device[field]).toBeDefined();
  });

  it('reads the type from the start of a Désignation column when there is no type, and says so', () => {
    const result = parse(
      'Désignation;Marque;Modèle;N° de série\n' +
        'Ordinateur portable HP 250 G7;HP;250 G7;DES001\n' +
        'Écran Dell 24 pouces;Dell;P2419H;DES002\n' +
        'Imprimante multifonction couleur;Brother;MFC-L3750;DES003\n' +
        'Sacoche pour portable;Dell;Pro 15;DES004\n',
    );
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => r.device.type)).toEqual(['LAPTOP', 'MONITOR', 'MFP', 'OTHER']);
    expect(result.rows[0].warnings).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/classé « Ordinateur portable » d'après « Ordinateur portable HP 250 G7 »/) }));
    expect(result.rows[3].warnings).toEqual([]);
  });

  it('reads a Type typed in words of its own, or in the plural, from the known type it opens with', () => {
    const types = ['Écran plat', 'Imprimante laser', 'Tablette Android', 'Écrans', 'PC portables', 'Unités centrales', 'Imprimantes multifonctions', 'Moniteur 24"', 'Téléviseur'];
    const result = parse('N° de série;Marque;Modèle;Type\n' + types.map((type, i) => `TYP${i};HP;X;${type}`).join('\n') + '\n');
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => r.device.type)).toEqual(['MONITOR', 'PRINTER', 'TABLET', 'MONITOR', 'LAPTOP', 'DESKTOP', 'MFP', 'MONITOR', 'OTHER']);
    // A plural is the same word: nothing to check. Words of one's own: said, so the donor can correct.
    expect(result.rows[3].warnings).toEqual([]);
    expect(result.rows[0].warnings).toEqual([{ row: 2, field: 'Type', message: 'Type « Écran plat » lu comme « Écran », à corriger si besoin.' }]);
    expect(result.rows[8].warnings[0].message).toMatch(/Téléviseur.*non reconnu.*Autre équipement/);
  });

  it('warns of an inventory number used twice in the file, and registers both rows', () => {
    const result = parse("Marque;Modèle;N° de série;N° d'inventaire\nDell;X;INVD1;VLO-12\nDell;X;INVD2;vlo-12\n");
    expect(result.rows).toHaveLength(2);
    expect(result.rows[0].warnings).toEqual([]);
    expect(result.rows[1].warnings).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/« vlo-12 » déjà utilisé ligne 2/) }));
  });

  it('with both a GLPI Nom and a Désignation, reads the type from the designation', () => {
    const result = parse('Nom;Désignation;Marque;Modèle;N° de série\nPC-COMPTA-3;Ordinateur portable HP;HP;250;NOMDES1\n');
    expect(result.warnings.map((w) => w.message).join(' ')).not.toMatch(/plusieurs fois/);
    expect(result.rows[0]).toMatchObject({ device: { type: 'LAPTOP' }, name: 'PC-COMPTA-3' });
  });

  it.each([
    ['Ordinateur portable HP 250', 'LAPTOP'],
    ['PC-PORTABLE-12', 'LAPTOP'],
    ['Unité centrale Dell OptiPlex', 'DESKTOP'],
    ['Imprimante multifonction', 'MFP'],
    ['Imprimante laser', 'PRINTER'],
    ['Téléphone mobile Samsung', 'SMARTPHONE'],
    ['Sacoche pour portable', undefined],
    ['Autre matériel', undefined],
    ['Portables', undefined],
  ])('deviceTypeInText(%s) → %s', (text, type) => {
    expect(deviceTypeInText(text)).toBe(type);
  });

  it('still refuses a file whose first lines hold no header', () => {
    expectFileError('Inventaire 2024\nfoo;bar;baz\n1;2;3\n', 'NO_HEADER', /Aucune colonne reconnue/);
  });
});
