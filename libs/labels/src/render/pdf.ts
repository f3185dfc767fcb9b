import { SharedFontsPdfDocument, yieldToOutput } from '@renum/platform';
import { finished } from 'node:stream/promises';
import { cleanLine, fitText, LabelLayout, layoutLabel, TextSlot } from './layout';
import { qrMatrix, qrRuns } from './qr';
import { labelsPerPage, mmToPt, PT_PER_MM, SHEET_TEMPLATES, SheetTemplate, SheetTemplateSpec } from './templates';
import type { LabelContent } from './types';

type Doc = PDFKit.PDFDocument;

/**
 * Writes labels onto sheets of `template` as a PDF streamed into `out` (which is ended).
 * Each finished page is flushed to `out` before the next is drawn, waiting for `out` to drain,
 * so memory stays flat whatever the number of labels. QR codes are vector rectangles in the
 * page content (no bitmaps), so 1,000 labels make a PDF of about a megabyte.
 * With no labels at all the PDF holds one blank page, PDF files needing at least one.
 * If `labels` throws or `out` closes early, the promise rejects and `out` is left to the caller.
 */
export async function writeSheetPdf(
  labels: AsyncIterable<LabelContent> | Iterable<LabelContent>,
  template: Exclude<SheetTemplate, 'zebra-zpl-50x25'>,
  out: NodeJS.WritableStream,
): Promise<{ pages: number }> {
  const spec: SheetTemplateSpec | undefined = SHEET_TEMPLATES[template];
  if (!spec || spec.kind !== 'pdf') throw new RangeError(`not a PDF label template: ${template}`);
  const doc = new SharedFontsPdfDocument({
    size: [mmToPt(spec.pageWidth), mmToPt(spec.pageHeight)],
    margin: 0,
    autoFirstPage: false,
    info: { Title: 'Étiquettes Renum', Creator: 'Renum', Subject: spec.description },
  });
  doc.pipe(out);

  const perPage = labelsPerPage(spec);
  const layouts = new Map<number, LabelLayout>(); // by QR size, which varies with URL length
  let count = 0;
  let pages = 0;
  for await (const label of labels) {
    const cell = count % perPage;
    if (cell === 0) {
      if (pages > 0) {
        doc.flushPages();
        await yieldToOutput(out);
      }
      doc.addPage().fillColor('black');
      pages++;
    }
    const x = spec.marginLeft + (cell % spec.columns) * spec.pitchX;
    const y = spec.marginTop + Math.floor(cell / spec.columns) * spec.pitchY;
    drawLabel(doc, label, x, y, spec, layouts);
    count++;
  }
  if (pages === 0) {
    doc.addPage();
    pages = 1;
  }
  doc.end();
  await finished(out);
  return { pages };
}

/** One label whose top-left corner is at (`xMm`, `yMm`) on the page. */
function drawLabel(doc: Doc, label: LabelContent, xMm: number, yMm: number, spec: SheetTemplateSpec, layouts: Map<number, LabelLayout>): void {
  const matrix = qrMatrix(label.url);
  let layout = layouts.get(matrix.size);
  if (!layout) layouts.set(matrix.size, (layout = layoutLabel(spec.labelWidth, spec.labelHeight, matrix.size)));

  // QR: one filled path of rectangles in module units, scaled into place. pdfkit's page space
  // already has y pointing down, like the matrix rows.
  const module = mmToPt(layout.qr.size / matrix.size);
  const rects = qrRuns(matrix).map((r) => `${r.col} ${r.row} ${r.length} 1 re`);
  doc.save();
  doc.transform(module, 0, 0, module, mmToPt(xMm + layout.qr.x), mmToPt(yMm + layout.qr.y));
  doc.addContent(`0 g\n${rects.join('\n')}\nf`);
  doc.restore();

  const text = (value: string, slot: TextSlot, font: string): void => {
    if (!value) return;
    doc.font(font);
    const measure = (t: string, em: number) => doc.fontSize(mmToPt(em)).widthOfString(t) / PT_PER_MM;
    const fitted = fitText(value, slot, measure);
    if (!fitted.text) return;
    doc
      .fontSize(mmToPt(fitted.em))
      .text(fitted.text, mmToPt(xMm + slot.x), mmToPt(yMm + slot.baseline), { lineBreak: false, baseline: 'alphabetic' });
  };
  text(label.code, layout.code, 'Courier-Bold');
  if (layout.info) {
    text(cleanLine(label.typeLabel), layout.info.type, 'Helvetica-Bold');
    text(cleanLine(label.organizationShortName), layout.info.organization, 'Helvetica');
  }
}
