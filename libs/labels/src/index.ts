export * from './labels.module';
export * from './render';
export { renderDevicePage, renderNotFoundPage, escapeHtml, ERASURE_PROOF_FR } from './public-page.html';
export type { PublicDeviceView, ErasureProof } from './public-page.html';
export const LABELS_ENTITIES: Function[] = [];
