import * as QRCode from 'qrcode';

/**
 * Error correction level for every label: Q (~25 % of codewords recoverable).
 *
 * Why Q rather than H (~30 %): on a label of fixed size, H needs a bigger symbol for the same
 * URL (a typical `https://host/d/RN-XXXX-XXXX` is version 4, 33 modules, at Q but version 5,
 * 37 modules, at H), so every module shrinks by ~11 %. Small modules are what fail first on a
 * 203 dpi thermal print or a worn label read by a phone at arm's length; a scratch is usually
 * local and Q already absorbs a quarter of the data. The finder patterns, which no level
 * protects, are the weak point either way, and the code is printed in clear as a fallback.
 */
export const QR_ERROR_CORRECTION = 'Q' as const;

/** ISO/IEC 18004 asks for 4 light modules around the symbol. */
export const QR_QUIET_ZONE = 4;

/** The QR symbol as a square grid of modules, row-major, 1 = dark. */
export interface QrMatrix {
  readonly size: number;
  readonly dark: Uint8Array;
}

/** A horizontal run of dark modules: `length` modules from (`row`, `col`). */
export interface QrRun {
  readonly row: number;
  readonly col: number;
  readonly length: number;
}

/** The one place every renderer (SVG, PNG, PDF) gets its modules from. */
export function qrMatrix(text: string): QrMatrix {
  const qr = QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  return { size: qr.modules.size, dark: qr.modules.data };
}

/**
 * Modules per side of the symbol a printer encoding `text` itself (ZPL ^BQ) may produce: the
 * version needed in plain byte mode, an upper bound for any sensible encoder. Cheap: one fixed
 * mask instead of scoring all eight (the mask never changes the size).
 */
export function qrModuleCount(text: string): number {
  return QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: QR_ERROR_CORRECTION, maskPattern: 0 }).modules.size;
}

/** The dark modules merged into horizontal runs: ~3× fewer shapes than one square per module. */
export function qrRuns(matrix: QrMatrix): QrRun[] {
  const { size, dark } = matrix;
  const runs: QrRun[] = [];
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!dark[row * size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && dark[row * size + col]) col++;
      runs.push({ row, col: start, length: col - start });
    }
  }
  return runs;
}
