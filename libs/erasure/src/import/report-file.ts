import { decodeUploadedText, ProblemException } from '@renum/platform';

export const MAX_REPORT_BYTES = 10 * 1024 * 1024;

/**
 * The text of an uploaded log. Refuses, with a message a technician understands, what cannot be
 * a text log: nothing, an empty file, a binary file (PDF, image, archive, office document…).
 *
 * Logs are not always UTF-8: copied through Windows Notepad ("Unicode") they are UTF-16 with a
 * BOM, and a log edited on a French Windows PC is Windows-1252. Both are read, since the
 * technician cannot do anything about the encoding (`decodeUploadedText` reads them all). Only
 * the text is decoded: the report's hash stays that of the bytes as uploaded.
 */
export function reportText(buffer: Buffer | undefined): string {
  if (!buffer) {
    const detail = 'Joignez le journal d’effacement dans le champ « file » (multipart/form-data).';
    // errors[] as every validation problem has it, so a client shows it beside the file field.
    throw new ProblemException(400, 'report-missing', 'Fichier manquant', detail, { errors: [{ field: 'file', message: 'fichier manquant' }] });
  }
  const decoded = decodeUploadedText(buffer);
  if (decoded.kind === 'binary') {
    throw new ProblemException(
      415,
      'binary-report',
      'Fichier non textuel',
      'Ce fichier n’est pas un journal texte (contenu binaire). Envoyez le fichier journal de nwipe/ShredOS (.log ou .txt), pas le rapport PDF ni une image.',
    );
  }
  // Also a UTF-16 file holding only its BOM or blank lines.
  if (decoded.kind === 'empty') {
    throw new ProblemException(400, 'empty-report', 'Fichier vide', 'Le fichier envoyé est vide : joignez le journal produit par nwipe/ShredOS (fichier texte).');
  }
  return decoded.text;
}

export const reportTooLarge = () =>
  new ProblemException(413, 'report-too-large', 'Fichier trop volumineux', `Le journal dépasse ${MAX_REPORT_BYTES / 1024 / 1024} Mo : un journal nwipe fait quelques dizaines de Ko. Vérifiez que vous envoyez le bon fichier.`);
