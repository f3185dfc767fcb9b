import { ApiProperty } from '@nestjs/swagger';
import { DEVICE_TYPES, GRADES, MEDIUM_KINDS } from '@renum/domain';
import { AUDIT_ACTIONS } from '@renum/identity';
import { RESERVATION_STATUSES } from './catalog.dto';

// Documentation-only classes (OpenAPI) for what the catalogue answers: catalog.service.ts,
// reservation-query.service.ts, pricing.service.ts and identity's audit-log.ts.

const NEXT_CURSOR = { type: String, nullable: true, description: 'Cursor of the next page (null on the last one)' } as const;

export class CatalogMedium {
  @ApiProperty({ enum: MEDIUM_KINDS }) kind: string;
  @ApiProperty({ type: 'integer', nullable: true }) capacityGb: number | null;
}

/** What a charity sees of an AVAILABLE device: no serial numbers. */
export class CatalogItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'RN-4F7K-2QXJ' }) code: string;
  @ApiProperty({ enum: DEVICE_TYPES }) type: string;
  @ApiProperty() brand: string;
  @ApiProperty() model: string;
  @ApiProperty({ enum: [...GRADES, null], nullable: true }) grade: string | null;
  @ApiProperty({ type: 'integer', description: 'Solidarity price in cents' }) priceCents: number;
  @ApiProperty({ type: String, nullable: true }) os: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) batteryHealthPct: number | null;
  @ApiProperty({ type: () => [CatalogMedium] }) media: CatalogMedium[];
}

export class CatalogPage {
  @ApiProperty({ type: () => [CatalogItem], description: 'By type, then price' }) items: CatalogItem[];
  @ApiProperty(NEXT_CURSOR) nextCursor: string | null;
}

export class Reservation {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty({ example: 'RN-4F7K-2QXJ' }) code: string;
  @ApiProperty({ enum: RESERVATION_STATUSES }) status: string;
  @ApiProperty({ format: 'uuid' }) charityOrganizationId: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: string | null;
}

export class ReservationPage {
  @ApiProperty({ type: () => [Reservation], description: 'Newest first' }) items: Reservation[];
  @ApiProperty(NEXT_CURSOR) nextCursor: string | null;
}

export class PriceCap {
  @ApiProperty({ enum: DEVICE_TYPES }) type: string;
  @ApiProperty({ type: 'integer', description: 'Cap in force, in cents' }) capCents: number;
  @ApiProperty({ type: 'integer', description: 'Legal cap, in cents' }) legalCapCents: number;
  @ApiProperty({ description: "True when the territory's coordinator set its own cap" }) overridden: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt: string | null;
}

export class PriceCapList {
  @ApiProperty({ type: () => [PriceCap], description: 'One per device type' }) items: PriceCap[];
}

export class PriceCapSet extends PriceCap {
  @ApiProperty({ type: 'integer', description: 'AVAILABLE or RESERVED devices of that type published above the new cap' }) devicesAboveCap: number;
}

export class PriceGridEntry {
  @ApiProperty({ enum: DEVICE_TYPES }) type: string;
  @ApiProperty({ enum: GRADES }) grade: string;
  @ApiProperty({ type: 'integer' }) priceCents: number;
  @ApiProperty({ type: 'integer', description: 'Cap in force; a suggestion never exceeds it' }) capCents: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class PriceGrid {
  @ApiProperty({ type: () => [PriceGridEntry] }) items: PriceGridEntry[];
}

export class PriceSuggestion {
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty() code: string;
  @ApiProperty({ enum: DEVICE_TYPES }) type: string;
  @ApiProperty({ enum: [...GRADES, null], nullable: true }) grade: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the grid has no price for this type and grade' }) suggestedPriceCents: number | null;
  @ApiProperty({ type: 'integer' }) capCents: number;
  @ApiProperty({ enum: ['grid', 'none'] }) source: string;
}

export class AuditEvent {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorUserId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorApiKeyId: string | null;
  @ApiProperty({ format: 'uuid' }) actorOrganizationId: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { type: 'LAPTOP', from: 15000, to: 12000, legal: 15000 } }) payload: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class AuditPage {
  @ApiProperty({ type: () => [AuditEvent], description: 'Newest first' }) items: AuditEvent[];
  @ApiProperty(NEXT_CURSOR) nextCursor: string | null;
}
