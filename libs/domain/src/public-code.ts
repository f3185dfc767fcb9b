import { randomInt } from 'node:crypto';

// Crockford base32: no I, L, O, U, so a code read aloud or scratched stays unambiguous.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BODY_LENGTH = 7;

/** Luhn mod N over the Crockford alphabet: catches every single-symbol error and most swaps. */
function checkSymbol(body: string): string {
  const n = ALPHABET.length;
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    let addend = factor * ALPHABET.indexOf(body[i]);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / n) + (addend % n);
    sum += addend;
  }
  return ALPHABET[(n - (sum % n)) % n];
}

/** A new random public code, printed as `RN-XXXX-XXXX` (7 random symbols + 1 check symbol). */
export function generatePublicCode(random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[random(ALPHABET.length)];
  return formatPublicCode(body + checkSymbol(body));
}

export function formatPublicCode(compact: string): string {
  return `RN-${compact.slice(0, 4)}-${compact.slice(4)}`;
}

export type ParsedCode = { ok: true; code: string } | { ok: false; reason: 'malformed' | 'bad-check' };

/**
 * Reads what a person typed or a scanner sent: any case, with or without dashes or the
 * `RN` prefix, a pasted `/d/{code}` URL, or scanner prefixes/suffixes (whitespace, `]Q1`-style
 * symbology identifiers, stray control characters). Crockford's read-aliases map O→0, I/L→1.
 */
export function parsePublicCode(raw: string): ParsedCode {
  let text = (raw ?? '').trim();
  const fromUrl = /\/d\/([^/?#\s]+)/i.exec(text);
  if (fromUrl) text = decodeURIComponent(fromUrl[1]);
  text = text.replace(/^\][A-Za-z]\d/, ''); // AIM symbology identifier some scanners prepend
  let compact = text.toUpperCase().replace(/[^0-9A-Z]/g, '');
  if (compact.startsWith('RN') && compact.length === BODY_LENGTH + 3) compact = compact.slice(2);
  compact = compact.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (compact.length !== BODY_LENGTH + 1 || [...compact].some((c) => !ALPHABET.includes(c))) {
    return { ok: false, reason: 'malformed' };
  }
  const body = compact.slice(0, BODY_LENGTH);
  if (checkSymbol(body) !== compact[BODY_LENGTH]) return { ok: false, reason: 'bad-check' };
  return { ok: true, code: formatPublicCode(compact) };
}
