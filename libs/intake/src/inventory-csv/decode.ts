import { BinaryFormat, decodeUploadedText } from '@renum/platform';
import { InventoryFileError } from './types';

/**
 * Turns the uploaded bytes into text, or refuses a file that is not text (decoding: `decodeUploadedText`).
 *
 * - UTF-8 with or without BOM (GLPI 10 and GLPI >= 11.0.7 write a BOM, GLPI 11 before 11.0.7 does not).
 * - UTF-16 with BOM (Excel's "Texte Unicode").
 * - Windows-1252 for bytes that are not valid UTF-8: Excel's plain "CSV (séparateur : point-virgule)"
 *   on a French Windows saves in that code page.
 */

const NOT_CSV_ADVICE = 'Dans votre tableur, utilisez « Enregistrer sous » puis le format « CSV UTF-8 ».';

/** Well-known files, so the donor gets a precise message. */
const BINARY_MESSAGES: Partial<Record<BinaryFormat, string>> = {
  zip: `Ce fichier est un classeur Excel ou OpenDocument (.xlsx, .ods) ou une archive ZIP, pas un fichier CSV. ${NOT_CSV_ADVICE}`,
  ole2: `Ce fichier est un classeur Excel ancien format (.xls), pas un fichier CSV. ${NOT_CSV_ADVICE}`,
  pdf: `Ce fichier est un PDF, pas un fichier CSV. ${NOT_CSV_ADVICE}`,
};

const GENERIC_NOT_TEXT = `Ce fichier n'est pas un fichier texte CSV (il contient des données binaires). ${NOT_CSV_ADVICE}`;

export function decodeInventoryText(input: Buffer): string {
  const decoded = decodeUploadedText(input);
  switch (decoded.kind) {
    case 'text':
      return decoded.text;
    case 'binary':
      throw new InventoryFileError((decoded.format && BINARY_MESSAGES[decoded.format]) ?? GENERIC_NOT_TEXT, 'NOT_TEXT');
    case 'empty':
      throw new InventoryFileError('Le fichier est vide.', 'EMPTY');
  }
}
