/**
 * Label rendering: pure functions from label content to SVG, PNG, PDF sheets and ZPL.
 * No Nest, no database: callers fetch the devices and pass what is printed.
 */
export type { LabelContent } from './types';
export { labelSvg } from './svg';
export { labelPng } from './png';
export { writeSheetPdf } from './pdf';
export { writeZpl, zplLabel } from './zpl';
export { SHEET_TEMPLATES, SINGLE_LABEL_MM, PT_PER_MM, mmToPt, labelsPerPage } from './templates';
export type { SheetTemplate, SheetTemplateSpec } from './templates';
export { QR_ERROR_CORRECTION, QR_QUIET_ZONE, qrMatrix, qrModuleCount, qrRuns } from './qr';
export type { QrMatrix, QrRun } from './qr';
