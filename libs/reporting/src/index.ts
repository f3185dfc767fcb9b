export * from './reporting.module';
export * from './csv';
export * from './donor-report';
export * from './donor-report.service';
export const REPORTING_ENTITIES: Function[] = [];
