export * from './reporting.module';
export const REPORTING_ENTITIES: Function[] = [];
