import { CATALOG_ENTITY_CLASSES } from './catalog.entities';

export * from './catalog.module';
export * from './catalog.entities';
export const CATALOG_ENTITIES: Function[] = [...CATALOG_ENTITY_CLASSES];
