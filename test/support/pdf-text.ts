import { PDFDocument } from 'pdf-lib';

// The library entry runs a debug harness when required directly.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfParse: (b: Buffer) => Promise<{ text: string }> = require('pdf-parse/lib/pdf-parse.js');

/**
 * The text of a PDF, as a reader extracts it. pdf-parse's bundled pdf.js (1.x and 2.0) misreads
 * the cross-reference table of about one valid pdfkit file in a thousand ("bad XRef entry": seen
 * on a donor report whose offsets we checked by hand, and which pdf-lib reads), so the file is
 * first written out again by pdf-lib. Content streams, where the text is, are copied unchanged.
 */
export async function pdfText(pdf: Buffer): Promise<string> {
  const rewritten = Buffer.from(await (await PDFDocument.load(pdf)).save({ useObjectStreams: false }));
  return (await pdfParse(rewritten)).text;
}
