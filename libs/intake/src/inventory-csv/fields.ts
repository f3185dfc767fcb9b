/** Storage media a template row may declare (one group of four columns each). */
export const MEDIUM_SLOTS = [1, 2, 3, 4] as const;
export type MediumSlot = (typeof MEDIUM_SLOTS)[number];
export const MEDIUM_PARTS = ['Kind', 'Serial', 'Model', 'CapacityGb'] as const;
export type MediumPart = (typeof MEDIUM_PARTS)[number];

/** The device fields a file may provide, whatever its format. */
export type SourceField =
  | 'name'
  | 'description'
  | 'type'
  | 'brand'
  | 'model'
  | 'serialNumber'
  | 'inventoryNumber'
  | 'acquisitionDate'
  | 'estimatedValue'
  | 'weightKg'
  | `medium${MediumSlot}${MediumPart}`;

/** Column titles and free-text codes are compared this way: lower case, no accents, straight apostrophes, spaces collapsed. */
export function normalizeLabel(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u00b4`]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
