import PDFDocument from 'pdfkit';
import { SharedFontsPdfDocument } from './pdf-document';

type Font = { font: object; id: string; document: unknown };

/** A page in three fonts, the bold one first; CreationDate fixed so that two renderings can be compared byte for byte. */
function render(make: () => PDFKit.PDFDocument): Promise<{ pdf: Buffer; fonts: Record<string, Font> }> {
  const doc = make();
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const fonts: Record<string, Font> = {};
  const use = (name: string) => {
    doc.font(name);
    fonts[name] = (doc as unknown as { _font: Font })._font;
  };
  use('Helvetica-Bold');
  doc.fontSize(14).text("Certificat d'effacement AVAWAY Télévision", { width: 200 });
  use('Helvetica');
  doc.fontSize(9).text('Établi selon le modèle NIST SP 800-88 r1, « annexe G » : Wavy TYPO.', { width: 150 });
  use('Courier');
  doc.text('a3f1c9e0'.repeat(8));
  use('Helvetica-Bold');
  doc.text('Fin');
  doc.end();
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve({ pdf: Buffer.concat(chunks), fonts }));
    doc.on('error', reject);
  });
}

const options = { size: 'A4', margin: 50, info: { CreationDate: new Date('2026-01-01T00:00:00Z'), Title: 'Test' } } as const;

describe('SharedFontsPdfDocument', () => {
  it('writes the same bytes as pdfkit, from the first document and from those reusing its fonts', async () => {
    const plain = await render(() => new PDFDocument(options));
    const first = await render(() => new SharedFontsPdfDocument(options));
    const second = await render(() => new SharedFontsPdfDocument(options));
    expect(first.pdf.equals(plain.pdf)).toBe(true);
    expect(second.pdf.equals(plain.pdf)).toBe(true);
  });

  it("shares a standard font's parsed metrics across documents, each document keeping its own font object and id", async () => {
    const a = await render(() => new SharedFontsPdfDocument(options));
    const b = await render(() => new SharedFontsPdfDocument(options));
    const plain = await render(() => new PDFDocument(options));
    for (const name of ['Helvetica', 'Helvetica-Bold', 'Courier']) {
      expect(b.fonts[name].font).toBe(a.fonts[name].font); // parsed once
      expect(plain.fonts[name].font).not.toBe(a.fonts[name].font); // pdfkit alone parses per document
      expect(b.fonts[name]).not.toBe(a.fonts[name]);
      expect(b.fonts[name].id).toBe(plain.fonts[name].id);
      expect(b.fonts[name].document).not.toBe(a.fonts[name].document);
    }
  });
});
