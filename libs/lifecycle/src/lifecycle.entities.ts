import type { DeviceStatus, DeviceType, ErasureLevel, ErasureResult, Grade, MediumKind, PaymentMethod, Verification } from '@renum/domain';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A donation (*don*): a lot of devices a donor gives, with its pickup details. */
@Entity('donation')
@Index('donation_donor_reference_key', ['donorOrganizationId', 'reference'], { unique: true })
export class Donation {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') donorOrganizationId: string;
  @Index('donation_territory_idx') @Column('uuid') territoryId: string;
  @Column('text') reference: string;
  @Column('text') pickupAddress: string;
  @Column('date', { nullable: true }) plannedPickupDate: string | null;
  @Column('uuid', { nullable: true }) createdByUserId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('device')
@Index('device_donor_serial_key', ['donorOrganizationId', 'serialKey'], { unique: true })
@Index('device_catalog_idx', ['territoryId', 'status', 'type', 'priceCents', 'id'])
@Index('device_donation_idx', ['donationId', 'id'])
@Index('device_custodian_idx', ['custodianOrganizationId', 'id'])
@Check('device_status_check', `status IN ('REGISTERED','COLLECTED','WIPED','REFURBISHING','REFURBISHED','AVAILABLE','RESERVED','DISTRIBUTED','RECYCLED','DISMANTLED')`)
@Check('device_type_check', `type IN ('LAPTOP','DESKTOP','TABLET','SMARTPHONE','MONITOR','PRINTER','MFP','OTHER')`)
@Check('device_price_check', `price_cents IS NULL OR price_cents >= 0`)
export class Device {
  @PrimaryColumn('uuid') id: string;
  /** Public label code, `RN-XXXX-XXXX`. */
  @Index('device_code_key', { unique: true }) @Column('text') code: string;
  @Column('uuid') donationId: string;
  @Column('uuid') donorOrganizationId: string;
  @Column('uuid') territoryId: string;
  @Column('text') type: DeviceType;
  @Column('text') brand: string;
  @Column('text') model: string;
  /** As the donor declared it (needed for the *sortie d'inventaire*). */
  @Column('text') serialNumber: string;
  /** Normalised serial (upper case, no spaces) for uniqueness and matching. */
  @Column('text') serialKey: string;
  @Column('text', { nullable: true }) inventoryNumber: string | null;
  @Column('date', { nullable: true }) acquisitionDate: string | null;
  @Column('int', { nullable: true }) estimatedValueCents: number | null;
  @Column('numeric', { precision: 7, scale: 2, nullable: true }) weightKg: string | null;
  @Column('text') status: DeviceStatus;
  @Column('uuid') custodianOrganizationId: string;
  @Column('uuid', { nullable: true }) lastWorkshopId: string | null;
  @Column('uuid', { nullable: true }) reservedByOrganizationId: string | null;
  @Column('text', { nullable: true }) grade: Grade | null;
  @Column('int', { nullable: true }) priceCents: number | null;
  @Column('text', { nullable: true }) os: string | null;
  @Column('int', { nullable: true }) batteryHealthPct: number | null;
  @Column('jsonb', { nullable: true }) checklist: Record<string, boolean> | null;
  /** Latest entry into workshop custody (`collect` or `return`). */
  @Column('timestamptz', { nullable: true }) custodyInAt: Date | null;
  @Column('timestamptz', { nullable: true }) noStorageDeclaredAt: Date | null;
  /** Import flags, e.g. REEN_TOO_OLD, VALUE_ABOVE_DONATION_CAP. */
  @Column('text', { array: true, default: () => "'{}'" }) flags: string[];
  /** Compare-and-set guard: every change increments it. */
  @Column('int', { default: 1 }) version: number;
  /** Head of the event chain, so a deleted last event is detected. */
  @Column('int', { default: 0 }) eventSeq: number;
  @Column('text', { nullable: true }) eventHash: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

@Entity('device_medium')
@Index('device_medium_serial_key', ['deviceId', 'serialKey'], { unique: true })
@Index('device_medium_serial_idx', ['serialKey'])
@Check('device_medium_kind_check', `kind IN ('HDD','SSD','NVME','EMMC','FLASH','OTHER')`)
@Check('device_medium_absence_check', `(absent_at IS NULL) = (absence_reason IS NULL)`)
export class DeviceMedium {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') deviceId: string;
  @Column('text') kind: MediumKind;
  @Column('text') serialNumber: string;
  @Column('text') serialKey: string;
  @Column('text', { nullable: true }) model: string | null;
  @Column('int', { nullable: true }) capacityGb: number | null;
  /** Who made it known: DONOR at registration, WORKSHOP by hand, ERASURE from a record or report. */
  @Column('text') source: string;
  /**
   * Set when the workshop holding the device declared this donor-declared medium absent from it:
   * it no longer counts for the data invariant (the row stays, as the event does).
   */
  @Column('timestamptz', { nullable: true }) absentAt: Date | null;
  @Column('text', { nullable: true }) absenceReason: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('erasure_record')
@Index('erasure_record_device_idx', ['deviceId', 'endedAt'])
@Index('erasure_record_report_medium_key', ['reportId', 'mediumId'], { unique: true, where: 'report_id IS NOT NULL' })
@Check('erasure_record_level_check', `level IN ('CLEAR','PURGE','DESTROY')`)
@Check('erasure_record_result_check', `result IN ('PASSED','FAILED')`)
@Check('erasure_record_verification_check', `verification IN ('NONE','SAMPLED','FULL')`)
@Check('erasure_record_dates_check', `ended_at >= started_at`)
export class ErasureRecord {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') deviceId: string;
  @Column('uuid') mediumId: string;
  @Column('text') mediumSerial: string;
  @Column('text', { nullable: true }) mediumKind: MediumKind | null;
  @Column('text', { nullable: true }) mediumModel: string | null;
  @Column('int', { nullable: true }) capacityGb: number | null;
  @Column('text') level: ErasureLevel;
  @Column('text') method: string;
  @Column('text') tool: string;
  @Column('text', { nullable: true }) toolVersion: string | null;
  @Column('text') verification: Verification;
  @Column('int', { nullable: true }) rounds: number | null;
  @Column('int', { default: 0 }) errors: number;
  /** Tool-specific details (pass/verify/fdatasync errors, I/O retries, hidden sectors, PRNG…). */
  @Column('jsonb', { default: () => "'{}'" }) details: Record<string, unknown>;
  @Column('text') result: ErasureResult;
  @Column('text', { nullable: true }) failureReason: string | null;
  @Column('timestamptz') startedAt: Date;
  @Column('timestamptz') endedAt: Date;
  @Column('uuid', { nullable: true }) technicianUserId: string | null;
  @Column('uuid') organizationId: string;
  /** MANUAL (typed by a technician) or the import parser's tool name. */
  @Column('text') source: string;
  @Column('uuid', { nullable: true }) reportId: string | null;
  @Column('text', { nullable: true }) reportSha256: string | null;
  /** Set when an independent re-check FAILED: the record no longer proves anything. */
  @Column('timestamptz', { nullable: true }) voidedAt: Date | null;
  @Column('text', { nullable: true }) voidReason: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** Append-only history; a trigger refuses UPDATE and DELETE (invariant 4). */
@Entity('device_event')
export class DeviceEvent {
  @PrimaryColumn('uuid') deviceId: string;
  @PrimaryColumn('int') seq: number;
  @Column('text') action: string;
  @Column('text', { nullable: true }) fromStatus: string | null;
  @Column('text') toStatus: string;
  @Column('uuid', { nullable: true }) actorUserId: string | null;
  @Column('uuid', { nullable: true }) organizationId: string | null;
  @Column('timestamptz') at: Date;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('text') prevHash: string;
  @Column('text') hash: string;
}

/** Organisations that held, reserved or handled a device: what lets them keep seeing it. */
@Entity('device_party')
@Index('device_party_organization_idx', ['organizationId', 'deviceId'])
export class DeviceParty {
  @PrimaryColumn('uuid') deviceId: string;
  @PrimaryColumn('uuid') organizationId: string;
  @CreateDateColumn({ type: 'timestamptz' }) since: Date;
}

/** The stored answer of a transition, keyed by the job id derived from the Idempotency-Key. */
@Entity('idempotency_record')
export class IdempotencyRecord {
  @PrimaryColumn('text') id: string;
  @Column('uuid') deviceId: string;
  @Column('text') fingerprint: string;
  /** The requester, who alone may read the answer through `GET /jobs/{id}`; none for the system's own transitions. */
  @Column('uuid', { nullable: true }) organizationId: string | null;
  @Column('uuid', { nullable: true }) userId: string | null;
  /** The API key of a requester authenticated by one (its user is then null). */
  @Column('uuid', { nullable: true }) apiKeyId: string | null;
  @Column('int') statusCode: number;
  /** `json`, not `jsonb`: the stored answer is replayed byte for byte. */
  @Column('json') body: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** At most one ACTIVE reservation per device, guaranteed by a partial unique index. */
@Entity('reservation')
@Index('reservation_one_active_per_device', ['deviceId'], { unique: true, where: `status = 'ACTIVE'` })
@Index('reservation_charity_idx', ['charityOrganizationId', 'status'])
@Check('reservation_status_check', `status IN ('ACTIVE','RELEASED','EXPIRED','DISTRIBUTED')`)
export class Reservation {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') deviceId: string;
  @Column('uuid') charityOrganizationId: string;
  @Column('uuid') territoryId: string;
  @Column('text') status: 'ACTIVE' | 'RELEASED' | 'EXPIRED' | 'DISTRIBUTED';
  /** HMAC of the charity's own file reference; never the reference itself. */
  @Column('text', { nullable: true }) beneficiaryRefHash: string | null;
  @Column('timestamptz') expiresAt: Date;
  @Column('uuid', { nullable: true }) createdByUserId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) closedAt: Date | null;
}

/** A hand-over to a beneficiary: statistics only (RGPD data minimisation). */
@Entity('distribution')
@Index('distribution_device_idx', ['deviceId'])
@Index('distribution_territory_idx', ['territoryId', 'distributedAt'])
@Check('distribution_payment_check', `payment_method IN ('CASH','CARD','CHEQUE','TRANSFER','FREE')`)
export class Distribution {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') deviceId: string;
  @Column('uuid', { nullable: true }) reservationId: string | null;
  @Column('uuid') charityOrganizationId: string;
  @Column('uuid') territoryId: string;
  @Column('int') priceCents: number;
  @Column('text') paymentMethod: PaymentMethod;
  /** Erased by the retention job after the configured period; the statistics stay. */
  @Column('text', { nullable: true }) beneficiaryRefHash: string | null;
  @Column('text') eligibility: string;
  @Column('text') postalCode: string;
  @Column('timestamptz') distributedAt: Date;
  @Column('timestamptz', { nullable: true }) returnedAt: Date | null;
  @Column('text', { nullable: true }) returnReason: string | null;
}

/** A coordinator's cap for a device type in a territory; absent → the legal cap. */
@Entity('price_cap')
export class PriceCap {
  @PrimaryColumn('uuid') territoryId: string;
  @PrimaryColumn('text') type: DeviceType;
  @Column('int') capCents: number;
  @Column('uuid', { nullable: true }) updatedByUserId: string | null;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

export const LIFECYCLE_ENTITIES = [Donation, Device, DeviceMedium, ErasureRecord, DeviceEvent, DeviceParty, IdempotencyRecord, Reservation, Distribution, PriceCap];
