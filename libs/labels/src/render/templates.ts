/** PDF points per millimetre (72 pt to the inch, 25.4 mm to the inch). */
export const PT_PER_MM = 72 / 25.4;

export const mmToPt = (mm: number): number => mm * PT_PER_MM;

/** A single label rendered on its own (SVG, PNG): fits common 50 × 25 mm stock. */
export const SINGLE_LABEL_MM = { width: 50, height: 25 } as const;

export type SheetTemplate = 'avery-l7163' | 'avery-l7160' | 'brother-62x29' | 'zebra-zpl-50x25';

/**
 * Geometry of one kind of label stock, in millimetres. The first label's top-left corner is at
 * (`marginLeft`, `marginTop`); label (col, row) is offset by (col × `pitchX`, row × `pitchY`).
 * Pitch = label size + gap. Labels are filled left to right, then top to bottom.
 */
export interface SheetTemplateSpec {
  readonly kind: 'pdf' | 'zpl';
  readonly description: string;
  readonly pageWidth: number;
  readonly pageHeight: number;
  readonly columns: number;
  readonly rows: number;
  readonly labelWidth: number;
  readonly labelHeight: number;
  readonly marginLeft: number;
  readonly marginTop: number;
  readonly pitchX: number;
  readonly pitchY: number;
  /** Printer resolution, for printer languages that address dots (ZPL). */
  readonly dpi?: number;
}

/**
 * The one table of label stocks (all lengths in mm).
 *
 * Avery figures: label sizes are Avery's; margins and pitches follow Avery's published
 * templates and compatible-stock specifications (top margin 15.15 mm, often rounded to 15.1;
 * 2.5 mm gutter between columns, vertically butt-cut). With these values the grid is exactly
 * centred on A4 (210 × 297 mm), which the unit tests check. Sources disagree by ≤ 0.05 mm
 * (e.g. L7160 side margin 7.2 vs 7.25, pitch 66.0 vs 66.04 mm): far below the ~1 mm
 * registration drift of an office printer.
 */
export const SHEET_TEMPLATES: Record<SheetTemplate, SheetTemplateSpec> = {
  'avery-l7163': {
    kind: 'pdf',
    description: 'Avery L7163, A4, 2 × 7 labels of 99.1 × 38.1 mm',
    pageWidth: 210,
    pageHeight: 297,
    columns: 2,
    rows: 7,
    labelWidth: 99.1,
    labelHeight: 38.1,
    marginLeft: 4.65,
    marginTop: 15.15,
    pitchX: 101.6,
    pitchY: 38.1,
  },
  'avery-l7160': {
    kind: 'pdf',
    description: 'Avery L7160, A4, 3 × 7 labels of 63.5 × 38.1 mm',
    pageWidth: 210,
    pageHeight: 297,
    columns: 3,
    rows: 7,
    labelWidth: 63.5,
    labelHeight: 38.1,
    marginLeft: 7.25,
    marginTop: 15.15,
    pitchX: 66.0,
    pitchY: 38.1,
  },
  'brother-62x29': {
    kind: 'pdf',
    description: 'Brother QL, 62 mm continuous tape (DK-22205) cut every 29 mm, or DK-11209 die-cut: one label per page',
    pageWidth: 62,
    pageHeight: 29,
    columns: 1,
    rows: 1,
    labelWidth: 62,
    labelHeight: 29,
    marginLeft: 0,
    marginTop: 0,
    pitchX: 62,
    pitchY: 29,
  },
  'zebra-zpl-50x25': {
    kind: 'zpl',
    description: 'Zebra 50 × 25 mm die-cut labels, 203 dpi (8 dots/mm), ZPL II',
    pageWidth: 50,
    pageHeight: 25,
    columns: 1,
    rows: 1,
    labelWidth: 50,
    labelHeight: 25,
    marginLeft: 0,
    marginTop: 0,
    pitchX: 50,
    pitchY: 25,
    dpi: 203,
  },
};

export const labelsPerPage = (t: SheetTemplateSpec): number => t.columns * t.rows;
