import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { badRequest } from './problem';

/**
 * U+0000 (PostgreSQL text cannot hold it) or a UTF-16 surrogate without its pair (not a
 * character at all; JSON allows it as `\ud800`, PostgreSQL's jsonb does not).
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The path of the first string (value or key) in `value` that no column can store, if any. */
export function unstorableTextPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) return itemPath;
    const found = unstorableTextPath(item, itemPath);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses, with a 400 naming the field, a body or query string holding text no column can
 * store: it would otherwise fail in the database (500), or in the worker at every retry of a
 * transition job. It comes from pasting out of another program, or from a broken client.
 */
@Injectable()
export class StorableTextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<{ body?: unknown; query?: unknown }>();
      const field = unstorableTextPath(req.body, '') ?? unstorableTextPath(req.query, '');
      if (field !== undefined) {
        const name = field || '(body)';
        throw badRequest(
          `Le champ « ${name} » contient un caractère invalide (caractère nul ou mal encodé), souvent venu d'un copier-coller : retirez-le et renvoyez la demande.`,
          [{ field: name, message: 'caractère invalide (nul ou mal encodé)' }],
        );
      }
    }
    return next.handle();
  }
}
