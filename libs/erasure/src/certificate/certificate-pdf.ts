import { SharedFontsPdfDocument } from '@renum/platform';
// The render folder only (pure functions), not the labels Nest module.
import { qrMatrix, qrRuns } from '../../../labels/src/render/qr';
import { ABSENT_MEDIUM_FR, CertificateFacts, frenchDateTime, LEVEL_LABELS_FR, MEDIUM_KIND_LABELS_FR, VERIFICATION_LABELS_FR } from './certificate-facts';

const MARGIN = 50;

export interface CertificateRenderOptions {
  /**
   * Leaves out the device's and the media's serial numbers (for a charity, which `Device` does not
   * show them to): the rows are omitted, never faked, and a line says who sees them.
   */
  omitSerials?: boolean;
}

/**
 * The erasure certificate, in French, with the fields of the NIST SP 800-88 r1 sample
 * certificate (appendix G) for every medium, the hashes of the tools' reports, and a vector QR
 * to the public verification page. Pure: facts in, PDF bytes out. With `omitSerials`, the same
 * certificate (id, QR, facts) without the serial numbers.
 */
export function renderCertificatePdf(f: CertificateFacts, options: CertificateRenderOptions = {}): Promise<Buffer> {
  const serials = !options.omitSerials;
  const doc = new SharedFontsPdfDocument({ size: 'A4', margin: MARGIN, info: { Title: `Certificat d'effacement ${f.device.code}`, Author: 'Renum', Subject: f.certificateId } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const qrSide = 110;
  drawQr(doc, f.verifyUrl, doc.page.width - MARGIN - qrSide, MARGIN, qrSide);

  doc.font('Helvetica-Bold').fontSize(18).text("Certificat d'effacement des données", MARGIN, MARGIN, { width: width - qrSide - 10 });
  doc.moveDown(0.3).font('Helvetica').fontSize(9).fillColor('#333')
    .text('Établi selon le modèle de certificat de la norme NIST SP 800-88 r1 (annexe G).', { width: width - qrSide - 10 })
    .text(`N° de certificat : ${f.certificateId}`, { width: width - qrSide - 10 })
    .text(`Émis le ${frenchDateTime(f.issuedAt)}`, { width: width - qrSide - 10 })
    .text(`Vérification en ligne : ${f.verifyUrl}`, { width: width - qrSide - 10 });
  doc.fillColor('black');
  doc.y = Math.max(doc.y, MARGIN + qrSide + 10);

  section(doc, 'Matériel source');
  field(doc, 'Code Renum', f.device.code);
  field(doc, 'Type', f.device.typeLabel);
  field(doc, 'Marque / modèle', `${f.device.brand} ${f.device.model}`);
  if (serials) field(doc, 'N° de série', f.device.serialNumber);
  field(doc, 'Statut actuel', f.device.statusLabel);
  if (f.custodyInAt) field(doc, 'Prise en charge par l’atelier', frenchDateTime(f.custodyInAt));
  if (!serials) {
    doc.moveDown(0.3).font('Helvetica').fontSize(9).fillColor('#333')
      .text('Les numéros de série du matériel et de ses supports ne figurent pas sur cet exemplaire : ils sont communiqués au donateur, à l’atelier et au coordinateur.', MARGIN, doc.y, { width });
    doc.fillColor('black');
  }

  section(doc, 'Lieu et organisation');
  field(doc, 'Atelier (lieu de l’effacement)', f.workshop?.name ?? 'Non renseigné');

  if (f.noStorage && f.media.length === 0) {
    section(doc, 'Supports de stockage');
    doc.font('Helvetica').fontSize(10).text('Aucun support de stockage : l’atelier a déclaré que ce matériel n’en contient pas.');
  }
  f.media.forEach((m, i) => {
    section(doc, `Support ${i + 1} sur ${f.media.length}`);
    field(doc, 'Fabricant / modèle', m.model ?? 'Non renseigné');
    if (serials) field(doc, 'N° de série du support', m.serial);
    field(doc, 'Type de support', MEDIUM_KIND_LABELS_FR[m.kind ?? 'OTHER'] ?? m.kind ?? 'Autre support');
    if (m.capacityGb) field(doc, 'Capacité', `${m.capacityGb} Go`);
    const e = m.erasure;
    if (m.absent) {
      field(doc, 'Résultat', `DÉCLARÉ ABSENT PAR L’ATELIER : ${ABSENT_MEDIUM_FR} (non effacé)`);
      field(doc, 'Motif', m.absent.reason);
      field(doc, 'Déclaré le', frenchDateTime(m.absent.at));
      return;
    }
    if (!e) {
      field(doc, 'Résultat', 'AUCUN EFFACEMENT VALIDE depuis la dernière prise en charge');
      return;
    }
    field(doc, 'Niveau (NIST)', LEVEL_LABELS_FR[e.level] ?? e.level);
    field(doc, 'Méthode', e.method);
    field(doc, 'Outil et version', `${e.tool}${e.toolVersion ? ` ${e.toolVersion}` : ''}`);
    field(doc, 'Vérification', VERIFICATION_LABELS_FR[e.verification] ?? e.verification);
    field(doc, 'Résultat', e.result === 'PASSED' ? 'RÉUSSI' : 'ÉCHEC');
    field(doc, 'Date', `du ${frenchDateTime(e.startedAt)} au ${frenchDateTime(e.endedAt)}`);
    field(doc, 'Technicien', `${e.technician ?? 'non identifié'} (${e.organization})`);
    field(doc, 'Organisation', e.organization);
    if (e.reportSha256) field(doc, 'Rapport de l’outil (SHA-256)', e.reportSha256);
  });

  section(doc, 'Empreintes des rapports d’effacement (SHA-256)');
  // Courier only when there is a hash to print: each font a document opens costs it a parse.
  if (f.reportHashes.length === 0) doc.font('Helvetica').fontSize(10).text('Aucun rapport d’outil importé (effacements saisis par le technicien).');
  else doc.font('Courier').fontSize(8).text(f.reportHashes.join('\n'));

  section(doc, 'Historique infalsifiable');
  doc.font('Helvetica').fontSize(9).text(
    `Ce certificat correspond à l’événement n° ${f.eventSeq} de l’historique chaîné du matériel (empreinte ${f.eventHash ?? '-'}). ` +
      'La page de vérification indique si cet historique est toujours intact.',
    { width },
  );
  doc.end();
  return done;
}

function section(doc: PDFKit.PDFDocument, title: string) {
  if (doc.y > doc.page.height - 160) doc.addPage();
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(title, MARGIN);
  doc.moveTo(MARGIN, doc.y + 1).lineTo(doc.page.width - MARGIN, doc.y + 1).lineWidth(0.5).stroke();
  doc.moveDown(0.3);
}

function field(doc: PDFKit.PDFDocument, label: string, value: string) {
  if (doc.y > doc.page.height - 70) doc.addPage();
  const y = doc.y;
  doc.font('Helvetica-Bold').fontSize(9).text(`${label} :`, MARGIN, y, { width: 170 });
  const after = doc.y;
  doc.font('Helvetica').fontSize(9).text(value, MARGIN + 175, y, { width: doc.page.width - 2 * MARGIN - 175 });
  doc.y = Math.max(after, doc.y);
  doc.x = MARGIN;
}

/** The QR as one filled path of module-sized rectangles (vector, as the labels draw it). */
function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number, side: number) {
  const matrix = qrMatrix(url);
  const module = side / matrix.size;
  const rects = qrRuns(matrix).map((r) => `${r.col} ${r.row} ${r.length} 1 re`);
  doc.save();
  doc.transform(module, 0, 0, module, x, y);
  doc.addContent(`0 g\n${rects.join('\n')}\nf`);
  doc.restore();
}
