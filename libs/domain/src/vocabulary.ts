// The shared vocabulary of DOMAIN.md. Values are part of the public API contract (API.md): never rename.

export const DEVICE_STATUSES = [
  'REGISTERED',
  'COLLECTED',
  'WIPED',
  'REFURBISHING',
  'REFURBISHED',
  'AVAILABLE',
  'RESERVED',
  'DISTRIBUTED',
  'RECYCLED',
  'DISMANTLED',
] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export const DEVICE_TYPES = ['LAPTOP', 'DESKTOP', 'TABLET', 'SMARTPHONE', 'MONITOR', 'PRINTER', 'MFP', 'OTHER'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export const MEDIUM_KINDS = ['HDD', 'SSD', 'NVME', 'EMMC', 'FLASH', 'OTHER'] as const;
export type MediumKind = (typeof MEDIUM_KINDS)[number];

export const ORGANIZATION_KINDS = ['DONOR', 'WORKSHOP', 'CHARITY', 'COORDINATOR', 'RECYCLER'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const ROLES = ['admin', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const GRADES = ['A', 'B', 'C'] as const;
export type Grade = (typeof GRADES)[number];

export const ERASURE_LEVELS = ['CLEAR', 'PURGE', 'DESTROY'] as const;
export type ErasureLevel = (typeof ERASURE_LEVELS)[number];

export const VERIFICATIONS = ['NONE', 'SAMPLED', 'FULL'] as const;
export type Verification = (typeof VERIFICATIONS)[number];

export const ERASURE_RESULTS = ['PASSED', 'FAILED'] as const;
export type ErasureResult = (typeof ERASURE_RESULTS)[number];

export const PAYMENT_METHODS = ['CASH', 'CARD', 'CHEQUE', 'TRANSFER', 'FREE'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const DEFAULT_ELIGIBILITY_CODES = [
  'minima_sociaux',
  'demandeur_emploi',
  'etudiant_boursier',
  'senior_isole',
  'autre',
] as const;

/** Plain French words for a status, as the public page and reports show them. */
export const STATUS_LABELS_FR: Record<DeviceStatus, string> = {
  REGISTERED: 'Déclaré par le donateur',
  COLLECTED: 'Collecté par un atelier',
  WIPED: 'Effacement des données certifié',
  REFURBISHING: 'En reconditionnement',
  REFURBISHED: 'Reconditionné',
  AVAILABLE: 'Disponible chez un partenaire solidaire',
  RESERVED: 'Réservé pour un bénéficiaire',
  DISTRIBUTED: 'Remis à un bénéficiaire',
  RECYCLED: 'Recyclé (filière DEEE)',
  DISMANTLED: 'Démonté pour pièces détachées',
};

export const DEVICE_TYPE_LABELS_FR: Record<DeviceType, string> = {
  LAPTOP: 'Ordinateur portable',
  DESKTOP: 'Ordinateur fixe',
  TABLET: 'Tablette',
  SMARTPHONE: 'Smartphone',
  MONITOR: 'Écran',
  PRINTER: 'Imprimante',
  MFP: 'Imprimante multifonction',
  OTHER: 'Autre équipement',
};
