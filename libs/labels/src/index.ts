export * from './labels.module';
export * from './render';
export { SHEETS_SWEEP_SCHEDULER_ID } from './label-sheet.processor';
export { SHEET_FAILED_DETAIL, SHEET_FILE_KEPT_MS } from './label-sheets.service';
export { renderDevicePage, renderNotFoundPage, renderTooManyRequestsPage, escapeHtml, ERASURE_PROOF_FR } from './public-page.html';
export type { PublicDeviceView, ErasureProof } from './public-page.html';
export const LABELS_ENTITIES: Function[] = [];
