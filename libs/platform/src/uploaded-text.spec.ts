import { decodeUploadedText, UploadedText } from './uploaded-text';

const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf]);
const BOM_UTF16LE = Buffer.from([0xff, 0xfe]);
const BOM_UTF16BE = Buffer.from([0xfe, 0xff]);

/** UTF-16BE has no Node encoding: swap the bytes of UTF-16LE. */
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

const TEXT = 'Numéro de série;Modèle;Valeur\r\nSN-1;Samsung SSD 860 Évo;120 €\r\n';
const text = (value: string): UploadedText => ({ kind: 'text', text: value });
const binary = (format?: string) => ({ kind: 'binary', ...(format ? { format } : {}) });

/** Pseudo-random bytes, the same on every run. */
const noise = (length: number, lowest = 0) => Buffer.from(Array.from({ length }, (_, i) => lowest + ((i * 7919 + 13) % (256 - lowest))));

describe('decodeUploadedText', () => {
  describe('reads', () => {
    it('UTF-8, with or without a BOM (GLPI 10 and GLPI 11 write both), the BOM dropped', () => {
      expect(decodeUploadedText(Buffer.from(TEXT))).toEqual(text(TEXT));
      expect(decodeUploadedText(Buffer.concat([BOM_UTF8, Buffer.from(TEXT)]))).toEqual(text(TEXT));
      expect(decodeUploadedText(Buffer.concat([BOM_UTF8, BOM_UTF8, Buffer.from(TEXT)]))).toEqual(text(TEXT));
    });

    it('UTF-16 with its BOM (Notepad "Unicode", Excel "Texte Unicode"), little- and big-endian', () => {
      expect(decodeUploadedText(Buffer.concat([BOM_UTF16LE, Buffer.from(TEXT, 'utf16le')]))).toEqual(text(TEXT));
      expect(decodeUploadedText(Buffer.from(`\ufeff${TEXT}`, 'utf16le'))).toEqual(text(TEXT));
      expect(decodeUploadedText(Buffer.concat([BOM_UTF16BE, utf16be(TEXT)]))).toEqual(text(TEXT));
      expect(decodeUploadedText(Buffer.concat([BOM_UTF16LE, Buffer.from('Disque 💾\n', 'utf16le')]))).toEqual(text('Disque 💾\n'));
    });

    it('Windows-1252 (Excel CSV, Notepad on a French PC): accents, and its own characters in 0x80–0x9F', () => {
      const bytes = Buffer.from(TEXT.replace('€', '\x80'), 'latin1'); // 0x80 is € in Windows-1252
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
      expect(decodeUploadedText(bytes)).toEqual(text(TEXT));
      // the apostrophe 0x92, not Latin-1's control character
      expect(decodeUploadedText(Buffer.from([0x4c, 0x92, 0x65, 0x66, 0x66, 0x61, 0x63, 0x65, 0x6d, 0x65, 0x6e, 0x74, 0x0a]))).toEqual(text('L’effacement\n'));
    });

    it('a UTF-8 file with a stray Windows-1252 byte, keeping its valid UTF-8 characters', () => {
      const mixed = Buffer.concat([Buffer.from('Numéro ', 'utf8'), Buffer.from([0xe9]), Buffer.from(' fin\n', 'utf8')]);
      expect(decodeUploadedText(mixed)).toEqual(text('Numéro é fin\n'));
    });

    it.each([
      ['a 3- and a 4-byte character beside the stray byte', ['€ ', [0x92], ' 💾'], '€ ’ 💾'],
      ['the stray byte first, then last', [[0xc9], 'té ', [0x80]], 'Été €'],
      ['a sequence cut short by the end of the file', ['été ', [0xe2, 0x82]], 'été â\u201a'],
      ['a lead byte followed by no continuation byte', ['é', [0xc3], 'a'], 'éÃa'],
      ['an overlong form and an encoded surrogate (not UTF-8)', ['é', [0xc0, 0xaf, 0xed, 0xa0, 0x80]], 'éÀ¯í\xa0€'],
      ['a UTF-8 BOM after a stray byte (kept: only leading BOMs are dropped)', [[0xe9], '\ufeffa'], 'é\ufeffa'],
    ])('byte by byte: %s', (_name, parts, expected) => {
      const bytes = Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));
      expect(decodeUploadedText(bytes)).toEqual(text(expected));
    });

    it('tolerates a few control characters (a stray form feed, a device’s odd model string)', () => {
      expect(decodeUploadedText(Buffer.from('serialNumber;brand;model\nSN-1;Dell;Latitude\f5490\n'))).toEqual(text('serialNumber;brand;model\nSN-1;Dell;Latitude\f5490\n'));
      expect(decodeUploadedText(Buffer.from('Model: \x01\x02 disk\n')).kind).toBe('text');
      expect(decodeUploadedText(Buffer.from('\x1b[1mnwipe\x1b[0m\tok\v\n')).kind).toBe('text');
      const long = `${'a'.repeat(400)}\x01\x02\x03\n`; // 3 controls, under 1 %
      expect(decodeUploadedText(Buffer.from(long)).kind).toBe('text');
    });
  });

  describe('refuses as binary', () => {
    it.each([
      ['a PDF without NUL byte (the report nwipe writes beside its log)', Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n', 'latin1'), 'pdf'],
      ['a PNG', Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), 'image'],
      ['a JPEG', Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), 'image'],
      ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'image'],
      ['a TIFF', Buffer.from('II*\0\x08\0\0\0', 'latin1'), 'image'],
      ['a WebP', Buffer.from('RIFF\x24\0\0\0WEBPVP8 ', 'latin1'), 'media'],
      ['a zip (xlsx, ods, docx)', Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'), Buffer.from('word/document.xml')]), 'zip'],
      ['an empty zip', Buffer.from('PK\x05\x06'.padEnd(22, '\0'), 'latin1'), 'zip'],
      ['an old Excel workbook (OLE2: xls, doc, msg)', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'ole2'],
      ['a gzip archive', Buffer.from([0x1f, 0x8b, 0x08, 0x00]), 'archive'],
      ['a bzip2 archive', Buffer.from('BZh91AY&SY'), 'archive'],
      ['an xz archive', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00]), 'archive'],
      ['a 7z archive', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]), 'archive'],
      ['a RAR archive', Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), 'archive'],
      ['an ELF executable', Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), 'executable'],
    ])('%s, naming its format', (_name, bytes, format) => {
      expect(decodeUploadedText(bytes)).toEqual(binary(format));
    });

    it.each([
      ['random bytes without NUL', noise(4096, 1)],
      ['random bytes with NUL', noise(4096)],
      ['random bytes after a UTF-16 BOM', Buffer.concat([BOM_UTF16LE, noise(4096)])],
      ['a UTF-16 text with a lone surrogate', Buffer.concat([BOM_UTF16LE, Buffer.from('ab', 'utf16le'), Buffer.from([0x00, 0xd8]), Buffer.from('cd', 'utf16le')])],
      ['a UTF-16 text with NUL characters', Buffer.concat([BOM_UTF16BE, utf16be('nwipe\0\0log\n')])],
      ['a UTF-8 text with NUL bytes', Buffer.from('nwipe\0\0\0log\n')],
      ['a short text with more than 2 control characters', Buffer.from('Model: \x01\x02\x03 disk\n')],
    ])('%s', (_name, bytes) => {
      expect(decodeUploadedText(bytes)).toEqual(binary());
    });
  });

  describe('refuses as empty', () => {
    it.each([
      ['no byte', Buffer.alloc(0)],
      ['only a UTF-8 BOM', BOM_UTF8],
      ['only blank lines', Buffer.from('\r\n\r\n  \n')],
      ['a UTF-16 file holding only its BOM', BOM_UTF16LE],
      ['a UTF-16 file holding its BOM and a line break', Buffer.concat([BOM_UTF16LE, Buffer.from('\r\n', 'utf16le')])],
    ])('%s', (_name, bytes) => {
      expect(decodeUploadedText(bytes)).toEqual({ kind: 'empty' });
    });
  });
});
