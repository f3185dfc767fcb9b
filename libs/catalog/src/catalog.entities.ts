import type { DeviceType, Grade } from '@renum/domain';
import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Append-only journal of a territory's settings changes (price caps, price grid): who changed
 * what, from which value to which. A trigger refuses UPDATE, DELETE and TRUNCATE.
 */
@Entity('audit_event')
@Index('audit_event_territory_idx', ['territoryId', 'id'])
export class AuditEvent {
  /** UUID v7: ordered by time, so it is also the pagination key. */
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') territoryId: string;
  @Column('uuid', { nullable: true }) actorUserId: string | null;
  @Column('uuid', { nullable: true }) actorApiKeyId: string | null;
  @Column('uuid') actorOrganizationId: string;
  /** e.g. `price_cap.changed`, `price_grid.changed`. */
  @Column('text') action: string;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
}

/** The coordinator's price grid: the suggested solidarity price of a type in a grade. */
@Entity('price_grid')
@Check('price_grid_price_check', `price_cents >= 0`)
@Check('price_grid_grade_check', `grade IN ('A','B','C')`)
export class PriceGridEntry {
  @PrimaryColumn('uuid') territoryId: string;
  @PrimaryColumn('text') type: DeviceType;
  @PrimaryColumn('text') grade: Grade;
  @Column('int') priceCents: number;
  @Column('uuid', { nullable: true }) updatedByUserId: string | null;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

export const CATALOG_ENTITY_CLASSES = [AuditEvent, PriceGridEntry];
