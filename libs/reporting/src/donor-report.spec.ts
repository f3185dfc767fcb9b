import { deviceFlags } from '@renum/domain';
import { absentMediumFr, byInventoryNumber, dateFr, eurosCell, inventoryExitStatement, isTooOldForReen, ReportDeviceInput, reportRow, reuseSummary } from './donor-report';

const donatedAt = new Date('2026-11-22T10:00:00Z');
const device = (over: Partial<ReportDeviceInput> = {}): ReportDeviceInput => ({
  code: 'RN-0000-0000',
  type: 'LAPTOP',
  brand: 'Dell',
  model: 'Latitude 5490',
  serialNumber: 'SN1',
  inventoryNumber: 'INV-1',
  acquisitionDate: '2019-01-01',
  estimatedValueCents: 5000,
  status: 'DISTRIBUTED',
  flags: [],
  custodyInAt: new Date('2026-01-01T00:00:00Z'),
  noStorageDeclaredAt: null,
  media: [{ serialNumber: 'D1' }],
  erasures: [{ mediumSerial: 'D1', level: 'CLEAR', result: 'PASSED', startedAt: new Date('2026-01-01T23:00:00Z'), endedAt: new Date('2026-01-02T00:00:00Z'), recordedAt: new Date('2026-01-02T00:00:00Z'), voided: false }],
  ...over,
});

describe('donor report rules', () => {
  it('names the fate and the erasure proof of each device', () => {
    expect(reportRow(device(), donatedAt)).toMatchObject({ fateLabel: 'Réemployé', erasureLabel: 'Effacement prouvé', erasedAt: new Date('2026-01-02T00:00:00Z') });
    expect(reportRow(device({ status: 'RECYCLED' }), donatedAt).fateLabel).toBe('Recyclé');
    expect(reportRow(device({ status: 'WIPED', media: [], erasures: [], noStorageDeclaredAt: new Date('2026-01-03T00:00:00Z') }), donatedAt).erasureLabel).toBe('Sans stockage');
    // A voided erasure proves nothing; nor does one from before the latest custody.
    expect(reportRow(device({ erasures: [{ mediumSerial: 'D1', level: 'CLEAR', result: 'PASSED', startedAt: new Date('2026-01-01T23:00:00Z'), endedAt: new Date('2026-01-02T00:00:00Z'), recordedAt: new Date('2026-01-02T00:00:00Z'), voided: true }] }), donatedAt).erasureLabel).toBe('Non effacé');
    expect(reportRow(device({ custodyInAt: new Date('2026-02-01T00:00:00Z') }), donatedAt).erasureLabel).toBe('Non effacé');
    expect(reportRow(device({ status: 'REGISTERED', media: [], erasures: [] }), donatedAt)).toMatchObject({ fate: 'AWAITING_COLLECTION', erasureLabel: 'Non effacé' });
  });

  it('flags a disk the donor declared that the workshop found absent, on the line itself', () => {
    const absence = { at: new Date('2026-01-02T09:00:00Z'), reason: 'Baie vide' };
    const row = reportRow(device({ media: [{ serialNumber: 'D1' }, { serialNumber: 'D2', absence }] }), donatedAt);
    expect(row).toMatchObject({ erasure: 'PROVEN', erasureLabel: 'Effacement prouvé (1 support déclaré absent par l’atelier)', absentMedia: [{ serialNumber: 'D2', ...absence }] });
    expect(absentMediumFr(row.absentMedia[0])).toBe('support D2 déclaré absent le 02/01/2026 : Baie vide');
    // Its only disk absent and « no storage » stated: no disk was erased, and the line says both.
    const none = reportRow(device({ status: 'WIPED', media: [{ serialNumber: 'D1', absence }], erasures: [], noStorageDeclaredAt: new Date('2026-01-03T00:00:00Z') }), donatedAt);
    expect(none.erasureLabel).toBe('Sans stockage (1 support déclaré absent par l’atelier)');
    expect(reportRow(device(), donatedAt).absentMedia).toEqual([]);
  });

  it('excludes devices over 10 years old at the donation from the REEN base', () => {
    expect(isTooOldForReen('2016-11-21', [], donatedAt)).toBe(true);
    // Exactly ten years: not over, as registration decides (no REEN_TOO_OLD warning was given).
    expect(isTooOldForReen('2016-11-22', [], donatedAt)).toBe(false);
    expect(deviceFlags({ acquisitionDate: '2016-11-22' }, donatedAt)).toEqual([]);
    expect(isTooOldForReen('2016-11-23', [], donatedAt)).toBe(false);
    expect(isTooOldForReen(null, [], donatedAt)).toBe(false);
    expect(isTooOldForReen('2024-01-01', ['REEN_TOO_OLD'], donatedAt)).toBe(true);
  });

  it('computes reused / donated on the REEN base, provisional while devices are in progress', () => {
    const rows = [
      device(),
      device(),
      device({ status: 'RECYCLED' }),
      device({ status: 'AVAILABLE' }),
      device({ status: 'DISTRIBUTED', acquisitionDate: '2010-01-01' }), // reused but too old: outside the base
    ].map((d) => reportRow(d, donatedAt));
    const s = reuseSummary(rows);
    expect(s).toMatchObject({ donated: 5, reused: 3, recycled: 1, inProgress: 1, excludedTooOld: 1, reenBase: 4, reusedInBase: 2, provisional: true });
    expect(s.reuseRate).toBe(0.5);
    const text = inventoryExitStatement(s, { reference: 'DON-1', donorName: 'Ville de Villeurbanne', donatedAt }, donatedAt);
    expect(text).toContain('50 %');
    expect(text).toContain('2 réemployés sur 4 matériels comptés');
    expect(text).toContain('sortie d’inventaire');
    expect(text).toContain('1 matériel de plus de 10 ans exclu de la base');
    expect(text).toContain('3 ont été réemployés');
    expect(text).toContain('1 recyclé par la filière DEEE, 0 démonté pour pièces détachées et 1 est encore en attente de collecte ou en cours de traitement');
    const one = inventoryExitStatement(reuseSummary([reportRow(device(), donatedAt)]), { reference: 'DON-2', donorName: 'Mairie', donatedAt }, donatedAt);
    expect(one).toContain('sur 1 matériel du don « DON-2 »');
    expect(one).toContain('1 a été réemployé (remis');
    expect(one).toContain('(1 réemployé sur 1 matériel compté)');
    expect(reuseSummary([]).reuseRate).toBeNull();
  });
});

