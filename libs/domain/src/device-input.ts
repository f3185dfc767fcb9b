import { DeviceType, MediumKind } from './vocabulary';

/** A storage medium as a donor or a workshop declares it. */
export interface MediumInput {
  kind: MediumKind;
  serialNumber: string;
  model?: string;
  capacityGb?: number;
}

/** One device as a donor declares it (API.md `DeviceInput`). */
export interface DeviceInput {
  type: DeviceType;
  brand: string;
  model: string;
  serialNumber: string;
  inventoryNumber?: string;
  acquisitionDate?: string; // YYYY-MM-DD
  estimatedValueCents?: number;
  weightKg?: number;
  media?: MediumInput[];
}
