import { PDFArray, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { inflateSync } from 'node:zlib';

// WinAnsiEncoding bytes 0x80–0x9F that differ from Latin-1 (the rest of it is Latin-1).
const WIN_ANSI_HIGH: Record<number, string> = {
  0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡', 0x88: 'ˆ', 0x89: '‰', 0x8a: 'Š', 0x8b: '‹', 0x8c: 'Œ', 0x8e: 'Ž',
  0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—', 0x98: '˜', 0x99: '™', 0x9a: 'š', 0x9b: '›', 0x9c: 'œ', 0x9e: 'ž', 0x9f: 'Ÿ',
};

const winAnsi = (hex: string) => [...Buffer.from(hex, 'hex')].map((b) => WIN_ANSI_HIGH[b] ?? String.fromCharCode(b)).join('');

/** The decoded content streams of one page, joined: what the page draws, as text. */
export function pageContent(doc: PDFDocument, pageIndex: number): string {
  const contents = doc.getPages()[pageIndex].node.Contents();
  const streams = (contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents]) as PDFRawStream[];
  return streams
    .map((stream) => {
      const flate = stream.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode');
      return (flate ? inflateSync(stream.contents) : Buffer.from(stream.contents)).toString('latin1');
    })
    .join('\n');
}

/**
 * The text our PDFs show, one line per text-showing operator, in page order. Our PDFs come from
 * pdfkit with its standard fonts, which write every string as WinAnsi hex in `Tj`/`TJ`, so this
 * reads them exactly (the spaces of justified lines are moves of the pen; see below). pdf-parse,
 * used before, failed now and then on valid files under load ("bad XRef entry" from its bundled
 * pdf.js, where pdf-lib and a check of the offsets by hand found nothing wrong).
 */
export async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await PDFDocument.load(pdf);
  const lines: string[] = [];
  for (let page = 0; page < doc.getPageCount(); page++) {
    for (const m of pageContent(doc, page).matchAll(/\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (m[2] !== undefined) {
        lines.push(winAnsi(m[2]));
        continue;
      }
      // In a TJ array, numbers move the pen: small ones are kerning; justified text drops its
      // spaces for a move right of at least a space's width (Helvetica's space is 278/1000 em).
      const parts = [...m[1].matchAll(/<([0-9a-fA-F]*)>|(-?[\d.]+)/g)].map((x) => (x[1] !== undefined ? winAnsi(x[1]) : Number(x[2]) <= -200 ? ' ' : ''));
      lines.push(parts.join(''));
    }
  }
  return lines.join('\n');
}
