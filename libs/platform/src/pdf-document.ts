import PDFDocument from 'pdfkit';

/** The 14 standard PDF fonts (PDF 1.7, 9.6.2.2): pdfkit draws them from metrics it parses, never embeds. */
const STANDARD_FONTS = new Set([
  'Courier',
  'Courier-Bold',
  'Courier-BoldOblique',
  'Courier-Oblique',
  'Helvetica',
  'Helvetica-Bold',
  'Helvetica-BoldOblique',
  'Helvetica-Oblique',
  'Symbol',
  'Times-Bold',
  'Times-BoldItalic',
  'Times-Italic',
  'Times-Roman',
  'ZapfDingbats',
]);

/** pdfkit's per-document font bookkeeping (not in its typings). */
interface FontBookkeeping {
  _fontFamilies: Record<string, object>;
  _fontCount: number;
  _registeredFonts: Record<string, unknown>;
  _font: object;
}

/** A standard font as pdfkit built it once, minus what ties it to that document. */
interface ParsedFont {
  prototype: object;
  metrics: Record<string, unknown>;
}

const parsedFonts = new Map<string, ParsedFont>();

/**
 * A pdfkit document whose standard fonts reuse the metrics this process parsed the first time.
 *
 * Why: pdfkit rebuilds a standard font's glyph widths and kerning table (about 2,800 pairs for
 * Helvetica) every time a document opens it, and every document opens Helvetica at least. That was
 * about a sixth of an erasure certificate's rendering, which the worker does after every wipe.
 * The parsed metrics are never written after construction; what belongs to one document (its
 * resource id and PDF object) is made anew for each. Other fonts go through pdfkit unchanged.
 */
export class SharedFontsPdfDocument extends PDFDocument {
  // Also called by pdfkit's constructor, for the default font.
  override font(src: PDFKit.Mixins.PDFFontSource, family?: string | number, size?: number): this {
    const doc = this as unknown as FontBookkeeping;
    const name = typeof src === 'string' && STANDARD_FONTS.has(src) && typeof family !== 'string' && !doc._registeredFonts[src] ? src : undefined;
    const parsed = name && parsedFonts.get(name);
    if (name && parsed && !doc._fontFamilies[name]) {
      doc._fontFamilies[name] = Object.assign(Object.create(parsed.prototype), parsed.metrics, { document: this, id: `F${++doc._fontCount}` });
    }
    super.font(src, family as string, size);
    if (name && !parsed) {
      const { document: _document, id: _id, dictionary: _dictionary, embedded: _embedded, ...metrics } = doc._font as Record<string, unknown>;
      parsedFonts.set(name, { prototype: Object.getPrototypeOf(doc._font), metrics });
    }
    return this;
  }
}
