import { ProblemException } from '@renum/platform';

export const MAX_REPORT_BYTES = 10 * 1024 * 1024;

/**
 * Refuses what cannot be a text log before any parsing: nothing, a binary file (a NUL byte,
 * or bytes that are not UTF-8), with a message a technician understands.
 */
export function reportText(buffer: Buffer | undefined): string {
  if (!buffer) {
    throw new ProblemException(400, 'report-missing', 'Fichier manquant', 'Joignez le journal d’effacement dans le champ « file » (multipart/form-data).');
  }
  if (buffer.length === 0 || buffer.toString('utf8').trim() === '') {
    throw new ProblemException(400, 'empty-report', 'Fichier vide', 'Le fichier envoyé est vide : joignez le journal produit par nwipe/ShredOS (fichier texte).');
  }
  const binary = () =>
    new ProblemException(
      415,
      'binary-report',
      'Fichier non textuel',
      'Ce fichier n’est pas un journal texte (contenu binaire). Envoyez le fichier journal de nwipe/ShredOS (.log ou .txt), pas le rapport PDF ni une image.',
    );
  if (buffer.includes(0)) throw binary();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer).replace(/^\uFEFF/, '');
  } catch {
    throw binary();
  }
}

export const reportTooLarge = () =>
  new ProblemException(413, 'report-too-large', 'Fichier trop volumineux', `Le journal dépasse ${MAX_REPORT_BYTES / 1024 / 1024} Mo : un journal nwipe fait quelques dizaines de Ko. Vérifiez que vous envoyez le bon fichier.`);
