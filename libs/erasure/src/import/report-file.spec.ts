import { ProblemException } from '@renum/platform';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NwipeLogParser } from '../parsers/nwipe-log.parser';
import { reportText } from './report-file';

/** A real-format log (shared fixture), as UTF-8 text. */
const LOG = readFileSync(resolve(__dirname, '../../../../../shared/fixtures/nwipe/nwipe-single-disk-ok.log'), 'utf8');

const BOM_UTF16LE = Buffer.from([0xff, 0xfe]);
const BOM_UTF16BE = Buffer.from([0xfe, 0xff]);
const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf]);

/** UTF-16BE has no Node encoding: swap the bytes of UTF-16LE. */
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

/** The log with an accented model name, as a French Windows PC would have saved it. */
const ACCENTED = LOG.replace('Samsung SSD 860,', 'Samsung SSD 860 Évo,');

function problem(run: () => unknown): { status: number; type: string; detail: string; errors?: unknown } {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    const body = error.getResponse() as { type: string; detail: string; errors?: unknown };
    return { status: error.getStatus(), type: body.type, detail: body.detail, ...(body.errors ? { errors: body.errors } : {}) };
  }
  throw new Error('no problem raised');
}

describe('reportText', () => {
  it('reads UTF-8, with or without a BOM', () => {
    expect(reportText(Buffer.from(LOG, 'utf8'))).toBe(LOG);
    expect(reportText(Buffer.concat([BOM_UTF8, Buffer.from(LOG, 'utf8')]))).toBe(LOG);
  });

  it('reads a UTF-16 copy with its BOM (Windows Notepad "Unicode"), little- and big-endian', () => {
    expect(reportText(Buffer.concat([BOM_UTF16LE, Buffer.from(ACCENTED, 'utf16le')]))).toBe(ACCENTED);
    expect(reportText(Buffer.concat([BOM_UTF16BE, utf16be(ACCENTED)]))).toBe(ACCENTED);
    // and the parser reads it as it reads the UTF-8 original
    const parsed = new NwipeLogParser().parse(reportText(Buffer.concat([BOM_UTF16LE, Buffer.from(LOG, 'utf16le')])));
    expect(parsed).toEqual(new NwipeLogParser().parse(LOG));
  });

  it('reads a Windows-1252 log (a Latin-1 accented letter is not valid UTF-8)', () => {
    const latin1 = Buffer.from(ACCENTED, 'latin1');
    expect(latin1.includes(0xc9)).toBe(true);
    expect(reportText(latin1)).toBe(ACCENTED);
  });

  // Every encoding and signature case: libs/platform/src/uploaded-text.spec.ts.
  it.each([
    ['a PDF without NUL byte (the report nwipe writes beside its log)', Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1')],
    ['a PNG', Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')],
    ['a zip (docx, xlsx)', Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'), Buffer.from('word/document.xml')])],
    ['random bytes without NUL', Buffer.from(Array.from({ length: 4096 }, (_, i) => 1 + ((i * 7919 + 13) % 255)))],
    ['a UTF-8 text with NUL bytes', Buffer.from('nwipe\0\0\0log\n')],
  ])('refuses %s as binary, with the way out', (_name, buffer) => {
    expect(problem(() => reportText(buffer))).toEqual({ status: 415, type: expect.stringMatching(/binary-report$/), detail: expect.stringMatching(/pas un journal texte.*pas le rapport PDF/) });
  });

  it('refuses nothing, an empty file and a UTF-16 file holding only its BOM', () => {
    expect(problem(() => reportText(undefined))).toEqual({ status: 400, type: expect.stringMatching(/report-missing$/), detail: expect.stringMatching(/« file »/), errors: [{ field: 'file', message: 'fichier manquant' }] });
    const empty = { status: 400, type: expect.stringMatching(/empty-report$/), detail: expect.stringMatching(/vide/) };
    expect(problem(() => reportText(Buffer.alloc(0)))).toEqual(empty);
    expect(problem(() => reportText(Buffer.concat([BOM_UTF16LE, Buffer.from('\r\n', 'utf16le')])))).toEqual(empty);
  });
});
