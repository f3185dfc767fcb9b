import { badRequest } from './problem';

/**
 * U+0000 (PostgreSQL text cannot hold it) or a UTF-16 surrogate without its pair (not a
 * character at all; JSON allows it as `\ud800`, PostgreSQL's jsonb does not).
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Deeper than any body Renum accepts (a few levels): `[[[[…]]]]` nested 100,000 times is valid
 * JSON, and walking it, here or in class-transformer, would overflow the stack (500).
 */
export const MAX_BODY_DEPTH = 32;

export class TooDeepError extends Error {
  constructor(readonly path: string) {
    super(`nested deeper than ${MAX_BODY_DEPTH} levels at ${path}`);
  }
}

/** The path of the first string (value or key) in `value` that no column can store, if any. */
export function unstorableTextPath(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_BODY_DEPTH) throw new TooDeepError(path || '(body)');
  for (const [key, item] of Object.entries(value)) {
    const itemPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) return itemPath;
    const found = unstorableTextPath(item, itemPath, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * The 400 for a body or query string holding text no column can store: it would otherwise fail
 * in the database (500), or in the worker at every retry of a transition job. It comes from
 * pasting out of another program, or from a broken client. Checked by the validation pipe, on
 * every body and query string (an interceptor cost every request an rxjs pipeline).
 */
export function refuseUnstorableText(value: unknown, parameter = ''): void {
  let field: string | undefined;
  try {
    field = unstorableTextPath(value, parameter);
  } catch (error) {
    if (!(error instanceof TooDeepError)) throw error;
    throw badRequest(`La requête est imbriquée sur plus de ${MAX_BODY_DEPTH} niveaux : aucune donnée de Renum n'a cette forme.`, [
      { field: error.path.slice(0, 200), message: `plus de ${MAX_BODY_DEPTH} niveaux d'imbrication` },
    ]);
  }
  if (field === undefined) return;
  const name = field || '(body)';
  throw badRequest(
    `Le champ « ${name} » contient un caractère invalide (caractère nul ou mal encodé), souvent venu d'un copier-coller : retirez-le et renvoyez la demande.`,
    [{ field: name, message: 'caractère invalide (nul ou mal encodé)' }],
  );
}
