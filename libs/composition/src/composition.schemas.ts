import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

// Documentation-only classes (OpenAPI) for jobs.controller.ts and health.controller.ts. The
// results of other contexts' jobs are referenced by schema name (declared by their controllers).

/** A transition's result: the answer the transition endpoint gives (applied, or a stored refusal). */
export class TransitionJobResult {
  @ApiProperty({ type: 'integer', example: 200, description: '200 applied, or the refusal status (403, 404, 409, 422)' }) statusCode: number;
  @ApiProperty({ oneOf: [{ $ref: getSchemaPath('TransitionApplied') }, { $ref: getSchemaPath('ProblemDocument') }] }) body: Record<string, unknown>;
}

export class JobState {
  @ApiProperty({ example: 'imp-01935c2e-…', description: 'tr-… a transition, imp-… an inventory import, doc-… a label sheet or a certificate' }) id: string;
  @ApiProperty({ enum: ['waiting', 'delayed', 'prioritized', 'waiting-children', 'active', 'completed', 'failed', 'unknown'], description: 'BullMQ state' })
  state: string;
  @ApiProperty({
    oneOf: [{ type: 'integer', minimum: 0, maximum: 100 }, { type: 'object', additionalProperties: true }],
    description: 'Percent done, or the job’s own progress object',
  })
  progress: number | Record<string, unknown>;
  @ApiPropertyOptional({
    // anyOf, not oneOf: the free-form object (a label sheet's, a certificate's result) also matches the others.
    anyOf: [{ $ref: getSchemaPath(TransitionJobResult) }, { $ref: getSchemaPath('ImportReport') }, { type: 'object', additionalProperties: true }],
    description:
      'Only when completed. A transition: {statusCode, body} (body: {device: Device, event: Event} or a ProblemDocument). ' +
      'An inventory import: an ImportReport {created, skipped, errors: [{row, field, message}], …}. A label sheet or a certificate: what the job made.',
  })
  result?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Only when failed' }) failedReason?: string;
}

export class Health {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status: string;
  @ApiProperty({ enum: ['up', 'down'] }) database: string;
  @ApiProperty({ enum: ['up', 'down'] }) redis: string;
}
