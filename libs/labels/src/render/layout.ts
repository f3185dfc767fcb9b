import { QR_QUIET_ZONE } from './qr';

/**
 * Where things go on one label, in millimetres from the label's top-left corner. Shared by
 * every renderer so SVG, PNG, PDF and ZPL labels look alike; renderers that address pixels
 * or dots snap these figures to their grid.
 *
 *   ┌──────────────────────────────────┐
 *   │ ▄▄▄▄▄▄▄  Ordinateur portable     │  ← info lines: type (bold), organisation
 *   │ █ QR  █  Emmaüs Connect          │
 *   │ ▀▀▀▀▀▀▀                          │
 *   │ RN-4F7K-2QXJ                     │  ← code in clear, monospace, under the QR
 *   └──────────────────────────────────┘
 *
 * The 4-module quiet zone of the QR doubles as the label's left/top margin (label stock is
 * white), and as the gap to the text on the right and below.
 */
export interface LabelLayout {
  readonly width: number;
  readonly height: number;
  /** The QR symbol itself, quiet zone excluded. */
  readonly qr: { readonly x: number; readonly y: number; readonly size: number; readonly modules: number };
  /** The square reserved for the symbol and its quiet zone. */
  readonly qrBox: { readonly x: number; readonly y: number; readonly size: number };
  readonly code: TextSlot;
  /** Type, then organisation; absent when the label is too narrow for a side column. */
  readonly info?: { readonly type: TextSlot; readonly organization: TextSlot };
}

/** One line of text: left edge, baseline, preferred and smallest font size (em, in mm). */
export interface TextSlot {
  readonly x: number;
  readonly baseline: number;
  readonly maxWidth: number;
  readonly em: number;
  readonly minEm: number;
}

/** Cap height of the fonts used, as a share of the em: close enough for Courier, Helvetica, DejaVu. */
const CAP_HEIGHT = 0.72;
/** Advance of a monospace glyph, as a share of the em (Courier, DejaVu Sans Mono, Consolas). */
export const MONO_ADVANCE = 0.6;
const CODE_LENGTH = 'RN-XXXX-XXXX'.length;

export function layoutLabel(width: number, height: number, modules: number): LabelLayout {
  const pad = Math.max(1, height * 0.05);
  const codeEmWanted = height * 0.15;
  const codeTop = height - pad - codeEmWanted * CAP_HEIGHT;
  const boxSize = Math.min(codeTop, width * 0.5);
  const module = boxSize / (modules + 2 * QR_QUIET_ZONE);
  const qrBox = { x: 0, y: 0, size: boxSize };
  const qr = { x: module * QR_QUIET_ZONE, y: module * QR_QUIET_ZONE, size: module * modules, modules };

  const codeWidth = width - qr.x - pad;
  const codeEm = Math.min(codeEmWanted, codeWidth / (CODE_LENGTH * MONO_ADVANCE));
  const code: TextSlot = { x: qr.x, baseline: height - pad, maxWidth: codeWidth, em: codeEm, minEm: codeEm * 0.6 };

  const infoX = qrBox.x + qrBox.size;
  const infoWidth = width - infoX - pad;
  if (infoWidth < 10) return { width, height, qr, qrBox, code };
  const typeEm = height * 0.14;
  const orgEm = height * 0.11;
  const typeBaseline = qr.y + typeEm * CAP_HEIGHT;
  const info = {
    type: { x: infoX, baseline: typeBaseline, maxWidth: infoWidth, em: typeEm, minEm: typeEm * 0.6 },
    organization: { x: infoX, baseline: typeBaseline + orgEm * 1.4, maxWidth: infoWidth, em: orgEm, minEm: orgEm * 0.7 },
  };
  return { width, height, qr, qrBox, code, info };
}

/**
 * Shrinks `text` to fit `maxWidth`: first the font size (down to `minEm`), then the text itself,
 * cut with `ellipsis`. `measure(text, em)` returns the width in the same unit as `maxWidth`.
 */
export function fitText(
  text: string,
  slot: Pick<TextSlot, 'maxWidth' | 'em' | 'minEm'>,
  measure: (text: string, em: number) => number,
  ellipsis = '…',
): { text: string; em: number } {
  const { maxWidth, em, minEm } = slot;
  const width = measure(text, em);
  if (width <= maxWidth) return { text, em };
  const shrunk = Math.max(minEm, (em * maxWidth) / width);
  if (measure(text, shrunk) <= maxWidth) return { text, em: shrunk };
  let cut = text;
  while (cut.length > 0 && measure(cut.trimEnd() + ellipsis, shrunk) > maxWidth) cut = cut.slice(0, -1);
  return { text: cut.length ? cut.trimEnd() + ellipsis : '', em: shrunk };
}

/**
 * Width estimate for a proportional sans-serif font (Helvetica-like), for renderers that cannot
 * measure text (SVG is laid out by the viewer, ZPL by the printer). Errs on the wide side.
 */
export function estimateSansWidth(text: string, em: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    if (ch === ' ') units += 0.28;
    else if (/[ilIj.,'’:;!|]/.test(ch)) units += 0.3;
    else if (/[mwMW]/.test(ch)) units += 0.9;
    else if (/[A-Z0-9ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŒ]/.test(ch)) units += 0.7;
    else units += 0.56;
  }
  return units * em * (bold ? 1.06 : 1);
}

export const estimateMonoWidth = (text: string, em: number): number => [...text].length * MONO_ADVANCE * em;

/** Trimmed, single-line, possibly empty. */
export const cleanLine = (text: string | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();