describe('dates in the report', () => {
  it.each([
    // An erasure ended at 23:30 UTC on 1 March is on 2 March in France (winter, UTC+1)…
    [new Date('2026-03-01T23:30:00Z'), '02/03/2026'],
    // …and at 22:30 UTC on 30 June it is already 1 July (summer, UTC+2).
    [new Date('2026-06-30T22:30:00Z'), '01/07/2026'],
    [new Date('2026-06-30T21:30:00Z'), '30/06/2026'],
    // A calendar date is a day, whatever the time zone.
    ['2019-02-03', '03/02/2019'],
    [null, ''],
  ])('%p → %p', (value, expected) => {
    expect(dateFr(value)).toBe(expected);
  });
});

describe('values in the report', () => {
  it.each([
    [12345, '123,45'],
    [5000, '50,00'],
    [7, '0,07'],
    [123456, '1234,56'],
    [0, '0,00'],
    [null, ''],
  ])('%p cents → %p', (cents, expected) => {
    expect(eurosCell(cents)).toBe(expected);
  });

  it('keeps the value the donor declared on each line', () => {
    expect(reportRow(device({ estimatedValueCents: 12345 }), donatedAt).estimatedValueCents).toBe(12345);
    expect(reportRow(device({ estimatedValueCents: null }), donatedAt).estimatedValueCents).toBeNull();
  });
});

describe('order of the report', () => {
  it('follows inventory numbers as a person reads them, devices without one last', () => {
    const rows = ['VLO-A-10', null, 'VLO-A-2', 'vlo-a-1', 'VLO-A-100', 'VLO-A-11'].map((inventory_number) => ({ inventory_number }));
    expect(rows.sort(byInventoryNumber).map((r) => r.inventory_number)).toEqual(['vlo-a-1', 'VLO-A-2', 'VLO-A-10', 'VLO-A-11', 'VLO-A-100', null]);
  });
});
