import { ProblemException } from '@renum/platform';

export const MAX_REPORT_BYTES = 10 * 1024 * 1024;

/**
 * The text of an uploaded log. Refuses, with a message a technician understands, what cannot be
 * a text log: nothing, an empty file, a binary file (PDF, image, archive, office document…).
 *
 * Logs are not always UTF-8: copied through Windows Notepad ("Unicode") they are UTF-16 with a
 * BOM, and a log edited on a French Windows PC is Windows-1252. Both are read, since the
 * technician cannot do anything about the encoding. Only the text is decoded: the report's
 * hash stays that of the bytes as uploaded.
 */
export function reportText(buffer: Buffer | undefined): string {
  if (!buffer) {
    throw new ProblemException(400, 'report-missing', 'Fichier manquant', 'Joignez le journal d’effacement dans le champ « file » (multipart/form-data).');
  }
  const text = buffer.length === 0 ? '' : decode(buffer);
  // After decoding: a UTF-16 file holding only its BOM or blank lines is empty too.
  if (text.trim() === '') {
    throw new ProblemException(400, 'empty-report', 'Fichier vide', 'Le fichier envoyé est vide : joignez le journal produit par nwipe/ShredOS (fichier texte).');
  }
  return text;
}

const binary = () =>
  new ProblemException(
    415,
    'binary-report',
    'Fichier non textuel',
    'Ce fichier n’est pas un journal texte (contenu binaire). Envoyez le fichier journal de nwipe/ShredOS (.log ou .txt), pas le rapport PDF ni une image.',
  );

/**
 * Signatures of the files technicians upload by mistake. Needed since any byte string decodes
 * as Windows-1252: e.g. the PDF report nwipe writes next to its log has no NUL byte.
 */
const BINARY_SIGNATURES: Array<number[] | string> = [
  '%PDF-',
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  'GIF8',
  'II*\0', // TIFF, little-endian
  'MM\0*', // TIFF, big-endian
  'RIFF', // WebP, WAV, AVI
  'PK\x03\x04', // zip: also docx, xlsx, odt
  'PK\x05\x06', // empty zip
  [0x1f, 0x8b], // gzip
  'BZh', // bzip2
  [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], // xz
  [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], // 7z
  'Rar!\x1a\x07',
  [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], // OLE2: doc, xls, msg
  '\x7fELF',
];

const hasSignature = (buffer: Buffer) =>
  BINARY_SIGNATURES.some((sig) => {
    const bytes = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig);
    return buffer.length >= bytes.length && buffer.subarray(0, bytes.length).equals(bytes);
  });

/** Control characters no text log holds (tab, line breaks, form feed and ESC are allowed). */
const CONTROL = /[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]/g;

function decode(buffer: Buffer): string {
  if (hasSignature(buffer)) throw binary();
  let text: string;
  const utf16 = buffer[0] === 0xff && buffer[1] === 0xfe ? 'utf-16le' : buffer[0] === 0xfe && buffer[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16) {
    // Windows Notepad "Unicode" / PowerShell `>`: UTF-16 always starts with its BOM there.
    // Fatal: a lone surrogate means this is not UTF-16 text. The decoder drops the BOM.
    try {
      text = new TextDecoder(utf16, { fatal: true }).decode(buffer);
    } catch {
      throw binary();
    }
  } else {
    // A NUL byte never occurs in UTF-8 or Windows-1252 text, and nearly always in binaries.
    if (buffer.includes(0)) throw binary();
    text = utf8OrWindows1252(buffer);
  }
  // Random bytes that decoded anyway show control characters: a few in a log (a device's odd
  // model string) are tolerated, a text where they are more than 1 % is not a log.
  const controls = text.match(CONTROL)?.length ?? 0;
  if (text.includes('\0') || controls > text.length / 100) throw binary();
  return text.replace(/^\uFEFF/, '');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/**
 * Windows-1252 from 0x80 to 0x9F (elsewhere it is Latin-1). Spelt out because Node 20's
 * TextDecoder('windows-1252') decodes these bytes as Latin-1 control characters.
 */
const CP1252_80_9F = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8DŽ\x8F\x90‘’“”•–—˜™š›œ\x9DžŸ';
const windows1252 = (byte: number) => (byte >= 0x80 && byte <= 0x9f ? CP1252_80_9F[byte - 0x80] : String.fromCharCode(byte));

/**
 * UTF-8, where a byte that does not start a valid UTF-8 sequence is read as Windows-1252:
 * a Latin-1 file is read whole, and a UTF-8 log with one stray byte (copied from a device's
 * firmware string, or a run appended from another machine) keeps its valid characters.
 */
function utf8OrWindows1252(buffer: Buffer): string {
  try {
    return UTF8.decode(buffer); // the common case, at full speed
  } catch {
    // Byte by byte below.
  }
  let text = '';
  let runStart = 0;
  let i = 0;
  while (i < buffer.length) {
    const n = utf8SequenceLength(buffer, i);
    if (n > 0) {
      i += n;
      continue;
    }
    text += UTF8.decode(buffer.subarray(runStart, i)) + windows1252(buffer[i]);
    runStart = ++i;
  }
  return text + UTF8.decode(buffer.subarray(runStart));
}

/** Length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7), 0 if there is none. */
function utf8SequenceLength(b: Buffer, i: number): number {
  const lead = b[i];
  if (lead < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    // E0: no overlong forms; ED: no surrogates.
    const second = lead === 0xe0 ? cont(1, 0xa0) : lead === 0xed ? cont(1, 0x80, 0x9f) : cont(1);
    return second && cont(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    // F0: no overlong forms; F4: nothing above U+10FFFF.
    const second = lead === 0xf0 ? cont(1, 0x90) : lead === 0xf4 ? cont(1, 0x80, 0x8f) : cont(1);
    return second && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

export const reportTooLarge = () =>
  new ProblemException(413, 'report-too-large', 'Fichier trop volumineux', `Le journal dépasse ${MAX_REPORT_BYTES / 1024 / 1024} Mo : un journal nwipe fait quelques dizaines de Ko. Vérifiez que vous envoyez le bon fichier.`);
