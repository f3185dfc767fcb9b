import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PROBLEM_BASE, PROBLEM_CONTENT_TYPE, ProblemDocument } from './problem';

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
    const problem = toProblem(exception);
    if (problem.status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    problem.instance ??= req.originalUrl?.split('?')[0];
    if (res.headersSent) return;
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}

export function toProblem(exception: unknown): ProblemDocument {
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
  let detail: string | undefined;
  if (status < 500) {
    const message = body && typeof body === 'object' ? (body as { message?: unknown }).message : (exception as Error)?.message;
    detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : undefined;
    if ((exception as { type?: string })?.type === 'entity.too.large') detail = 'Le corps de la requête dépasse la taille autorisée.';
    if ((exception as { type?: string })?.type === 'entity.parse.failed') detail = "Le corps de la requête n'est pas un JSON valide.";
  } else {
    detail = "Une erreur inattendue s'est produite. Réessayez ; si elle persiste, contactez le coordinateur.";
  }
  return { type: PROBLEM_BASE + slug, title, status, detail };
}
