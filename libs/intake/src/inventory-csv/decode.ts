import { InventoryFileError } from './types';

/**
 * Turns the uploaded bytes into text, or refuses a file that is not text.
 *
 * - UTF-8 with or without BOM (GLPI 10 and GLPI >= 11.0.7 write a BOM, GLPI 11 before 11.0.7 does not).
 * - UTF-16 with BOM (Excel's "Texte Unicode").
 * - Windows-1252 when the bytes are not valid UTF-8: Excel's plain "CSV (séparateur : point-virgule)"
 *   on a French Windows saves in that code page.
 */

const NOT_CSV_ADVICE = 'Dans votre tableur, utilisez « Enregistrer sous » puis le format « CSV UTF-8 ».';

/** Well-known file signatures, so the donor gets a precise message. */
const BINARY_SIGNATURES: readonly { bytes: readonly number[]; message: string }[] = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    message: `Ce fichier est un classeur Excel ou OpenDocument (.xlsx, .ods) ou une archive ZIP, pas un fichier CSV. ${NOT_CSV_ADVICE}`,
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0],
    message: `Ce fichier est un classeur Excel ancien format (.xls), pas un fichier CSV. ${NOT_CSV_ADVICE}`,
  },
  { bytes: [0x25, 0x50, 0x44, 0x46], message: `Ce fichier est un PDF, pas un fichier CSV. ${NOT_CSV_ADVICE}` },
];

const GENERIC_NOT_TEXT = `Ce fichier n'est pas un fichier texte CSV (il contient des données binaires). ${NOT_CSV_ADVICE}`;

/** Windows-1252 characters of bytes 0x80..0x9F (the rest of the code page equals Latin-1). */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function startsWith(input: Buffer, bytes: readonly number[]): boolean {
  return input.length >= bytes.length && bytes.every((b, i) => input[i] === b);
}

function decodeCp1252(input: Buffer): string {
  let out = '';
  for (const byte of input) {
    out += byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
  }
  return out;
}

function decodeUtf16(input: Buffer, bigEndian: boolean): string {
  const body = Buffer.from(input.subarray(2, input.length - (input.length % 2)));
  if (bigEndian) body.swap16();
  return body.toString('utf16le');
}

function decodeBytes(input: Buffer): string {
  if (startsWith(input, [0xef, 0xbb, 0xbf])) return input.subarray(3).toString('utf8');
  if (startsWith(input, [0xff, 0xfe])) return decodeUtf16(input, false);
  if (startsWith(input, [0xfe, 0xff])) return decodeUtf16(input, true);
  if (input.includes(0)) throw new InventoryFileError(GENERIC_NOT_TEXT, 'NOT_TEXT');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return decodeCp1252(input);
  }
}

/** Control characters never found in a CSV text (tab, line feed and carriage return are fine). */
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function decodeInventoryText(input: Buffer): string {
  for (const signature of BINARY_SIGNATURES) {
    if (startsWith(input, signature.bytes)) throw new InventoryFileError(signature.message, 'NOT_TEXT');
  }
  const text = decodeBytes(input).replace(/^\ufeff+/, '');
  // Binary bytes decode to many control characters (about 1 in 10); a stray one in a text is tolerated.
  const controls = text.match(CONTROL_CHARS)?.length ?? 0;
  if (text.includes('\u0000') || (controls > 2 && controls > text.length / 100)) {
    throw new InventoryFileError(GENERIC_NOT_TEXT, 'NOT_TEXT');
  }
  if (text.trim() === '') throw new InventoryFileError('Le fichier est vide.', 'EMPTY');
  return text;
}
