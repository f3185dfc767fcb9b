import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FieldError, PROBLEM_BASE, PROBLEM_CONTENT_TYPE, ProblemDocument } from './problem';
import { UUID_PATTERN } from './uuid';

/**
 * The largest JSON body the API reads: the largest valid registration (1,000 devices, every field
 * at its maximum length, 16 media each) is about 7 MB; a real inventory of 1,000 laptops, 0.6 MB.
 */
export const JSON_BODY_LIMIT_MB = 8;

const TITLES: Record<number, [string, string]> = {
  400: ['bad-request', 'Requête invalide'],
  401: ['unauthorized', 'Authentification requise'],
  403: ['forbidden', 'Accès refusé'],
  404: ['not-found', 'Introuvable'],
  405: ['method-not-allowed', 'Méthode non autorisée'],
  409: ['conflict', 'Conflit'],
  413: ['payload-too-large', 'Contenu trop volumineux'],
  415: ['unsupported-media-type', 'Type de contenu non pris en charge'],
  422: ['unprocessable', 'Requête non applicable'],
  429: ['too-many-requests', 'Trop de requêtes'],
  503: ['service-unavailable', 'Service indisponible'],
};

/** Every error leaves as an RFC 9457 problem document, whatever threw it. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const problem = toProblem(exception, req);
    if (problem.status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    problem.instance ??= req.originalUrl?.split('?')[0];
    if (res.headersSent) return;
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}

export function toProblem(exception: unknown, req?: Pick<Request, 'params'>): ProblemDocument {
  // body-parser and multer raise plain errors carrying an HTTP status (too large, bad JSON).
  const status =
    exception instanceof HttpException
      ? exception.getStatus()
      : typeof (exception as { status?: unknown })?.status === 'number'
        ? (exception as { status: number }).status
        : 500;
  const body = exception instanceof HttpException ? exception.getResponse() : undefined;
  if (body && typeof body === 'object' && typeof (body as ProblemDocument).type === 'string' && 'title' in body) {
    return { ...(body as ProblemDocument) };
  }
  const [slug, title] = TITLES[status] ?? (status >= 500 ? ['internal-error', 'Erreur interne'] : ['error', 'Erreur']);
  if (status >= 500) {
    return { type: PROBLEM_BASE + slug, title, status, detail: "Une erreur inattendue s'est produite. Réessayez ; si elle persiste, contactez le coordinateur." };
  }
  const message = body && typeof body === 'object' ? (body as { message?: unknown }).message : (exception as Error)?.message;
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : '';
  const kind = (exception as { type?: string })?.type;
  return (
    foreignProblem(status, text, kind, req?.params ?? {}) ?? {
      type: PROBLEM_BASE + slug,
      title,
      status,
      // Our own errors are ProblemExceptions (handled above): an unknown message here is English from a library.
      detail: `${title}.`,
    }
  );
}

const validationError = (detail: string, errors: FieldError[]): ProblemDocument => ({ type: PROBLEM_BASE + 'validation-error', title: 'Requête invalide', status: 400, detail, errors });

// Every upload of the API takes its one file in the multipart field `file`.
const SEND_ONE_FILE = 'envoyez un seul fichier, dans le champ « file »';

/** Multer's refusals other than a wrong field, too many files and a too large file (Nest keeps only the message). */
const MULTIPART: Record<string, string> = {
  'Too many parts': 'Le formulaire contient trop de parties',
  'Too many fields': 'Le formulaire contient trop de champs',
  'Field name too long': 'Un nom de champ du formulaire est trop long',
  'Field value too long': "Une valeur d'un champ du formulaire est trop longue",
  'Field name missing': 'Un champ du formulaire n’a pas de nom',
  'Field name nesting too deep': 'Un nom de champ du formulaire est trop imbriqué',
  'Field name array index too large': 'Un nom de champ du formulaire a un indice trop grand',
  'Invalid field name': 'Un nom de champ du formulaire est invalide',
};

