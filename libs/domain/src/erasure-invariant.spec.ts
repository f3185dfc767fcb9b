import { checkDataInvariant, CustodyFacts, erasedInCustody, ErasureFact, likelyMeantSerial, mediaLackingErasure, normalizeSerial, sameSerial } from './erasure-invariant';

const IN = new Date('2025-03-01T09:00:00Z');
const AFTER = new Date('2025-03-01T11:00:00Z');
const BEFORE = new Date('2025-02-28T11:00:00Z');
const HOUR = 3600_000;
const rec = (mediumSerial: string, over: Partial<ErasureFact> = {}): ErasureFact => ({
  mediumSerial,
  level: 'PURGE',
  result: 'PASSED',
  // an hour-long run ending at endedAt
  startedAt: new Date((over.endedAt ?? AFTER).getTime() - HOUR),
  endedAt: AFTER,
  recordedAt: AFTER,
  voided: false,
  ...over,
});
const facts = (over: Partial<CustodyFacts>): CustodyFacts => ({ media: [], erasures: [], custodyInAt: IN, noStorageDeclaredAt: null, ...over });

describe('serial matching', () => {
  it('ignores case and any whitespace', () => {
    expect(sameSerial('WD-WCC4N1234', ' wd-wcc4n 1234\t')).toBe(true);
    expect(normalizeSerial(' s3n\u00a0disk 01 ')).toBe('S3NDISK01');
    expect(sameSerial('ABC1', 'ABC2')).toBe(false);
  });
});

describe('checkDataInvariant', () => {
  it('every medium erased after custody-in → ok', () => {
    expect(checkDataInvariant(facts({ media: [{ serialNumber: 'A' }, { serialNumber: 'B' }], erasures: [rec('A'), rec('b')] }))).toEqual({ ok: true });
  });

  it('lists exactly the media still lacking a valid record', () => {
    const f = facts({
      media: [{ serialNumber: 'A' }, { serialNumber: 'B' }, { serialNumber: 'C' }, { serialNumber: 'D' }, { serialNumber: 'E' }],
      erasures: [rec('A'), rec('B', { result: 'FAILED' }), rec('C', { voided: true }), rec('D', { endedAt: BEFORE }), rec('E', { level: 'DESTROY' })],
    });
    expect(mediaLackingErasure(f)).toEqual(['B', 'C', 'D']);
    const v = checkDataInvariant(f);
    expect(v).toMatchObject({ ok: false, missing: ['B', 'C', 'D'] });
    expect(!v.ok && v.detail).toContain('B (dernier effacement en échec), C (effacement invalidé par une re-vérification), D (effacé avant la dernière prise en charge).');
  });

  it('says what to do next, and nothing about a medium never erased', () => {
    const v = checkDataInvariant(facts({ media: [{ serialNumber: 'A' }] }));
    expect(!v.ok && v.detail).toMatch(/pour : A\. Enregistrez pour chacun un effacement réussi ou sa destruction, commencé après la prise en charge.*nwipe\)\.$/);
  });

  it('a record entered before the custody-in does not count, even if its end time (a fast clock) is after it', () => {
    const fastClock = rec('A', { startedAt: new Date(IN.getTime() + 60_000), endedAt: new Date(IN.getTime() + 4 * 60_000), recordedAt: new Date(IN.getTime() - 60_000) });
    expect(checkDataInvariant(facts({ media: [{ serialNumber: 'A' }], erasures: [fastClock] }))).toMatchObject({ ok: false, missing: ['A'] });
    expect(checkDataInvariant(facts({ media: [{ serialNumber: 'A' }], erasures: [{ ...fastClock, recordedAt: AFTER }] }))).toEqual({ ok: true });
  });

  it('an erasure that began before the custody-in does not count, even if it ended and was recorded after it', () => {
    // Under way while the device was still with its donor (or before a return): proves nothing about the disk now.
    const straddling = rec('A', { startedAt: new Date(IN.getTime() - 3 * HOUR), endedAt: new Date(IN.getTime() + 4 * 60_000), recordedAt: AFTER });
    expect(checkDataInvariant(facts({ media: [{ serialNumber: 'A' }], erasures: [straddling] }))).toMatchObject({ ok: false, missing: ['A'] });
    expect(erasedInCustody(straddling, IN)).toBe(false);
    expect(erasedInCustody({ ...straddling, startedAt: new Date(IN.getTime() + 1000) }, IN)).toBe(true);
    expect(erasedInCustody(straddling, null)).toBe(true);
  });

  it('with no custody-in yet, any PASSED record counts', () => {
    expect(checkDataInvariant(facts({ custodyInAt: null, media: [{ serialNumber: 'A' }], erasures: [rec('A', { endedAt: BEFORE })] }))).toEqual({ ok: true });
  });

  it('no media: needs a "no storage" statement since the latest custody-in', () => {
    expect(checkDataInvariant(facts({}))).toMatchObject({ ok: false, missing: [] });
    expect(checkDataInvariant(facts({ noStorageDeclaredAt: BEFORE }))).toMatchObject({ ok: false });
    expect(checkDataInvariant(facts({ noStorageDeclaredAt: AFTER }))).toEqual({ ok: true });
  });

  it('a "no storage" statement does not excuse a known medium', () => {
    expect(checkDataInvariant(facts({ media: [{ serialNumber: 'A' }], noStorageDeclaredAt: AFTER }))).toMatchObject({ ok: false, missing: ['A'] });
  });

  it('erasure records of unknown serials do not count for a known medium', () => {
    expect(checkDataInvariant(facts({ media: [{ serialNumber: 'A' }], erasures: [rec('Z')] }))).toMatchObject({ ok: false, missing: ['A'] });
  });
});

describe('likelyMeantSerial', () => {
  it.each([
    ['LAPSSD-001', ['LAPSSD-0001', 'HDD-XYZ-0002'], 'LAPSSD-0001'], // a 0 too few
    ['S3Z9NB0K12345X', ['S3Z9NB0K123456X'], 'S3Z9NB0K123456X'],
    ['WD-WCC4N1235', ['WD-WCC4N1234'], undefined], // one digit apart: the next disk of the batch
    ['PRIV-DISK-3', ['PRIV-DISK-2'], undefined],
    ['WD-WCC4N1243', ['WD-WCC4N1234'], 'WD-WCC4N1234'], // two symbols swapped
    ['wd-wcc4n 1234', ['WD-WCC4N1234'], undefined], // the same serial, typed otherwise: no typo
    ['SAMSUNG-EVO-9', ['LAPSSD-0001'], undefined], // another disk
    ['AB1', ['AB2'], undefined], // too short to tell
    ['ABCDE', ['ABXYE'], undefined], // 2 of 5 symbols off: another serial
  ])('%s among %j → %s', (typed, listed, meant) => {
    expect(likelyMeantSerial(typed, listed)).toBe(meant);
  });
});
