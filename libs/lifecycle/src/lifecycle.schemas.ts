import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEVICE_STATUSES, DEVICE_TYPES, ERASURE_LEVELS, ERASURE_RESULTS, GRADES, MEDIUM_KINDS, TRANSITION_ACTIONS, VERIFICATIONS } from '@renum/domain';

// Documentation-only classes (OpenAPI) for what the lifecycle answers: `presentDevice`
// (device.presenter.ts), `presentEvent` (event-log.ts), the erasure recorder and the transition
// request. Fields the presenters omit for some callers are optional here.

const SERIALS_ONLY = 'Omitted for a charity (serials and donor inventory data are for the chain professionals)';

export class DeviceMedium {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: MEDIUM_KINDS }) kind: string;
  @ApiPropertyOptional({ description: SERIALS_ONLY, example: 'S3Z9NB0K123456X' }) serialNumber?: string;
  @ApiProperty({ type: String, nullable: true }) model: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) capacityGb: number | null;
  @ApiProperty({ description: 'Who declared the medium: DONOR (registration) or ERASURE (added by an erasure record)', example: 'DONOR' }) source: string;
  @ApiProperty({ description: 'True once the workshop holding the device declared this donor-declared medium absent from it: it no longer needs an erasure' }) absent: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'Only when absent' }) absentAt?: string;
  @ApiPropertyOptional({ description: 'Only when absent: the reason the workshop gave' }) absenceReason?: string;
}

export class MediumAbsenceDeclared {
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty({ type: () => DeviceMedium, description: 'The medium, now absent' }) medium: DeviceMedium;
  @ApiPropertyOptional({ description: 'True when this very declaration (same reason) was already made: the same answer, nothing appended (a retry is safe)' })
  duplicate?: boolean;
}

/** API.md `Device`. */
export class Device {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'RN-4F7K-2QXJ', description: 'Public code (QR label, /d/{code})' }) code: string;
  @ApiProperty({ enum: DEVICE_TYPES }) type: string;
  @ApiProperty({ example: 'Dell' }) brand: string;
  @ApiProperty({ example: 'Latitude 5490' }) model: string;
  @ApiPropertyOptional({ description: SERIALS_ONLY }) serialNumber?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: SERIALS_ONLY }) inventoryNumber?: string | null;
  @ApiProperty({ enum: DEVICE_STATUSES }) status: string;
  @ApiProperty({ format: 'uuid' }) custodianOrganizationId: string;
  @ApiProperty({ format: 'uuid' }) donationId: string;
  @ApiProperty({ enum: [...GRADES, null], nullable: true }) grade: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Solidarity price in cents, once published' }) priceCents: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'Linux Mint 22' }) os: string | null;
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, maximum: 100 }) batteryHealthPct: number | null;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: SERIALS_ONLY }) acquisitionDate?: string | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true, description: SERIALS_ONLY }) estimatedValueCents?: number | null;
  @ApiPropertyOptional({ type: [String], description: `Legal flags (REEN_TOO_OLD, VALUE_ABOVE_DONATION_CAP). ${SERIALS_ONLY}` }) flags?: string[];
  @ApiProperty({ type: Number, nullable: true }) weightKg: number | null;
  @ApiProperty({ type: () => [DeviceMedium] }) media: DeviceMedium[];
  @ApiProperty({ type: 'integer', description: 'Bumped by every change (optimistic concurrency)' }) version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class DevicePage {
  @ApiProperty({ type: () => [Device] }) items: Device[];
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page (null on the last one)' }) nextCursor: string | null;
}

/** API.md `Event`. */
export class Event {
  @ApiProperty({ type: 'integer', minimum: 1 }) seq: number;
  @ApiProperty({ example: 'collect', description: `register, a lifecycle action (${TRANSITION_ACTIONS.join(', ')}), erasure_recorded, erasure_voided or medium_declared_absent` }) action: string;
  @ApiProperty({ enum: [...DEVICE_STATUSES, null], nullable: true, description: 'null for register' }) fromStatus: string | null;
  @ApiProperty({ enum: DEVICE_STATUSES }) toStatus: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when an API key or the system acted, and for a charity reading another charity\'s reserve, release or hand-over (not disclosed; its payload is then empty)' }) actorUserId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when the system acted, and for a charity reading another charity\'s reserve, release or hand-over (not disclosed)' }) organizationId: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Action details, as the caller may read them (hidden fields omitted; the hash covers the stored payload)' })
  payload: Record<string, unknown>;
  @ApiProperty({ example: '0000000000000000000000000000000000000000000000000000000000000000', description: 'Hash of the previous event (genesis for seq 1)' }) prevHash: string;
  @ApiProperty({ description: 'SHA-256 over prevHash and this event' }) hash: string;
}

