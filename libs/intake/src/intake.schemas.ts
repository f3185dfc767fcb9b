import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEVICE_STATUSES } from '@renum/domain';

// Documentation-only classes (OpenAPI) for what intake answers: donation.service.ts,
// import/inventory-import.service.ts and import/import-report.ts (the import job's result).

const FLAGS = 'Legal flags: REEN_TOO_OLD (over 10 years, loi REEN), VALUE_ABOVE_DONATION_CAP';

export class DonationCreated {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'DON-2026-3F9A1C', description: 'As given, or generated' }) reference: string;
  @ApiProperty({ format: 'uuid' }) donorOrganizationId: string;
  @ApiProperty() pickupAddress: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) plannedPickupDate: string | null;
}

export class RegisteredDevice {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'RN-4F7K-2QXJ' }) code: string;
  @ApiProperty({ enum: ['REGISTERED'] }) status: string;
  @ApiProperty({ type: [String], enum: ['REEN_TOO_OLD', 'VALUE_ABOVE_DONATION_CAP'], description: FLAGS }) flags: string[];
}

export class RegisteredDevices {
  @ApiProperty({ type: () => [RegisteredDevice], description: 'In the order of the request' }) devices: RegisteredDevice[];
}

export class Donation {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() reference: string;
  @ApiProperty({ format: 'uuid' }) donorOrganizationId: string;
  @ApiProperty({ format: 'uuid' }) territoryId: string;
  @ApiProperty() pickupAddress: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) plannedPickupDate: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: 'integer' }) deviceCount: number;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(DEVICE_STATUSES.map((s) => [s, { type: 'integer' }])),
    additionalProperties: false,
    description: 'Device count per status (statuses with no device are absent)',
    example: { REGISTERED: 12, COLLECTED: 3 },
  })
  devicesByStatus: Record<string, number>;
}

export class DonationPage {
  @ApiProperty({ type: () => [Donation], description: 'Newest first' }) items: Donation[];
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page (null on the last one)' }) nextCursor: string | null;
}

export class ImportAccepted {
  @ApiProperty({ example: 'imp-01935c2e-…' }) jobId: string;
  @ApiProperty({ format: 'uuid' }) importId: string;
  @ApiProperty({ example: '/api/v1/jobs/imp-01935c2e-…' }) statusUrl: string;
  @ApiProperty({ example: '/api/v1/imports/01935c2e-…' }) importUrl: string;
  @ApiProperty({ enum: ['GLPI', 'RENUM_TEMPLATE'] }) format: string;
  @ApiPropertyOptional({ enum: ['fr', 'en'], description: 'Language of the GLPI column titles (absent for the template)' }) language?: string;
  @ApiProperty({ type: 'integer', description: 'Data rows read' }) totalRows: number;
}

export class RowIssue {
  @ApiProperty({ type: 'integer', description: 'Row as a spreadsheet shows it (header is row 1)' }) row: number;
  @ApiProperty({ description: "Column title as written in the file ('' for the whole row)" }) field: string;
  @ApiProperty({ description: 'In French' }) message: string;
}

export class AlreadyRegisteredRow {
  @ApiProperty({ type: 'integer' }) row: number;
  @ApiProperty() serialNumber: string;
  @ApiPropertyOptional({ description: 'Public code of the device already registered under this serial' }) code?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Its donation: this one (a re-import) or another donation of the donor' }) donationId?: string;
  @ApiPropertyOptional() donationReference?: string;
  @ApiPropertyOptional({ description: 'What the donor reads, in French' }) message?: string;
}

export class FlaggedRow {
  @ApiProperty({ type: 'integer' }) row: number;
  @ApiProperty() serialNumber: string;
  @ApiProperty({ type: [String], enum: ['REEN_TOO_OLD', 'VALUE_ABOVE_DONATION_CAP'] }) flags: string[];
}

export class LabelsRequestBody {
  @ApiProperty({ format: 'uuid' }) donationId: string;
  @ApiProperty({ example: 'avery-l7163' }) template: string;
}

export class LabelsRequest {
  @ApiProperty({ enum: ['POST'] }) method: string;
  @ApiProperty({ example: '/api/v1/labels/sheets' }) url: string;
  @ApiProperty({ type: () => LabelsRequestBody }) body: LabelsRequestBody;
}

/** The result of an inventory import (the job's result, and `result` of GET /imports/{importId}). */
export class ImportReport {
  @ApiProperty({ format: 'uuid' }) importId: string;
  @ApiProperty({ format: 'uuid' }) donationId: string;
  @ApiProperty({ enum: ['GLPI', 'RENUM_TEMPLATE'] }) format: string;
  @ApiPropertyOptional({ enum: ['fr', 'en'] }) language?: string;
  @ApiProperty({ type: 'integer' }) totalRows: number;
  @ApiProperty({ type: 'integer', description: 'Devices registered' }) created: number;
  @ApiProperty({ type: 'integer', description: 'totalRows - created' }) skipped: number;
  @ApiProperty({ type: () => [RowIssue], description: 'Problems that made a row skipped' }) errors: RowIssue[];
  @ApiProperty({ type: () => [AlreadyRegisteredRow], description: 'Rows skipped because this donor already registered the serial' }) alreadyRegistered: AlreadyRegisteredRow[];
  @ApiProperty({ type: () => [RowIssue] }) warnings: RowIssue[];
  @ApiProperty({ type: [String] }) ignoredColumns: string[];
  @ApiProperty({ type: () => [FlaggedRow], description: FLAGS }) flagged: FlaggedRow[];
  @ApiProperty({ example: '/api/v1/labels/sheets' }) labelsUrl: string;
  @ApiProperty({ type: () => LabelsRequest, description: 'The call that prints the labels of the donation' }) labels: LabelsRequest;
}

export class ImportProgress {
  @ApiProperty({ type: 'integer' }) validRowsProcessed: number;
}

export class InventoryImport {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) donationId: string;
  @ApiProperty() jobId: string;
  @ApiProperty({ enum: ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'] }) status: string;
  @ApiProperty() filename: string;
  @ApiProperty() sha256: string;
  @ApiProperty({ type: 'integer' }) sizeBytes: number;
  @ApiProperty({ enum: ['GLPI', 'RENUM_TEMPLATE'] }) format: string;
  @ApiProperty({ type: 'integer' }) totalRows: number;
  @ApiProperty({ type: 'integer', description: 'Devices registered so far' }) created: number;
  @ApiPropertyOptional({ description: 'Only when the import failed' }) failureReason?: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiPropertyOptional({ type: () => ImportReport, description: 'Once completed' }) result?: ImportReport;
  @ApiPropertyOptional({ type: () => ImportProgress, description: 'Until completed' }) progress?: ImportProgress;
}
