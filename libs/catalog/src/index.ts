export * from './catalog.module';
export const CATALOG_ENTITIES: Function[] = [];
