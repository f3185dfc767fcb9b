import { buildReport } from './import-report';
import { parseInventoryCsv } from '../inventory-csv';

const csv = (lines: string[]) => Buffer.from(lines.join('\n') + '\n');
const FILE = csv([
  'type;brand;model;serialNumber;acquisitionDate;estimatedValueEuros',
  'LAPTOP;Dell;Latitude 5490;SN-1;2020-01-01;',
  'LAPTOP;Dell;Latitude 5490;SN-2;2012-01-01;',
  'LAPTOP;Dell;Latitude 5490;;2020-01-01;',
  'LAPTOP;Dell;Latitude 5490;SN-1;2020-01-01;',
  'LAPTOP;Dell;Latitude 5490;SN-3;2020-01-01;450',
]);
const parsed = parseInventoryCsv(FILE, { today: new Date('2026-11-22T12:00:00Z') });

describe('import report', () => {
  it('counts every row that created nothing as skipped: row problems in errors, known serials in alreadyRegistered', () => {
    const r = buildReport('imp', 'don', parsed, 2, [{ row: 2, serialNumber: 'SN-1' }]);
    expect([r.totalRows, r.created, r.skipped]).toEqual([5, 2, 3]);
    expect([...new Set(r.errors.map((e) => e.row))]).toEqual([4, 5]);
    expect(r.alreadyRegistered).toEqual([{ row: 2, serialNumber: 'SN-1' }]);
    expect(r.flagged).toEqual([
      { row: 3, serialNumber: 'SN-2', flags: ['REEN_TOO_OLD'] },
      { row: 6, serialNumber: 'SN-3', flags: ['VALUE_ABOVE_DONATION_CAP'] },
    ]);
    expect(r.labels).toEqual({ method: 'POST', url: '/api/v1/labels/sheets', body: { donationId: 'don', template: 'avery-l7163' } });
  });

  it('a re-import: nothing created, every valid row already registered, no flag repeated', () => {
    const already = parsed.rows.map((row) => ({ row: row.row, serialNumber: row.device.serialNumber }));
    const r = buildReport('imp', 'don', parsed, 0, already);
    expect([r.created, r.skipped]).toEqual([0, 5]);
    expect(r.flagged).toEqual([]);
    expect(r.warnings.every((w) => w.row === 1)).toBe(true);
  });
});
