import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEVICE_STATUSES, ERASURE_LEVELS, ERASURE_RESULTS, ORGANIZATION_KINDS } from '@renum/domain';

// Documentation-only classes (OpenAPI) for what the erasure context answers:
// import/erasure-import.service.ts, recheck/recheck.service.ts, certificate/certificate.service.ts.

const NEXT_CURSOR = { type: String, nullable: true, description: 'Cursor of the next page (null on the last one)' } as const;

export class ErasureImportMatch {
  @ApiProperty({ example: 'RN-4F7K-2QXJ' }) code: string;
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty() mediumSerial: string;
  @ApiProperty({ enum: ERASURE_RESULTS }) result: string;
  @ApiProperty({ format: 'uuid' }) erasureId: string;
  @ApiProperty({ description: 'True when the disk was unknown and added to the device' }) mediumAdded: boolean;
  @ApiProperty({ enum: ['MEDIUM_SERIAL', 'HOST_SERIAL', 'HOST_ASSET_TAG'] }) matchedBy: string;
}

export class ErasureImportUnmatched {
  @ApiProperty() mediumSerial: string;
  @ApiProperty({ type: String, nullable: true }) model: string | null;
  @ApiProperty({ example: '/dev/sda' }) devicePath: string;
  @ApiProperty({ description: 'Why no device in your custody was found (French)' }) reason: string;
}

export class ErasureImportAnswer {
  @ApiProperty({ format: 'uuid' }) reportId: string;
  @ApiProperty({ description: 'SHA-256 of the uploaded bytes' }) sha256: string;
  @ApiProperty({ description: 'True (status 200) when this very report was imported before: nothing changed' }) alreadyImported: boolean;
  @ApiProperty({ example: 'nwipe' }) tool: string;
  @ApiProperty({ type: String, nullable: true }) toolVersion: string | null;
  @ApiProperty({ type: () => [ErasureImportMatch] }) matched: ErasureImportMatch[];
  @ApiProperty({ type: () => [ErasureImportUnmatched] }) unmatched: ErasureImportUnmatched[];
  @ApiProperty({ type: [String], description: 'In French' }) warnings: string[];
  @ApiPropertyOptional({ description: 'Only when alreadyImported' }) message?: string;
}

export class Recheck {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) erasureId: string;
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty() code: string;
  @ApiProperty({ format: 'uuid' }) workshopOrganizationId: string;
  @ApiProperty() mediumSerial: string;
  @ApiProperty({ type: String, nullable: true }) mediumModel: string | null;
  @ApiProperty({ enum: ERASURE_LEVELS }) level: string;
  @ApiProperty() method: string;
  @ApiProperty() tool: string;
  @ApiProperty({ format: 'date-time' }) erasedAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) erasedByUserId: string | null;
  @ApiProperty({ enum: ['PENDING', 'CONFIRMED', 'FAILED'] }) status: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) decidedByUserId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class RecheckPage {
  @ApiProperty({ type: () => [Recheck] }) items: Recheck[];
  @ApiProperty(NEXT_CURSOR) nextCursor: string | null;
}

export class DrawnRecheck {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) erasureId: string;
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty() code: string;
}

export class RecheckDraw {
  @ApiProperty({ type: 'integer', description: 'Erasures never put to a draw before' }) considered: number;
  @ApiProperty({ type: Number, description: 'RECHECK_SHARE' }) share: number;
  @ApiProperty({ description: 'Seed of the draw (given, or random): the draw can be replayed' }) seed: string;
  @ApiProperty({ type: () => [DrawnRecheck] }) selected: DrawnRecheck[];
}

export class RecheckDecision {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['CONFIRMED', 'FAILED'] }) status: string;
  @ApiProperty({ format: 'uuid' }) erasureId: string;
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty({ description: 'True when FAILED: the erasure no longer counts' }) voided: boolean;
  @ApiPropertyOptional({ format: 'uuid', description: 'When the device had already left custody' }) incidentId?: string;
}

export class IncidentHolder {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) kind: string;
}

export class IncidentErasure {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() mediumSerial: string;
  @ApiProperty({ format: 'date-time' }) endedAt: string;
}

export class Incident {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty() code: string;
  @ApiProperty({ enum: DEVICE_STATUSES, description: 'Current status of the device' }) deviceStatus: string;
  @ApiProperty({ type: () => IncidentHolder, description: 'Who holds the device now (to contact)' }) holder: IncidentHolder;
  @ApiProperty({ type: () => IncidentErasure }) erasure: IncidentErasure;
  @ApiProperty({ enum: ['OPEN', 'CLOSED'] }) status: string;
  @ApiProperty() detail: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class IncidentPage {
  @ApiProperty({ type: () => [Incident] }) items: Incident[];
  @ApiProperty(NEXT_CURSOR) nextCursor: string | null;
}

export class CertificatePending {
  @ApiProperty({ example: 'doc-cert-01935c2e-…-7' }) jobId: string;
  @ApiProperty({ example: '/api/v1/jobs/doc-cert-01935c2e-…-7' }) statusUrl: string;
}
