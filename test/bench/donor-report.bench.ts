/**
 * How long the donor report PDF of a 1,000-device donation keeps the api's event loop busy.
 *
 *   npm run bench:donor-report
 *   npx ts-node -r tsconfig-paths/register test/bench/donor-report.bench.ts   (while developing)
 *
 * Renders the same report RUNS times (after a warm-up) and prints, per run, the time of the
 * render and the longest stretch the event loop could not run anything else (the largest gap
 * between turns of a setImmediate chain running beside it), in wall time and in process CPU time
 * (user + system, all threads; steadier than wall time on a busy machine).
 */
import { performance } from 'node:perf_hooks';
import { renderDonorReportPdf } from '../../libs/reporting/src/donor-report-pdf';
import type { DonorReport } from '../../libs/reporting/src/donor-report.service';

const COUNT = 1000;
const RUNS = 10;

function fakeDonorReport(count: number): DonorReport {
  const issuedAt = new Date('2026-03-02T10:00:00Z');
  const fates = [['REUSED', 'Réemployé'], ['RECYCLED', 'Recyclé'], ['IN_PROGRESS', 'En cours (atelier ou partenaire)']] as const;
  return {
    donation: { id: '0190a0a0-0000-7000-8000-000000000000', reference: 'DON-2026-0042', donorName: 'Métropole de Lyon', donatedAt: new Date('2026-01-10T09:00:00Z'), territoryName: 'Rhône' },
    issuedAt,
    rows: Array.from({ length: count }, (_, i) => ({
      code: `RN-${String(i).padStart(4, '0')}-ABC${i % 10}`,
      inventoryNumber: `MDL-2019-${String(i).padStart(5, '0')}`,
      typeLabel: i % 2 ? 'Ordinateur portable' : 'Unité centrale',
      brandModel: i % 2 ? 'Dell Latitude 5490' : 'HP EliteDesk 800 G4 Mini',
      serialNumber: `5CG${String(100000 + i)}XQ`,
      acquisitionDate: '2019-05-02',
      estimatedValueCents: 5000,
      erasure: 'PROVEN',
      erasureLabel: 'Effacement prouvé',
      erasedAt: issuedAt,
      absentMedia: [],
      fate: fates[i % 3][0],
      fateLabel: fates[i % 3][1],
      statusLabel: 'Distribué',
      reenExcluded: i % 50 === 0,
    })),
    summary: { donated: count, reused: 334, recycled: 333, dismantled: 0, inProgress: 333, excludedTooOld: 20, reenBase: 980, reusedInBase: 327, reuseRate: 0.334, provisional: true },
    statement: 'Attestation de test. '.repeat(30),
  };
}

/** CPU time of the process (user + system), in ms: less swayed than wall time by a busy machine. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function measure(report: DonorReport) {
  let longest = 0;
  let longestCpu = 0;
  let last = performance.now();
  let lastCpu = cpuMs();
  let turns = 0;
  let running = true;
  const tick = () => {
    const now = performance.now();
    const cpu = cpuMs();
    longest = Math.max(longest, now - last);
    longestCpu = Math.max(longestCpu, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await new Promise((resolve) => setImmediate(resolve)); // the chain is running
  const start = performance.now();
  const startCpu = cpuMs();
  last = start;
  lastCpu = startCpu;
  turns = 0;
  const pdf = await renderDonorReportPdf(report);
  const wallMs = performance.now() - start;
  const renderCpuMs = cpuMs() - startCpu;
  tick(); // the stretch up to the end counts too
  running = false;
  return { wallMs, renderCpuMs, longestBlockMs: longest, longestBlockCpuMs: longestCpu, turns, bytes: pdf.length };
}

async function main() {
  await renderDonorReportPdf(fakeDonorReport(50)); // fonts and code warm
  const report = fakeDonorReport(COUNT);
  for (let run = 1; run <= RUNS; run++) {
    const m = await measure(report);
    console.log(
      `run ${run}: ${COUNT} rows, ${(m.bytes / 1024).toFixed(0)} KiB, render ${m.wallMs.toFixed(0)} ms (CPU ${m.renderCpuMs.toFixed(0)} ms), ` +
        `event loop turns during it ${m.turns}, longest block ${m.longestBlockMs.toFixed(1)} ms (CPU ${m.longestBlockCpuMs.toFixed(1)} ms)`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
