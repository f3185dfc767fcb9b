import { PDFDocument } from 'pdf-lib';
import { inventoryExitStatement, ReportDeviceInput, reportRow, reuseSummary } from './donor-report';
import { renderDonorReportPdf } from './donor-report-pdf';
import type { DonorReport } from './donor-report.service';

const donatedAt = new Date('2026-11-22T10:00:00Z');
const device = (i: number): ReportDeviceInput => ({
  code: `RN-${String(i).padStart(4, '0')}-0000`,
  type: i % 2 ? 'LAPTOP' : 'DESKTOP',
  brand: 'Dell',
  model: 'Latitude 5490',
  serialNumber: `SN${i}`,
  inventoryNumber: `INV-${String(i).padStart(5, '0')}`,
  acquisitionDate: '2019-01-01',
  estimatedValueCents: 5000,
  status: i % 3 ? 'DISTRIBUTED' : 'RECYCLED',
  flags: [],
  custodyInAt: new Date('2026-11-23T00:00:00Z'),
  noStorageDeclaredAt: null,
  media: [{ serialNumber: `D${i}` }],
  erasures: [{ mediumSerial: `D${i}`, level: 'CLEAR', result: 'PASSED', startedAt: new Date('2026-11-24T09:00:00Z'), endedAt: new Date('2026-11-24T10:00:00Z'), recordedAt: new Date('2026-11-24T10:00:00Z'), voided: false }],
});

function report(count: number): DonorReport {
  const issuedAt = new Date('2026-12-01T10:00:00Z');
  const rows = Array.from({ length: count }, (_, i) => reportRow(device(i), donatedAt));
  const summary = reuseSummary(rows);
  const donation = { id: '0190a0a0-0000-7000-8000-000000000000', reference: 'DON-1000', donorName: 'Métropole', donatedAt, territoryName: 'Rhône' };
  return { donation, issuedAt, rows, summary, statement: inventoryExitStatement(summary, donation, issuedAt) };
}

describe('donor report PDF', () => {
  it('lets the event loop run between pages: a timer set before the render of 1,000 devices fires before it ends', async () => {
    let ended = false;
    let timerFiredBeforeEnd: boolean | undefined;
    setTimeout(() => (timerFiredBeforeEnd = !ended), 0);
    // And something else waiting for a turn gets one between every two pages of the table.
    let turnsBeforeEnd = 0;
    const turn = () => {
      if (ended) return;
      turnsBeforeEnd++;
      setImmediate(turn);
    };
    setImmediate(turn);

    const pdf = await renderDonorReportPdf(report(1000));
    ended = true;

    const pages = (await PDFDocument.load(pdf)).getPageCount();
    expect(pages).toBeGreaterThan(20); // the whole table, about 40 devices a page
    expect(timerFiredBeforeEnd).toBe(true);
    expect(turnsBeforeEnd).toBeGreaterThanOrEqual(pages - 2); // a page break per table page; the statement's page, if any, does not yield
  });
});
