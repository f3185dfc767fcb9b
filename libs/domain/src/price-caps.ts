import { DeviceType } from './vocabulary';

/**
 * Legal solidarity price caps, décret du 7 novembre 2022 (prices incl. VAT). OTHER has no
 * legal cap: the coordinator sets one. Seeded into the database; the coordinator edits there.
 */
export const LEGAL_PRICE_CAPS_CENTS: Record<DeviceType, number> = {
  LAPTOP: 18000,
  DESKTOP: 15000,
  TABLET: 10000,
  SMARTPHONE: 10000,
  MONITOR: 3000,
  PRINTER: 3000,
  MFP: 17000,
  OTHER: 3000,
};

export function isWithinCap(priceCents: number, capCents: number): boolean {
  return Number.isInteger(priceCents) && priceCents >= 0 && priceCents <= capCents;
}
