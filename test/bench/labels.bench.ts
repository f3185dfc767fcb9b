/**
 * Label rendering benchmark: 1,000 labels as an Avery L7163 PDF and as ZPL, written to files in
 * the OS temp directory (removed afterwards), against baselines measured in the same run:
 * computing the 1,000 QR matrices alone, and pdfkit writing as many empty pages.
 *
 *   npm run bench:labels
 *   npx ts-node -r tsconfig-paths/register test/bench/labels.bench.ts   (while developing)
 *
 * Prints one line per figure: wall time, peak RSS sampled every 2 ms during the phase, and the
 * process's lifetime maximum RSS from the kernel (`process.resourceUsage().maxRSS`, monotonic:
 * it includes earlier phases). Target: PDF ≤ 2 s and ≤ 300 MB.
 */
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import { LabelContent, labelsPerPage, mmToPt, qrMatrix, SHEET_TEMPLATES, writeSheetPdf, writeZpl } from '../../libs/labels/src/render';

const COUNT = 1000;
const TEMPLATE = 'avery-l7163' as const;
const TARGET_MS = 2000;
const TARGET_MB = 300;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MB = 1024 * 1024;

function fakeLabels(count: number): LabelContent[] {
  const symbol = () => CROCKFORD[Math.floor(Math.random() * CROCKFORD.length)];
  return Array.from({ length: count }, (_, i) => {
    const body = Array.from({ length: 8 }, symbol).join('');
    const code = `RN-${body.slice(0, 4)}-${body.slice(4)}`;
    return {
      code,
      url: `https://renum.example.org/d/${code}`,
      typeLabel: ['Ordinateur portable', 'Unité centrale', 'Écran', 'Smartphone'][i % 4],
      organizationShortName: i % 3 ? 'Emmaüs Connect' : undefined,
    };
  });
}

interface Measure {
  ms: number;
  peakRssMb: number;
  maxRssMb: number;
}

/** Runs `work`, sampling RSS every 2 ms (samples land whenever the renderer yields to the event loop). */
async function measure(work: () => Promise<unknown>): Promise<Measure> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 2);
  const start = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakRssMb: peak / MB, maxRssMb: (process.resourceUsage().maxRSS * 1024) / MB };
}

const line = (name: string, value: string) => console.log(`${name.padEnd(44)} ${value}`);
const fixed = (n: number, digits = 1) => n.toFixed(digits);
function report(name: string, m: Measure): void {
  line(`${name} wall time`, `${fixed(m.ms)} ms`);
  line(`${name} peak RSS (sampled)`, `${fixed(m.peakRssMb)} MB`);
  line(`${name} process maxRSS so far`, `${fixed(m.maxRssMb)} MB`);
}

async function main(): Promise<void> {
  const dir = tmpdir();
  const spec = SHEET_TEMPLATES[TEMPLATE];
  const pages = Math.ceil(COUNT / labelsPerPage(spec));
  const labels = fakeLabels(COUNT);
  const pdfPath = join(dir, `renum-labels-bench-${process.pid}.pdf`);
  const emptyPath = join(dir, `renum-labels-bench-empty-${process.pid}.pdf`);
  const zplPath = join(dir, `renum-labels-bench-${process.pid}.zpl`);
  console.log(`labels.bench: ${COUNT} labels, template ${TEMPLATE} (${pages} pages), Node ${process.version}`);
  line('RSS at start', `${fixed(process.memoryUsage().rss / MB)} MB`);

  // Warm-up: loads pdfkit's font metrics and JIT-compiles the hot paths, as a running API would have.
  await writeSheetPdf(labels.slice(0, 14), TEMPLATE, createWriteStream(join(dir, `renum-labels-bench-warmup-${process.pid}.pdf`)));
  rmSync(join(dir, `renum-labels-bench-warmup-${process.pid}.pdf`));

  const qrBaseline = await measure(async () => {
    for (const label of labels) qrMatrix(label.url);
  });
  report(`baseline: ${COUNT} QR matrices only`, qrBaseline);

  const emptyBaseline = await measure(async () => {
    const doc = new PDFDocument({ size: [mmToPt(spec.pageWidth), mmToPt(spec.pageHeight)], margin: 0, autoFirstPage: false });
    const out = createWriteStream(emptyPath);
    doc.pipe(out);
    for (let i = 0; i < pages; i++) doc.addPage();
    doc.end();
    await finished(out);
  });
  report(`baseline: pdfkit ${pages} empty pages`, emptyBaseline);

  let pdfPages = 0;
  const pdf = await measure(async () => {
    pdfPages = (await writeSheetPdf(labels, TEMPLATE, createWriteStream(pdfPath))).pages;
  });
  report(`PDF ${TEMPLATE} ${COUNT} labels`, pdf);
  line(`PDF ${TEMPLATE} pages`, String(pdfPages));
  line(`PDF ${TEMPLATE} file size`, `${fixed(statSync(pdfPath).size / 1024)} KiB`);
  line('PDF time / QR-matrices baseline', `${fixed(pdf.ms / qrBaseline.ms, 2)}×`);
  line('PDF time / empty-pages baseline', `${fixed(pdf.ms / emptyBaseline.ms, 2)}×`);
  line(`PDF target ≤ ${TARGET_MS} ms`, pdf.ms <= TARGET_MS ? 'met' : 'MISSED');
  line(`PDF target ≤ ${TARGET_MB} MB (kernel maxRSS)`, pdf.maxRssMb <= TARGET_MB ? 'met' : 'MISSED');

  let zplCount = 0;
  const zpl = await measure(async () => {
    zplCount = (await writeZpl(labels, createWriteStream(zplPath))).labels;
  });
  report(`ZPL ${COUNT} labels`, zpl);
  line('ZPL labels', String(zplCount));
  line('ZPL file size', `${fixed(statSync(zplPath).size / 1024)} KiB`);
  line('ZPL time / QR-matrices baseline', `${fixed(zpl.ms / qrBaseline.ms, 2)}×`);

  for (const path of [emptyPath, pdfPath, zplPath]) rmSync(path);
  if (pdf.ms > TARGET_MS || pdf.maxRssMb > TARGET_MB) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