export class EventList {
  @ApiProperty({ type: () => [Event], description: 'Oldest first (by seq)' }) items: Event[];
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page (null on the last one)' }) nextCursor: string | null;
}

export class ChainVerification {
  @ApiProperty() valid: boolean;
  @ApiProperty({ type: 'integer', description: 'Number of events' }) length: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Sequence number where the chain breaks (only when valid is false)' }) brokenAt?: number;
}

export class ErasureRecorded {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ERASURE_RESULTS }) result: string;
  @ApiProperty({ format: 'uuid' }) mediumId: string;
  @ApiProperty({ description: 'True when the serial was unknown and the medium was added to the device' }) mediumAdded: boolean;
  @ApiProperty({ description: "False when the erasure began before the device's latest entry into custody (it does not count for its exit)" }) countsForCustody: boolean;
  @ApiPropertyOptional({ description: 'Present when a medium was added, when countsForCustody is false, or when the medium had been declared absent' }) warning?: string;
  @ApiPropertyOptional({ description: 'True when the same entry (medium, start, end, result, level, method, tool) was already recorded: its record, nothing added (a retry is safe)' })
  duplicate?: boolean;
  @ApiPropertyOptional({ description: 'True when the medium had been declared absent from the device: it counts again (see warning)' })
  wasAbsent?: boolean;
}

export class ErasureRecord {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ description: 'Omitted for a charity' }) mediumSerial?: string;
  @ApiProperty({ enum: [...MEDIUM_KINDS, null], nullable: true }) mediumKind: string | null;
  @ApiProperty({ enum: ERASURE_LEVELS }) level: string;
  @ApiProperty({ example: 'PRNG Stream' }) method: string;
  @ApiProperty({ example: 'nwipe' }) tool: string;
  @ApiProperty({ type: String, nullable: true }) toolVersion: string | null;
  @ApiProperty({ enum: VERIFICATIONS }) verification: string;
  @ApiProperty({ enum: ERASURE_RESULTS }) result: string;
  @ApiProperty({ type: String, nullable: true }) failureReason: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time' }) endedAt: string;
  @ApiProperty({ description: 'MANUAL (typed by hand) or the report format it was imported from', example: 'MANUAL' }) source: string;
  @ApiProperty({ type: String, nullable: true }) reportSha256: string | null;
  @ApiProperty({ description: 'True when an independent re-check failed and voided it' }) voided: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'Only when voided' }) voidedAt?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Only when voided' }) voidReason?: string | null;
}

export class ErasureRecordList {
  @ApiProperty({ type: () => [ErasureRecord], description: 'Oldest first (by endedAt)' }) items: ErasureRecord[];
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page (null on the last one)' }) nextCursor: string | null;
}

export class TransitionApplied {
  @ApiProperty({ type: () => Device, description: 'The device after the action' }) device: Device;
  @ApiProperty({ type: () => Event, description: 'The event the action appended' }) event: Event;
}

export class JobAccepted {
  @ApiProperty({ example: 'tr-3b6f…' }) jobId: string;
  @ApiProperty({ example: '/api/v1/jobs/tr-3b6f…' }) statusUrl: string;
}

export class ScanResult {
  @ApiProperty({ type: () => Device }) device: Device;
  @ApiProperty({ enum: TRANSITION_ACTIONS, isArray: true, description: 'Actions this caller could perform on the device now' }) allowedActions: string[];
  @ApiProperty({ type: () => BlockedAction, isArray: true, description: 'Actions the table allows this caller from this status but the data invariant refuses now, with the problem the transition would answer' })
  blockedActions: BlockedAction[];
}

export class BlockedAction {
  @ApiProperty({ enum: TRANSITION_ACTIONS }) action: string;
  @ApiProperty({ example: 'https://renum.fr/problems/erasure-missing' }) type: string;
  @ApiProperty({ example: 'Effacement des données non prouvé' }) title: string;
  @ApiProperty() detail: string;
}
