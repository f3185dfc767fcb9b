export * from './erasure.module';
export * from './parsers';
export const ERASURE_ENTITIES: Function[] = [];
