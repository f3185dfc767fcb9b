import { CATALOG_ENTITY_CLASSES } from './catalog.entities';

export * from './catalog.module';
export * from './catalog.entities';
export * from './catalog-settings';
export * from './catalog-query';
export * from './catalog.service';
export * from './pricing.service';
export * from './reservation-query.service';
export * from './beneficiary-retention.service';
export { RETENTION_SCHEDULER_ID } from './beneficiary-retention.processor';
export const CATALOG_ENTITIES: Function[] = [...CATALOG_ENTITY_CLASSES];
