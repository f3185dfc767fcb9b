import { yieldToOutput } from '@renum/platform';
import { finished } from 'node:stream/promises';
import { cleanLine, estimateSansWidth, fitText, LabelLayout, layoutLabel, TextSlot } from './layout';
import { QR_ERROR_CORRECTION, qrModuleCount } from './qr';
import { SHEET_TEMPLATES } from './templates';
import type { LabelContent } from './types';

const ZEBRA = SHEET_TEMPLATES['zebra-zpl-50x25'];
const DOTS_PER_MM = (ZEBRA.dpi ?? 203) / 25.4; // 203 dpi ≈ 8 dots/mm
const dots = (mm: number): number => Math.round(mm * DOTS_PER_MM);

/**
 * `^FH_` lets field data carry any byte as `_XX`; escape the characters ZPL would otherwise read
 * as commands (`^`, `~`) and the escape character itself.
 */
const fieldData = (text: string): string =>
  '^FH_^FD' + text.replace(/[\^~_]/g, (c) => '_' + c.charCodeAt(0).toString(16).toUpperCase()) + '^FS';

/** One `^XA … ^XZ` label format. */
export function zplLabel(label: LabelContent): string {
  // The printer encodes the QR itself; we only need its size, to choose whole dots per module
  // (^BQ magnification 1..10) and centre the symbol in its box.
  const modules = qrModuleCount(label.url);
  const layout: LabelLayout = layoutLabel(ZEBRA.labelWidth, ZEBRA.labelHeight, modules);
  const magnification = Math.min(10, Math.max(1, Math.floor((layout.qr.size * DOTS_PER_MM) / modules)));
  const symbol = magnification * modules;
  const qrX = Math.round(dots(layout.qrBox.x) + (dots(layout.qrBox.size) - symbol) / 2);
  const qrY = Math.round(dots(layout.qrBox.y) + (dots(layout.qrBox.size) - symbol) / 2);

  const text = (value: string, slot: TextSlot, x = dots(slot.x)): string => {
    const fitted = fitText(value, slot, (t, em) => estimateSansWidth(t, em, true), '...');
    if (!fitted.text) return '';
    const h = dots(fitted.em);
    // ^FT places text by its baseline; font 0 is Zebra's scalable sans.
    return `^FT${x},${dots(slot.baseline)}^A0N,${h},${h}${fieldData(fitted.text)}\n`;
  };

  return [
    '^XA\n',
    '^CI28\n', // field data in UTF-8: accents in type and organisation names
    `^PW${dots(ZEBRA.labelWidth)}\n^LL${dots(ZEBRA.labelHeight)}\n^LH0,0\n`,
    // ^BQ orientation N, model 2, magnification, error correction, mask 7 (printer's choice).
    // In the data, "QA," = error correction Q, automatic input mode; then the URL.
    `^FO${qrX},${qrY}^BQN,2,${magnification},${QR_ERROR_CORRECTION},7${fieldData(`${QR_ERROR_CORRECTION}A,${label.url}`)}\n`,
    text(label.code, layout.code, qrX),
    layout.info ? text(cleanLine(label.typeLabel), layout.info.type) : '',
    layout.info ? text(cleanLine(label.organizationShortName), layout.info.organization) : '',
    '^PQ1\n^XZ\n',
  ].join('');
}

/**
 * Writes one ZPL label format per label (Zebra, 50 × 25 mm, 203 dpi) into `out`, which is
 * ended; waits for `out` to drain when it asks to.
 */
export async function writeZpl(
  labels: AsyncIterable<LabelContent> | Iterable<LabelContent>,
  out: NodeJS.WritableStream,
): Promise<{ labels: number }> {
  let count = 0;
  for await (const label of labels) {
    const accepted = out.write(zplLabel(label));
    count++;
    if (!accepted || count % 100 === 0) await yieldToOutput(out);
  }
  out.end();
  await finished(out);
  return { labels: count };
}
