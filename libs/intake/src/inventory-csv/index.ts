// Donor inventory import: GLPI CSV exports (French, English en_GB / en_US, GLPI 10 and 11) and
// Renum's own CSV template → DeviceInput rows with a row-by-row report. Pure: no Nest, no DB.
export type {
  InventoryFormat,
  InventoryLanguage,
  InventoryRowFlag,
  RowIssue,
  InventoryRow,
  InventoryParseResult,
  InventoryParseOptions,
  InventoryFileErrorReason,
} from './types';
export { InventoryFileError } from './types';
export { parseInventoryCsv, REEN_MAX_AGE_YEARS, DONATION_VALUE_CAP_CENTS } from './parse-inventory';
export { RENUM_TEMPLATE_COLUMNS, renumTemplateCsv } from './renum-template';
