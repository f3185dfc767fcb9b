import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An uploaded erasure report (the tool's own file), kept under STORAGE_DIR/erasure-reports/{sha256}. */
@Entity('erasure_report')
@Index('erasure_report_org_sha256_key', ['organizationId', 'sha256'], { unique: true })
export class ErasureReportFile {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('text') sha256: string;
  @Column('text') filename: string;
  @Column('int') sizeBytes: number;
  @Column('text') tool: string;
  @Column('text', { nullable: true }) toolVersion: string | null;
  @Column('text', { nullable: true }) hostSystemSerial: string | null;
  @Column('text', { nullable: true }) hostAssetTag: string | null;
  @Column('text', { nullable: true }) hostModel: string | null;
  @Column('text') storagePath: string;
  /** The import answer, stored once the import finished: a re-import returns it unchanged. */
  @Column('jsonb', { nullable: true }) summary: Record<string, unknown> | null;
  @Column('uuid', { nullable: true }) uploadedByUserId: string | null;
  @Column('timestamptz', { default: () => 'now()' }) uploadedAt: Date;
}

/** One generated certificate PDF, for one device at one head of its event chain. */
@Entity('erasure_certificate')
@Index('erasure_certificate_device_seq_key', ['deviceId', 'eventSeq'], { unique: true })
export class ErasureCertificate {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') deviceId: string;
  @Column('int') eventSeq: number;
  /** Hash of the event at `eventSeq` when the certificate was issued. */
  @Column('text', { nullable: true }) eventHash: string | null;
  @Column('text') filePath: string;
  @Column('text') sha256: string;
  /** What the certificate states (no personal data), shown again by the public verification page. */
  @Column('jsonb') facts: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** Every PASSED logical erasure put to the re-check draw, selected or not (the sampled population). */
@Entity('erasure_draw')
@Index('erasure_draw_org_idx', ['organizationId', 'drawnAt'])
export class ErasureDraw {
  @PrimaryColumn('uuid') erasureId: string;
  @Column('uuid') organizationId: string;
  @Column('boolean') selected: boolean;
  @Column('text') seed: string;
  @Column('timestamptz', { default: () => 'now()' }) drawnAt: Date;
}

/** An independent re-check (R2v3) of one erasure by another technician of the workshop. */
@Entity('erasure_recheck')
@Index('erasure_recheck_erasure_key', ['erasureId'], { unique: true })
@Index('erasure_recheck_org_status_idx', ['organizationId', 'status', 'id'])
@Index('erasure_recheck_territory_idx', ['territoryId', 'status', 'id'])
@Check('erasure_recheck_status_check', `status IN ('PENDING','CONFIRMED','FAILED')`)
export class ErasureRecheck {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') erasureId: string;
  @Column('uuid') deviceId: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') territoryId: string;
  @Column('uuid', { nullable: true }) erasedByUserId: string | null;
  @Column('text') status: 'PENDING' | 'CONFIRMED' | 'FAILED';
  @Column('uuid', { nullable: true }) decidedByUserId: string | null;
  @Column('timestamptz', { nullable: true }) decidedAt: Date | null;
  @Column('text', { nullable: true }) note: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** A voided erasure on a device that already left workshop custody: the holder must be contacted. */
@Entity('data_incident')
@Index('data_incident_territory_idx', ['territoryId', 'id'])
@Check('data_incident_status_check', `status IN ('OPEN','CLOSED')`)
export class DataIncident {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') deviceId: string;
  @Column('uuid') erasureId: string;
  @Column('uuid', { nullable: true }) recheckId: string | null;
  @Column('uuid') territoryId: string;
  /** Who held the device when the incident was raised. */
  @Column('uuid') holderOrganizationId: string;
  @Column('text') deviceStatus: string;
  @Column('text') status: 'OPEN' | 'CLOSED';
  @Column('text') detail: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export const ERASURE_ENTITY_LIST = [ErasureReportFile, ErasureCertificate, ErasureDraw, ErasureRecheck, DataIncident];
