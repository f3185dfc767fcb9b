import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal } from '@renum/identity';
import { JobProducer, queueUnavailable, QueueUnavailableError, Requester } from '@renum/jobs';
import { badRequest, notFound, ProblemException, RenumConfig, uuidv7 } from '@renum/platform';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DonationService } from '../donation.service';
import { InventoryFileError, parseInventoryCsv } from '../inventory-csv';
import { storeImportFile } from './import-storage';

/** multer's limit for one inventory file: a 10,000-row GLPI export is about 3 MB. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export interface UploadedCsv {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/** Whole-file problems found at upload: nothing is stored, nothing is queued. */
export function inventoryFileProblem(error: InventoryFileError): ProblemException {
  const slug = `inventory-${error.reason.toLowerCase().replace(/_/g, '-')}`;
  if (error.reason === 'NOT_TEXT') return new ProblemException(415, slug, "Ce fichier n'est pas un CSV", error.message, { reason: error.reason });
  return new ProblemException(422, slug, 'Fichier inventaire inutilisable', error.message, { reason: error.reason });
}

export function requesterOf(p: Principal): Requester {
  return { userId: p.userId, apiKeyId: p.apiKeyId, organizationId: p.organizationId, kind: p.organizationKind, role: p.role, territoryId: p.territoryId };
}

/**
 * API side of an inventory import. The upload is parsed once, synchronously, only to refuse a
 * file that cannot be imported at all (not text, empty, no recognisable header, a 10,000+
 * character row…) with a clear 415/422 before anything is written. The file is then stored,
 * the `inventory_import` row created and the job queued; the job parses again (same bytes, same
 * day: the import's creation date) and registers the rows.
 */
@Injectable()
export class InventoryImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly donations: DonationService,
    private readonly jobs: JobProducer,
    private readonly config: RenumConfig,
  ) {}

  async start(p: Principal, donationId: string, file: UploadedCsv | undefined) {
    const donation = await this.donations.ownDonation(p, donationId);
    if (!file) {
      throw badRequest('Joignez le fichier CSV dans le champ « file » (multipart/form-data).', [{ field: 'file', message: 'fichier obligatoire' }]);
    }
    const createdAt = new Date();
    let parsed;
    try {
      parsed = parseInventoryCsv(file.buffer, { today: createdAt });
    } catch (error) {
      if (error instanceof InventoryFileError) throw inventoryFileProblem(error);
      throw error;
    }
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    await storeImportFile(this.config.STORAGE_DIR, sha256, file.buffer);

    const id = uuidv7();
    const jobId = `imp-${id}`;
    await this.db.query(
      `INSERT INTO inventory_import (id, donation_id, organization_id, created_by_user_id, created_by_api_key_id, sha256, filename, size_bytes,
                                     job_id, status, format, total_rows, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'QUEUED', $10, $11, $12, $12)`,
      [id, donation.id, donation.donor_organization_id, p.userId, p.apiKeyId, sha256, uploadedName(file.originalname), file.size, jobId, parsed.format, parsed.totalRows, createdAt],
    );
    try {
      await this.jobs.enqueue('inventory.import', { importId: id, donationId: donation.id, requester: requesterOf(p) }, { jobId });
    } catch (error) {
      // Nothing half-written: without a job the row would wait forever.
      await this.db.query('DELETE FROM inventory_import WHERE id = $1', [id]);
      if (error instanceof QueueUnavailableError) throw queueUnavailable();
      throw error;
    }
    return {
      jobId,
      importId: id,
      statusUrl: `/api/v1/jobs/${jobId}`,
      importUrl: `/api/v1/imports/${id}`,
      format: parsed.format,
      ...(parsed.language ? { language: parsed.language } : {}),
      totalRows: parsed.totalRows,
    };
  }

  /** An import of the caller's organisation (any role of the donor may follow it). */
  async get(p: Principal, importId: string) {
    const [row] = await this.db.query('SELECT * FROM inventory_import WHERE id = $1 AND organization_id = $2', [importId, p.organizationId]);
    if (!row) throw notFound('Import');
    return {
      id: row.id,
      donationId: row.donation_id,
      jobId: row.job_id,
      status: row.status,
      filename: row.filename,
      sha256: row.sha256,
      sizeBytes: row.size_bytes,
      format: row.format,
      totalRows: row.total_rows,
      created: row.created_count,
      ...(row.failure_reason ? { failureReason: row.failure_reason } : {}),
      createdAt: new Date(row.created_at).toISOString(),
      finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
      ...(row.result ? { result: row.result } : { progress: { validRowsProcessed: row.next_row } }),
    };
  }
}

/** multer reads the part's filename as Latin-1; browsers send UTF-8 ("inventaire-écoles.csv"). */
function uploadedName(name: string): string {
  const utf8 = Buffer.from(name ?? '', 'latin1').toString('utf8');
  const cleaned = (utf8.includes('\ufffd') ? name : utf8).replace(/[\u0000-\u001f]/g, '').slice(0, 255);
  return cleaned || 'inventaire.csv';
}
