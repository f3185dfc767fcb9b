import { HttpException } from '@nestjs/common';

export const PROBLEM_BASE = 'https://renum.fr/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** An RFC 9457 problem with a stable `type` slug and a French title. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    slug: string,
    title: string,
    detail?: string,
    extensions: Record<string, unknown> = {},
  ) {
    super({ type: PROBLEM_BASE + slug, title, status, detail, ...extensions } satisfies ProblemDocument, status);
  }

  get problem(): ProblemDocument {
    return this.getResponse() as ProblemDocument;
  }
}

export const notFound = (what = 'Ressource') =>
  new ProblemException(404, 'not-found', 'Introuvable', `${what} introuvable ou non visible pour votre organisation.`);

export const forbidden = (detail = "Votre organisation ou votre rôle ne permet pas cette action.") =>
  new ProblemException(403, 'forbidden', 'Accès refusé', detail);

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new ProblemException(400, 'validation-error', 'Requête invalide', detail, errors ? { errors } : {});
