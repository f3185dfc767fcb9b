import type { DeviceType, Grade } from '@renum/domain';
import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

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

export const CATALOG_ENTITY_CLASSES = [PriceGridEntry];
