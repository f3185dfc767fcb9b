import { SharedFontsPdfDocument, yieldToOutput } from '@renum/platform';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { absentMediumFr, dateFr, percentFr, qty } from './donor-report';
import type { DonorReport } from './donor-report.service';

const M = 36;
const COLUMNS: { title: string; width: number; value: (r: DonorReport['rows'][number]) => string }[] = [
  { title: 'N° inventaire', width: 80, value: (r) => r.inventoryNumber ?? '' },
  { title: 'Code', width: 72, value: (r) => r.code },
  { title: 'Type', width: 85, value: (r) => r.typeLabel },
  { title: 'Modèle', width: 120, value: (r) => r.brandModel },
  { title: 'N° de série', width: 95, value: (r) => r.serialNumber },
  { title: 'Effacement', width: 95, value: (r) => r.erasureLabel },
  { title: 'Date', width: 60, value: (r) => dateFr(r.erasedAt) },
  { title: 'Devenir', width: 120, value: (r) => `${r.fateLabel}${r.reenExcluded ? ' (hors base REEN)' : ''}` },
];

/**
 * The donor's report, in French: summary, per-device table, and the statement for the *sortie
 * d'inventaire*. Rendered in the api, page by page, yielding to the event loop between pages: a
 * 1,000-device donation makes some 25 pages, 0.1–0.3 s of drawing that would
 * otherwise hold every other request of the process.
 */
export async function renderDonorReportPdf(r: DonorReport): Promise<Buffer> {
  const doc = new SharedFontsPdfDocument({ size: 'A4', layout: 'landscape', margin: M, info: { Title: `Rapport de don ${r.donation.reference}`, Author: 'Renum' } });
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  doc.on('error', (error) => out.destroy(error));
  doc.pipe(out);
  const width = doc.page.width - 2 * M;
  const s = r.summary;

  doc.font('Helvetica-Bold').fontSize(16).text(`Rapport de devenir du don « ${r.donation.reference} »`);
  doc.font('Helvetica').fontSize(10)
    .text(`Donateur : ${r.donation.donorName} — territoire : ${r.donation.territoryName}`)
    .text(`Don déclaré le ${dateFr(r.donation.donatedAt)} — rapport établi le ${dateFr(r.issuedAt)}`);
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).text('Synthèse');
  doc.font('Helvetica').fontSize(10)
    .text(`Matériels donnés : ${s.donated} — réemployés : ${s.reused} — recyclés : ${s.recycled} — démontés : ${s.dismantled} — en cours : ${s.inProgress}`)
    .text(
      `Taux de réemploi (loi REEN) : ${percentFr(s.reuseRate)} (${s.reusedInBase} sur ${qty(s.reenBase, 'matériel compté', 'matériels comptés')}${s.excludedTooOld ? `, ${qty(s.excludedTooOld, 'de plus de 10 ans exclu', 'de plus de 10 ans exclus')}` : ''})${s.provisional ? ' — provisoire' : ''}`,
    );
  doc.moveDown(0.6);

  const header = () => {
    const y = doc.y;
    let x = M;
    doc.font('Helvetica-Bold').fontSize(8);
    for (const c of COLUMNS) {
      doc.text(c.title, x, y, { width: c.width - 4 });
      x += c.width;
    }
    doc.moveTo(M, doc.y + 2).lineTo(M + width, doc.y + 2).lineWidth(0.5).stroke();
    doc.y += 5;
  };
  header();
  for (const row of r.rows) {
    if (doc.y > doc.page.height - M - 30) {
      doc.flushPages();
      await yieldToOutput(out);
      doc.addPage();
      header();
    }
    const y = doc.y;
    let x = M;
    let bottom = y;
    doc.font('Helvetica').fontSize(8);
    for (const c of COLUMNS) {
      doc.text(c.value(row), x, y, { width: c.width - 4 });
      bottom = Math.max(bottom, doc.y);
      x += c.width;
    }
    doc.y = bottom + 3;
  }

  // A disk of the donor's inventory that was not in the device may still hold its data, wherever it is.
  const absent = r.rows.filter((row) => row.absentMedia.length > 0);
  if (absent.length) {
    if (doc.y > doc.page.height - M - 100) doc.addPage();
    doc.moveDown(1).font('Helvetica-Bold').fontSize(12).text('Supports de stockage déclarés absents par l’atelier', M, doc.y, { width });
    doc.font('Helvetica').fontSize(9).text(
      'Ces supports figurent dans votre déclaration, mais l’atelier qui avait le matériel a déclaré qu’ils n’y étaient pas, avec le motif ci-dessous. ' +
        'Renum n’atteste pas leur effacement : s’ils sont encore chez vous, effacez-les ou confiez-les à l’atelier.',
      M, doc.y + 4, { width },
    );
    for (const row of absent) {
      for (const m of row.absentMedia) doc.moveDown(0.3).text(`${row.code}${row.inventoryNumber ? ` (n° d’inventaire ${row.inventoryNumber})` : ''} — ${absentMediumFr(m)}`, M, doc.y, { width });
    }
  }

  if (doc.y > doc.page.height - M - 140) doc.addPage();
  doc.x = M;
  doc.moveDown(1).font('Helvetica-Bold').fontSize(12).text('Attestation pour la sortie d’inventaire', M, doc.y, { width });
  doc.font('Helvetica').fontSize(10).text(r.statement, M, doc.y + 4, { width, align: 'justify' });
  doc.end();
  await finished(out);
  return Buffer.concat(chunks);
}
