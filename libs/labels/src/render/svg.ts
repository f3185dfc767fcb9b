import { cleanLine, estimateMonoWidth, estimateSansWidth, fitText, layoutLabel, TextSlot } from './layout';
import { qrMatrix, qrRuns } from './qr';
import { SINGLE_LABEL_MM } from './templates';
import type { LabelContent } from './types';

const MONO_FONTS = "'DejaVu Sans Mono', Menlo, Consolas, 'Courier New', monospace";
const SANS_FONTS = "'DejaVu Sans', Helvetica, Arial, sans-serif";

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** Short decimal for SVG coordinates (mm): 0.01 mm is far below any printer's resolution. */
const n = (value: number): string => String(Math.round(value * 100) / 100);

/**
 * One label as SVG, 50 × 25 mm (user units are millimetres). The QR is a single `<path>` in
 * module units scaled into place, with `shape-rendering="crispEdges"` so viewers do not
 * anti-alias module edges into grey seams.
 */
export async function labelSvg(label: LabelContent): Promise<string> {
  const { width, height } = SINGLE_LABEL_MM;
  const matrix = qrMatrix(label.url);
  const layout = layoutLabel(width, height, matrix.size);
  const module = layout.qr.size / matrix.size;
  const d = qrRuns(matrix)
    .map((r) => `M${r.col} ${r.row}h${r.length}v1h-${r.length}z`)
    .join('');

  const text = (value: string, slot: TextSlot, font: string, weight: string, mono: boolean): string => {
    const measure = mono ? estimateMonoWidth : (t: string, em: number) => estimateSansWidth(t, em, weight === 'bold');
    const fitted = fitText(value, slot, measure);
    if (!fitted.text) return '';
    return (
      `<text x="${n(slot.x)}" y="${n(slot.baseline)}" font-family="${font}" font-size="${n(fitted.em)}" ` +
      `font-weight="${weight}" fill="#000">${escapeXml(fitted.text)}</text>`
    );
  };

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}mm" height="${height}mm" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<path transform="translate(${n(layout.qr.x)} ${n(layout.qr.y)}) scale(${module})" shape-rendering="crispEdges" fill="#000" d="${d}"/>`,
    text(label.code, layout.code, MONO_FONTS, 'bold', true),
  ];
  if (layout.info) {
    parts.push(text(cleanLine(label.typeLabel), layout.info.type, SANS_FONTS, 'bold', false));
    parts.push(text(cleanLine(label.organizationShortName), layout.info.organization, SANS_FONTS, 'normal', false));
  }
  parts.push('</svg>');
  return parts.filter(Boolean).join('\n') + '\n';
}
