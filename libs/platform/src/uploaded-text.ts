import { isUtf8 } from 'node:buffer';
import { decode as decodeCodePage } from 'iconv-lite';

/**
 * The text of an uploaded file (an inventory CSV, an erasure log), or why it is not one. Callers
 * turn a refusal into their own message: only they know what the user should have sent.
 *
 * - UTF-8, with or without a BOM.
 * - UTF-16 with its BOM (Windows Notepad "Unicode", Excel "Texte Unicode", PowerShell `>`).
 * - Windows-1252 (Excel's plain CSV or Notepad on a French Windows PC) for every byte that does
 *   not start a valid UTF-8 sequence: a Windows-1252 file is read whole, and a UTF-8 file with one
 *   stray byte (a firmware string, lines pasted from another machine) keeps its own accents.
 *
 * Leading BOMs are dropped from the text. Only the text is decoded: callers hash the bytes as uploaded.
 */
export type UploadedText = { kind: 'text'; text: string } | UploadedTextRefusal;

export type UploadedTextRefusal = { kind: 'binary'; format?: BinaryFormat } | { kind: 'empty' };

/** What a recognised binary file is, so a caller can name it (e.g. "a spreadsheet, not a CSV"). */
export type BinaryFormat = 'pdf' | 'image' | 'media' | 'zip' | 'ole2' | 'archive' | 'executable';

/**
 * Signatures of the files users upload by mistake. Needed since any byte string decodes as
 * Windows-1252: e.g. the PDF report nwipe writes next to its log has no NUL byte.
 */
const SIGNATURES: readonly { format: BinaryFormat; bytes: Buffer }[] = (
  [
    ['pdf', '%PDF'],
    ['image', [0x89, 0x50, 0x4e, 0x47]], // PNG
    ['image', [0xff, 0xd8, 0xff]], // JPEG
    ['image', 'GIF8'],
    ['image', 'II*\0'], // TIFF, little-endian
    ['image', 'MM\0*'], // TIFF, big-endian
    ['media', 'RIFF'], // WebP, WAV, AVI
    ['zip', 'PK\x03\x04'], // also xlsx, docx, ods, odt
    ['zip', 'PK\x05\x06'], // empty zip
    ['ole2', [0xd0, 0xcf, 0x11, 0xe0]], // doc, xls, msg (the first half of D0 CF 11 E0 A1 B1 1A E1)
    ['archive', [0x1f, 0x8b]], // gzip
    ['archive', 'BZh'], // bzip2
    ['archive', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]], // xz
    ['archive', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]], // 7z
    ['archive', 'Rar!\x1a\x07'],
    ['executable', '\x7fELF'],
  ] as const
).map(([format, bytes]) => ({ format, bytes: typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes) }));

/** Control characters no text file holds (tab, line breaks, vertical tab, form feed and ESC are allowed). */
const CONTROL = /[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]/g;

export function decodeUploadedText(bytes: Buffer): UploadedText {
  const signature = SIGNATURES.find((s) => bytes.subarray(0, s.bytes.length).equals(s.bytes));
  if (signature) return { kind: 'binary', format: signature.format };
  const text = decode(bytes)?.replace(/^\uFEFF+/, '');
  if (text === undefined || looksBinary(text)) return { kind: 'binary' };
  if (text.trim() === '') return { kind: 'empty' };
  return { kind: 'text', text };
}

/**
 * Random bytes that decoded anyway show control characters (about 1 in 10): a few in a text (a
 * stray form feed, a device's odd model string) are tolerated, more than 2 and 1 % are not.
 */
function looksBinary(text: string): boolean {
  const controls = text.match(CONTROL)?.length ?? 0;
  return text.includes('\0') || (controls > 2 && controls > text.length / 100);
}

/** The decoded text, BOM included; undefined when the bytes cannot be text. */
function decode(bytes: Buffer): string | undefined {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16) {
    // Fatal: a lone surrogate or an odd byte means this is not UTF-16 text.
    try {
      return new TextDecoder(utf16, { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return undefined;
    }
  }
  // A NUL byte never occurs in UTF-8 or Windows-1252 text, and nearly always in binaries.
  if (bytes.includes(0)) return undefined;
  return isUtf8(bytes) ? bytes.toString('utf8') : utf8OrWindows1252(bytes);
}

/** UTF-8, where a byte that does not start a valid UTF-8 sequence is read as Windows-1252. */
function utf8OrWindows1252(bytes: Buffer): string {
  const windows1252 = decodeCodePage(bytes, 'windows-1252'); // one character per byte
  let text = '';
  let run = 0; // start of the UTF-8 run not yet decoded
  let i = 0;
  while (i < bytes.length) {
    // The shortest valid slice from a lead byte is its whole sequence; none from 2 to 4 bytes: a stray byte.
    const length = bytes[i] < 0x80 ? 1 : [2, 3, 4].find((n) => isUtf8(bytes.subarray(i, i + n)));
    if (length) {
      i += length;
      continue;
    }
    text += bytes.toString('utf8', run, i) + windows1252[i];
    run = ++i;
  }
  return text + bytes.toString('utf8', run);
}
