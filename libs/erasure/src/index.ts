import { ERASURE_ENTITY_LIST } from './erasure.entities';

export * from './erasure.module';
export * from './erasure.entities';
export * from './parsers';
export * from './recheck/recheck-draw';
export { RecheckDrawProcessor, RECHECK_DRAW_SCHEDULER_ID, RECHECK_DRAW_PATTERN } from './recheck/recheck-draw.processor';
export { CertificateService, certificateJobId } from './certificate/certificate.service';
export const ERASURE_ENTITIES: Function[] = ERASURE_ENTITY_LIST;
