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
  const compact = compactCode(raw);
  if (compact.length !== BODY_LENGTH + 1 || [...compact].some((c) => !ALPHABET.includes(c))) {
    return { ok: false, reason: 'malformed' };
  }
  const body = compact.slice(0, BODY_LENGTH);
  if (checkSymbol(body) !== compact[BODY_LENGTH]) return { ok: false, reason: 'bad-check' };
  return { ok: true, code: formatPublicCode(compact) };
}

/** What a malformed code lacks, in French, for the person who typed it (`parsePublicCode` said 'malformed'). */
export function malformedCodeDetail(raw: string): string {
  const compact = compactCode(raw);
  const shown = `« ${(raw ?? '').trim()} »`;
  // After the read-aliases, U is the one letter left that no code holds: most often a V misread.
  if (compact.length === BODY_LENGTH + 1 && compact.includes('U')) {
    return `${shown} n'est pas un code Renum : la lettre U n'y figure jamais (c'est sans doute un V). Vérifiez ce caractère.`;
  }
  const symbols = compact.startsWith('RN') && compact.length > BODY_LENGTH + 1 ? compact.length - 2 : compact.length;
  return `${shown} n'est pas un code Renum : il compte ${symbols} caractère(s) après « RN- » au lieu de 8 (RN-XXXX-XXXX). Vérifiez la saisie.`;
}

/** The 8 symbols of a code as typed: prefixes, separators and scanner noise dropped, read-aliases applied. */
function compactCode(raw: string): string {
  let text = (raw ?? '').trim();
  const fromUrl = /\/d\/([^/?#\s]+)/i.exec(text);
  if (fromUrl) text = decodeURIComponent(fromUrl[1]);
  text = text.replace(/^\][A-Za-z]\d/, ''); // AIM symbology identifier some scanners prepend
  let compact = text.toUpperCase().replace(/[^0-9A-Z]/g, '');
  if (compact.startsWith('RN') && compact.length === BODY_LENGTH + 3) compact = compact.slice(2);
  return compact.replace(/O/g, '0').replace(/[IL]/g, '1');
}
