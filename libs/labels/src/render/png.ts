import { crc32, deflateSync } from 'node:zlib';
import { drawText, fontTextWidth, GLYPH_HEIGHT, toFontText } from './bitmap-font';
import { cleanLine, layoutLabel, TextSlot } from './layout';
import { qrMatrix } from './qr';
import { SINGLE_LABEL_MM } from './templates';
import type { LabelContent } from './types';

const CAP_HEIGHT = 0.72;

/** A 1-bit image: 1 = ink. */
class Bitmap {
  readonly ink: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.ink = new Uint8Array(width * height);
  }
  set = (x: number, y: number): void => {
    if (x >= 0 && y >= 0 && x < this.width && y < this.height) this.ink[y * this.width + x] = 1;
  };
  fillRect(x: number, y: number, w: number, h: number): void {
    for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) this.set(xx, yy);
  }
}

/**
 * One label as a PNG, 50 × 25 mm at `dpi` (300 by default), black and white, 1 bit per pixel.
 * Every QR module is a whole number of pixels and text uses a pixel font scaled by whole
 * pixels, so nothing is anti-aliased: the print is as sharp as the printer allows.
 */
export async function labelPng(label: LabelContent, options: { dpi?: number } = {}): Promise<Buffer> {
  const dpi = options.dpi ?? 300;
  if (!Number.isFinite(dpi) || dpi < 72 || dpi > 1200) throw new RangeError(`dpi must be within 72..1200, got ${dpi}`);
  const pxPerMm = dpi / 25.4;
  const { width, height } = SINGLE_LABEL_MM;
  const matrix = qrMatrix(label.url);
  const layout = layoutLabel(width, height, matrix.size);
  const image = new Bitmap(Math.round(width * pxPerMm), Math.round(height * pxPerMm));

  // Whole pixels per module, the snapped symbol centred in its box.
  const modulePx = Math.max(1, Math.floor((layout.qr.size * pxPerMm) / matrix.size));
  const symbolPx = modulePx * matrix.size;
  const boxPx = layout.qrBox.size * pxPerMm;
  const qrX = Math.round(layout.qrBox.x * pxPerMm + (boxPx - symbolPx) / 2);
  const qrY = Math.round(layout.qrBox.y * pxPerMm + (boxPx - symbolPx) / 2);
  for (let row = 0; row < matrix.size; row++) {
    for (let col = 0; col < matrix.size; col++) {
      if (matrix.dark[row * matrix.size + col]) image.fillRect(qrX + col * modulePx, qrY + row * modulePx, modulePx, modulePx);
    }
  }

  const text = (value: string, slot: TextSlot, maxScale = Infinity): number => {
    let content = toFontText(value);
    const capPx = (em: number) => (em * CAP_HEIGHT * pxPerMm) / GLYPH_HEIGHT;
    const maxWidth = slot.maxWidth * pxPerMm;
    let scale = Math.max(1, Math.min(maxScale, Math.round(capPx(slot.em))));
    const minScale = Math.max(1, Math.floor(capPx(slot.minEm)));
    while (scale > minScale && fontTextWidth(content, scale) > maxWidth) scale--;
    if (fontTextWidth(content, scale) > maxWidth) {
      while (content.length > 0 && fontTextWidth(content.trimEnd() + '…', scale) > maxWidth) content = content.slice(0, -1);
      content = content.length ? content.trimEnd() + '…' : '';
    }
    drawText(image.set, content, Math.round(slot.x * pxPerMm), Math.round(slot.baseline * pxPerMm), scale);
    return scale;
  };
  text(label.code, { ...layout.code, x: qrX / pxPerMm }); // aligned with the snapped symbol
  if (layout.info) {
    // The organisation never looks bigger than the type, even when a long type had to shrink.
    const typeScale = text(cleanLine(label.typeLabel), layout.info.type);
    text(cleanLine(label.organizationShortName), layout.info.organization, typeScale);
  }
  return encodePng(image, dpi);
}

/** Minimal PNG writer: greyscale, 1 bit per pixel, one IDAT, physical size in pHYs. */
function encodePng(image: Bitmap, dpi: number): Buffer {
  const rowBytes = Math.ceil(image.width / 8);
  const raw = Buffer.alloc((rowBytes + 1) * image.height, 0xff);
  for (let y = 0; y < image.height; y++) {
    const rowStart = y * (rowBytes + 1);
    raw[rowStart] = 0; // filter: none
    for (let x = 0; x < image.width; x++) {
      if (image.ink[y * image.width + x]) raw[rowStart + 1 + (x >> 3)] &= ~(0x80 >> (x & 7));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(image.width, 0);
  ihdr.writeUInt32BE(image.height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter method, no interlace
  const phys = Buffer.alloc(9);
  const pxPerMetre = Math.round(dpi / 0.0254);
  phys.writeUInt32BE(pxPerMetre, 0);
  phys.writeUInt32BE(pxPerMetre, 4);
  phys[8] = 1; // unit: metre
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('pHYs', phys),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}
