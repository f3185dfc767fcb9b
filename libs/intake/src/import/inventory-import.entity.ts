import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AlreadyRegisteredRow } from './import-report';

export type InventoryImportStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';

/**
 * One upload of a donor's inventory file (GLPI export or Renum template) into a donation.
 * The job registers the parsed rows in chunks; each chunk's transaction also advances
 * `next_row` and the running totals, so a worker that dies half-way resumes exactly where the
 * last committed chunk stopped (no duplicate, and the final counts still cover the whole file).
 */
@Entity('inventory_import')
@Index('inventory_import_donation_idx', ['donationId', 'createdAt'])
export class InventoryImport {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') donationId: string;
  /** The donor organisation (owner of the donation); every read is scoped by it. */
  @Column('uuid') organizationId: string;
  @Column('uuid', { nullable: true }) createdByUserId: string | null;
  @Column('uuid', { nullable: true }) createdByApiKeyId: string | null;
  /** The stored file: STORAGE_DIR/imports/{sha256}. */
  @Column('text') sha256: string;
  @Column('text') filename: string;
  @Column('int') sizeBytes: number;
  @Column('text') jobId: string;
  @Column('text', { default: 'QUEUED' }) status: InventoryImportStatus;
  @Column('text', { nullable: true }) format: string | null;
  /** Data rows of the file (registered + skipped), known from the upload check. */
  @Column('int', { nullable: true }) totalRows: number | null;
  /** Resume point: index in the parser's list of valid rows of the next row to register. */
  @Column('int', { default: 0 }) nextRow: number;
  @Column('int', { default: 0 }) createdCount: number;
  /** Valid rows whose serial this donor had already registered: [{row, serialNumber, code, donationId, donationReference, message}]. */
  @Column('jsonb', { default: () => "'[]'" }) alreadyRegistered: AlreadyRegisteredRow[];
  /** The final report (also the job's return value), kept after the job leaves Redis. */
  @Column('jsonb', { nullable: true }) result: Record<string, unknown> | null;
  @Column('text', { nullable: true }) failureReason: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
}

export const INTAKE_ENTITIES: Function[] = [InventoryImport];