/** What Nest's Parse*Pipe expected ("Validation failed (uuid is expected)"), in French. */
function expectedInFrench(what: string): string {
  if (what.startsWith('uuid')) return 'identifiant invalide : un UUID est attendu';
  if (what === 'numeric string') return 'un nombre entier est attendu';
  if (what === 'boolean string') return 'true ou false est attendu';
  if (what === 'enum string') return "doit être l'une des valeurs prévues";
  return 'valeur invalide';
}

/**
 * Errors raised outside our code (Express's unknown route, body-parser, Nest's pipes, multer,
 * the throttler) speak English, and Nest rewraps most of them keeping only the message: they are
 * recognised by status and message (or body-parser's `type`) and told in French.
 */
function foreignProblem(status: number, message: string, kind: string | undefined, params: Record<string, unknown>): ProblemDocument | undefined {
  const problem = (detail: string): ProblemDocument => {
    const [slug, title] = TITLES[status];
    return { type: PROBLEM_BASE + slug, title, status, detail };
  };
  let m: RegExpExecArray | null;
  switch (status) {
    case 404:
      if ((m = /^Cannot ([A-Z]+) ([^?]*)/.exec(message))) return problem(`Aucune ressource ${m[1]} ${m[2]} : vérifiez l’adresse et la méthode.`);
      return undefined;
    case 413:
      if (message === 'File too large') return problem('Le fichier dépasse la taille autorisée.');
      return problem(`Le corps de la requête dépasse ${JSON_BODY_LIMIT_MB} Mo : envoyez les matériels en plusieurs fois.`);
    case 429:
      return problem('Trop de requêtes : patientez un peu avant de réessayer.');
    case 400:
      break;
    default:
      return undefined;
  }
  // Nest turns body-parser's SyntaxError into a BadRequestException with the JSON.parse message.
  if (kind === 'entity.parse.failed' || /\bJSON\b/.test(message)) {
    const position = /at position (\d+)/.exec(message)?.[1];
    return validationError(`Le corps de la requête n'est pas du JSON valide${position ? ` (position ${position})` : ''}.`, [{ field: '(body)', message: 'doit être du JSON valide' }]);
  }
  if ((m = /^Validation failed \((.+) is expected\)$/.exec(message))) {
    const expected = expectedInFrench(m[1]);
    // The pipe does not say which parameter it refused: for a UUID, the path parameters that are not one.
    const names = m[1].startsWith('uuid') ? Object.keys(params).filter((k) => typeof params[k] === 'string' && !UUID_PATTERN.test(params[k])) : [];
    const fields = names.length ? names : ['(path)'];
    return validationError(`Paramètre invalide (${fields.join(', ')}) : ${expected}.`, fields.map((field) => ({ field, message: expected })));
  }
  if ((m = /^Unexpected (?:file )?field - (.+)$/.exec(message))) {
    return validationError(`Champ de fichier inattendu « ${m[1]} » : ${SEND_ONE_FILE}.`, [{ field: m[1], message: 'champ inattendu : le fichier va dans le champ « file »' }]);
  }
  if (message === 'Too many files') return validationError(`Trop de fichiers : ${SEND_ONE_FILE}.`, [{ field: 'file', message: 'un seul fichier attendu' }]);
  const multipart = MULTIPART[message.replace(/ - .*$/, '')];
  if (multipart || message.startsWith('Multipart:')) {
    return validationError(`${multipart ?? 'Le formulaire multipart est mal formé ou incomplet'} : ${SEND_ONE_FILE}.`, [{ field: '(body)', message: 'formulaire multipart invalide' }]);
  }
  // Express cannot decode a path parameter ("Failed to decode param '%E0%A4%A'").
  if (message.startsWith('Failed to decode param')) return validationError("L'adresse contient un encodage « % » invalide.", [{ field: '(path)', message: 'encodage « % » invalide' }]);
  return undefined;
}
