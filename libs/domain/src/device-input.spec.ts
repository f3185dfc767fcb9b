import {
  DEVICE_NUMBER_RULES,
  DeviceInput,
  deviceFlags,
  deviceInputProblems,
  isCalendarDay,
  isPlaceholderSerial,
  placeholderSerialMessage,
  numberProblem,
} from './device-input';

const TODAY = new Date('2026-11-22T10:00:00Z');
const laptop: DeviceInput = { type: 'LAPTOP', brand: 'Dell', model: 'Latitude E5470', serialNumber: '5CG8123XYZ' };
const pathsOf = (input: Partial<DeviceInput>) => deviceInputProblems({ ...laptop, ...input } as DeviceInput, TODAY).map((p) => p.path);

describe('the bounds of every registration hold in the database columns', () => {
  // [rule, a value the column holds, a value it refuses]: integer (2^31 - 1) and numeric(7,2) (99,999.99).
  it.each([
    ['estimatedValueCents', 100_000_000, 2_147_483_648],
    ['weightKg', 10_000, 123_456],
    ['capacityGb', 1_000_000, 2_147_483_648],
  ] as const)('%s: %d accepted, %d refused', (name, ok, tooBig) => {
    const rule = DEVICE_NUMBER_RULES[name];
    expect(rule.max).toBeLessThanOrEqual(name === 'weightKg' ? 99_999.99 : 2_147_483_647);
    expect(numberProblem(rule, ok)).toBeUndefined();
    expect(numberProblem(rule, tooBig)).toMatch(/dépasse le maximum/);
    expect(numberProblem(rule, -1)).toMatch(/minimum/);
    expect(numberProblem(rule, Number.POSITIVE_INFINITY)).toMatch(/doit être un nombre/);
  });

  it.each([
    ['capacityGb', 465.76, /465,76 Go : doit être un nombre entier \(par exemple 466 Go\)/],
    ['estimatedValueCents', 12.5, /nombre entier/],
    ['weightKg', 1.234, /1,234 kg : 2 décimales au plus/],
  ] as const)('%s %d: %s', (name, value, message) => {
    expect(numberProblem(DEVICE_NUMBER_RULES[name], value)).toMatch(message);
  });

  it('accepts two decimals of weight despite binary floating point', () => {
    expect(numberProblem(DEVICE_NUMBER_RULES.weightKg, 1.15)).toBeUndefined();
    expect(numberProblem(DEVICE_NUMBER_RULES.weightKg, 99.99)).toBeUndefined();
  });
});

describe('deviceInputProblems', () => {
  it('finds nothing in a good input', () => {
    expect(deviceInputProblems({ ...laptop, acquisitionDate: '2026-11-22', media: [{ kind: 'SSD', serialNumber: 'S1', capacityGb: 256 }] }, TODAY)).toEqual([]);
  });

  it.each([
    [{ serialNumber: 'To be filled by O.E.M.' }, ['serialNumber']],
    [{ serialNumber: '---' }, ['serialNumber']],
    [{ brand: ' ' }, ['brand']],
    [{ model: 'x'.repeat(201) }, ['model']],
    [{ acquisitionDate: '2026-11-23' }, ['acquisitionDate']], // after today (UTC day)
    [{ acquisitionDate: '2019-02-30' }, ['acquisitionDate']],
    [{ acquisitionDate: '2019-03' }, ['acquisitionDate']],
    // The spreadsheet import's shapes are read by its own parser; the JSON registration takes YYYY-MM-DD only.
    [{ acquisitionDate: '12/03/19' }, ['acquisitionDate']],
    [{ acquisitionDate: '12/03/2019' }, ['acquisitionDate']],
    [{ acquisitionDate: '2019-03-12T00:00:00Z' }, ['acquisitionDate']],
    [{ acquisitionDate: '2019-03-12 00:00:00' }, ['acquisitionDate']],
    [{ estimatedValueCents: 3_000_000_000 }, ['estimatedValueCents']],
    [{ media: [{ kind: 'SSD', serialNumber: 'Default string' }] }, ['media[0].serialNumber']],
    [{ media: [{ kind: 'SSD', serialNumber: 'S1' }, { kind: 'HDD', serialNumber: ' s 1' }] }, ['media[1].serialNumber']],
    [{ media: [{ kind: 'HDD', serialNumber: 'D1', capacityGb: 465.76 }] }, ['media[0].capacityGb']],
  ] as [Partial<DeviceInput>, string[]][])('%j → %j', (input, paths) => {
    expect(pathsOf(input)).toEqual(paths);
  });

  it('speaks French with the sticker advice for a placeholder serial', () => {
    expect(deviceInputProblems({ ...laptop, serialNumber: 'Default string' }, TODAY)[0].message).toBe(
      "Numéro de série « Default string » refusé : ce n'est pas un vrai numéro (valeur par défaut du BIOS, ou mention comme « inconnu » ou « NC »), et il bloquerait tout autre appareil portant la même mention. " +
        "Relevez le numéro sur l'étiquette de l'appareil ; s'il est illisible, indiquez un identifiant propre à cet appareil, par exemple son numéro d'inventaire.",
    );
  });
});

describe('legal flags', () => {
  it.each([
    [{ acquisitionDate: '2016-11-21', estimatedValueCents: 30_001 }, ['REEN_TOO_OLD', 'VALUE_ABOVE_DONATION_CAP']],
    [{ acquisitionDate: '2016-11-22', estimatedValueCents: 30_000 }, []], // exactly 10 years, exactly 300 €
    [{}, []],
  ] as [Partial<DeviceInput>, string[]][])('%j → %j', (input, flags) => {
    expect(deviceFlags(input, TODAY)).toEqual(flags);
  });
});

it.each([
  ['2020-02-29', true],
  ['2019-02-29', false],
  ['2019-2-1', false],
  ['2019-02-11T10:00:00Z', false],
])('isCalendarDay(%s) → %s', (value, ok) => {
  expect(isCalendarDay(value)).toBe(ok);
});

it('knows BIOS placeholders whatever their spelling', () => {
  expect(['To Be Filled By O.E.M.', 'to be filled by oem', 'N/A', 'Néant', 'FFFFFFFF'].every(isPlaceholderSerial)).toBe(true);
  expect(['5CG8123XYZ', 'PF0XYZ12'].some(isPlaceholderSerial)).toBe(false);
});

it.each(['NC', 'n.c.', 'Non renseigné', 'non renseigne', 'À compléter', 'a completer', 'Sans', 'TBD', 'Aucun numéro', 'Pas de numéro', 'xxx', '1234', '123456', '0123456789'])(
  'refuses %s, a word or filler standing for an unknown serial',
  (value) => {
    expect(isPlaceholderSerial(value)).toBe(true);
    expect(placeholderSerialMessage('Numéro de série', value)).toContain("ce n'est pas un vrai numéro");
  },
);

it.each(['1,23457E+11', '1.23457E+11', '4,5E-05', ' 2,01807E+14 '])('refuses %s, a serial a spreadsheet turned into a number', (value) => {
  expect(isPlaceholderSerial(value)).toBe(true);
  expect(placeholderSerialMessage('Numéro de série', value.trim())).toContain('format Texte');
});

it.each(['NC12345', 'SANS1', '12345678901', '123E456', 'E1234', '1234A'])('accepts %s, a real serial that merely looks like a filler', (value) => {
  expect(isPlaceholderSerial(value)).toBe(false);
});
