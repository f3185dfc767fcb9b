import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_BASE, PROBLEM_CONTENT_TYPE } from './problem';

// Documentation-only classes (OpenAPI). Nothing at runtime builds or validates them: they describe
// what the problem filter (problem.filter.ts) and the lists (pagination.ts) answer.

@ApiSchema({ name: 'FieldError' })
export class FieldErrorSchema {
  @ApiProperty({ example: 'devices[0].serialNumber', description: 'Path of the offending field in the request' }) field: string;
  @ApiProperty({ example: 'doit être renseigné' }) message: string;
}

@ApiSchema({
  name: 'ProblemDocument',
  description: 'RFC 9457 problem document (application/problem+json). Some problems add extension members (e.g. `reason`, `missingMedia`).',
})
export class ProblemDocumentSchema {
  @ApiProperty({ format: 'uri', example: `${PROBLEM_BASE}illegal-transition`, description: `${PROBLEM_BASE}{slug}` }) type: string;
  @ApiProperty({ example: 'Transition impossible' }) title: string;
  @ApiProperty({ type: 'integer', example: 409 }) status: number;
  @ApiProperty({ example: "L'action « publish » n'est pas possible : le matériel est au statut « Déclaré par le donateur » (REGISTERED), et elle se fait depuis « Reconditionné » (REFURBISHED)." }) detail: string;
  @ApiPropertyOptional({ example: '/api/v1/devices/RN-4F7K-2QXJ/transitions', description: "The request path; a transition's refusal names the device by its id (`/api/v1/devices/{id}/transitions`), so every replay of its Idempotency-Key gets the same body" }) instance?: string;
  @ApiPropertyOptional({ type: () => [FieldErrorSchema], description: 'Validation errors, one per field' }) errors?: FieldErrorSchema[];
}

const DEFAULT_PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (validation-error: `errors` lists the fields)',
  401: 'Missing, invalid or expired credentials (Bearer token or X-Api-Key)',
  403: "Not allowed for the caller's organisation kind or role",
  404: 'Unknown, or not visible to the caller (invisible is 404, never 403)',
  409: 'Conflict with the current state',
  413: 'Body or uploaded file too large',
  415: 'Unsupported file or content type',
  422: 'Well-formed but not applicable',
  429: 'Too many requests (Retry-After)',
  500: 'Unexpected error',
  503: 'A required service (queue) is unavailable: nothing was applied, safe to retry',
};

/** One problem answer: a status, or a status with its own description. */
export type ProblemSpec = number | [status: number, description: string];

/** Declares the 4xx/5xx answers of an endpoint, each an `application/problem+json` ProblemDocument. */
export function ApiProblems(...specs: ProblemSpec[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDocumentSchema, FieldErrorSchema),
    ...specs.map((spec) => {
      const [status, description] = typeof spec === 'number' ? [spec, DEFAULT_PROBLEM_DESCRIPTIONS[spec] ?? 'Problem'] : spec;
      return ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDocumentSchema) } } } });
    }),
  );
}

/** A success answer that is a file or a page rather than JSON (`format: binary`; text types as strings). */
export function binaryContent(...types: string[]) {
  return Object.fromEntries(types.map((t) => [t, { schema: t.startsWith('text/') || t === 'image/svg+xml' ? { type: 'string' } : { type: 'string', format: 'binary' } }]));
}

/** A JSON answer under `application/json` whatever the method's other content types. */
export function jsonContent(model: Function) {
  return { 'application/json': { schema: { $ref: getSchemaPath(model) } } };
}
