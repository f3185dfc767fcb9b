import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { normalizeSerial } from '@renum/domain';
import { JobCatalogue, OnJob } from '@renum/jobs';
import { DeviceRegistry, DuplicateSerialsError, registeredSerials } from '@renum/lifecycle';
import { ProblemException, RenumConfig } from '@renum/platform';
import { Job, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { InventoryFileError, InventoryParseResult, parseInventoryCsv } from '../inventory-csv';
import { alreadyRegisteredWhere } from '../donation.service';
import { AlreadyRegisteredRow, buildReport, ImportReport } from './import-report';
import { readImportFile } from './import-storage';

/** Rows registered per transaction: big enough for throughput, small enough to resume cheaply. */
export const IMPORT_CHUNK_ROWS = 500;
/** A chunk refused because a serial appeared meanwhile (a concurrent registration) is re-filtered and retried. */
const MAX_CHUNK_ATTEMPTS = 5;

/** What the donor reads (job `failedReason`, import `failureReason`) when something unforeseen stopped the import. */
export const UNEXPECTED_IMPORT_FAILURE =
  "L'import s'est arrêté sur une erreur inattendue. Les appareils déjà enregistrés le restent : importez à nouveau " +
  "le même fichier pour terminer, les lignes déjà enregistrées ne seront pas créées deux fois. Si l'erreur se répète, " +
  "contactez la coordination Renum.";

/** What the donor reads when the uploaded file is no longer in the server's storage. */
export const IMPORT_FILE_MISSING =
  "Le fichier importé n'est plus lisible sur le serveur : importez-le à nouveau. Les lignes déjà enregistrées ne seront pas créées deux fois. " +
  'Si l’erreur se répète, contactez la coordination Renum.';

/**
 * The failure in French: our own refusals already are; a raw error (SQL, I/O…) is logged and
 * replaced, so a donor never reads `invalid input syntax for type integer`.
 */
export function importFailure(error: unknown): Error {
  if (error instanceof UnrecoverableError) return error;
  if (error instanceof ProblemException) return new Error(error.problem.detail ?? error.problem.title, { cause: error });
  return new Error(UNEXPECTED_IMPORT_FAILURE, { cause: error });
}

/**
 * Worker side of an inventory import. The parsed file is registered chunk by chunk, each chunk in
 * its own transaction which also advances the import's resume point (`next_row`) and its running
 * totals. A worker killed mid-file leaves only whole chunks behind; the retried job starts at the
 * resume point, so nothing is registered twice and the report still covers the whole file.
 */
@Injectable()
export class InventoryImportProcessor {
  private readonly logger = new Logger('InventoryImport');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: DeviceRegistry,
    private readonly config: RenumConfig,
  ) {}

  @OnJob('inventory.import')
  async run(data: JobCatalogue['inventory.import'], job: Job): Promise<ImportReport> {
    const [imp] = await this.db.query('SELECT * FROM inventory_import WHERE id = $1', [data.importId]);
    if (!imp) throw new UnrecoverableError(`inventory_import ${data.importId} not found`);
    if (imp.status === 'COMPLETED' && imp.result) return imp.result; // a redelivered job
    try {
      await this.db.query(`UPDATE inventory_import SET status = 'RUNNING', updated_at = now() WHERE id = $1 AND status <> 'COMPLETED'`, [imp.id]);
      const parsed = await this.parse(imp);
      const [donation] = await this.db.query('SELECT id, donor_organization_id, territory_id FROM donation WHERE id = $1', [imp.donation_id]);
      if (!donation) throw new UnrecoverableError("Le don de cet import n'existe plus.");
      const target = { donationId: donation.id, donorOrganizationId: donation.donor_organization_id, territoryId: donation.territory_id };
      const actor = { userId: data.requester.userId, organizationId: data.requester.organizationId, apiKeyId: data.requester.apiKeyId };

      let next = imp.next_row as number;
      while (next < parsed.rows.length) {
        next = await this.registerChunk(imp.id, parsed, target, actor);
        await job.updateProgress(Math.min(99, Math.floor((next * 100) / parsed.rows.length)));
      }
      return await this.finish(imp.id, imp.donation_id, parsed, job);
    } catch (error) {
      const failure = importFailure(error);
      if (failure !== error) this.logger.error({ msg: 'inventory import failed', importId: imp.id, attempt: job.attemptsMade + 1, err: error });
      const last = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (last) {
        await this.db
          .query(`UPDATE inventory_import SET status = 'FAILED', failure_reason = $2, finished_at = now(), updated_at = now() WHERE id = $1 AND status <> 'COMPLETED'`, [
            imp.id,
            failure.message,
          ])
          .catch(() => undefined);
      }
      throw failure;
    }
  }

  /** Same bytes and same day as the upload check, so the same rows in the same order on every attempt. */
  private async parse(imp: { sha256: string; created_at: Date }): Promise<InventoryParseResult> {
    let content: Buffer;
    try {
      content = await readImportFile(this.config.STORAGE_DIR, imp.sha256);
    } catch (error) {
      // The error names the server's storage path: logged, not shown to the donor.
      this.logger.error({ msg: 'imported file unreadable', sha256: imp.sha256, err: error });
      throw new UnrecoverableError(IMPORT_FILE_MISSING);
    }
    try {
      return parseInventoryCsv(content, { today: new Date(imp.created_at) });
    } catch (error) {
      if (error instanceof InventoryFileError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  /** One transaction: the rows after the resume point whose serial the donor does not have yet. */
  private async registerChunk(
    importId: string,
    parsed: InventoryParseResult,
    target: { donationId: string; donorOrganizationId: string; territoryId: string },
    actor: { userId: string | null; organizationId: string; apiKeyId: string | null },
  ): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(async (m) => {
          // Imports of one donor run one chunk at a time: two uploads of the same file do not race on serials.
          await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('inventory-import:' || $1, 0))`, [target.donorOrganizationId]);
          const [state] = await m.query('SELECT next_row FROM inventory_import WHERE id = $1 FOR UPDATE', [importId]);
          const start = state.next_row as number;
          const chunk = parsed.rows.slice(start, start + IMPORT_CHUNK_ROWS);
          if (chunk.length === 0) return start;
          const existing = await registeredSerials(m, target.donorOrganizationId, chunk.map((r) => normalizeSerial(r.device.serialNumber)));
          const fresh = chunk.filter((r) => !existing.has(normalizeSerial(r.device.serialNumber)));
          const already: AlreadyRegisteredRow[] = chunk.flatMap((r) => {
            const where = existing.get(normalizeSerial(r.device.serialNumber));
            if (!where) return [];
            const same = where.donationId === target.donationId;
            return [{
              row: r.row,
              serialNumber: r.device.serialNumber,
              code: where.code,
              donationId: where.donationId,
              donationReference: where.donationReference,
              message: `Numéro de série « ${r.device.serialNumber} » déjà enregistré ${alreadyRegisteredWhere(where, target.donationId)} : ligne ignorée${same ? ', rien à corriger' : ''}.`,
            }];
          });
          if (fresh.length) await this.registry.register(m, target, fresh.map((r) => ({ ...r.device, flags: r.flags })), actor);
          await m.query(
            `UPDATE inventory_import
                SET next_row = $2, created_count = created_count + $3, already_registered = already_registered || $4::jsonb, updated_at = now()
              WHERE id = $1`,
            [importId, start + chunk.length, fresh.length, JSON.stringify(already)],
          );
          return start + chunk.length;
        });
      } catch (error) {
        // Registered meanwhile through the API (which does not take the import lock): filter again.
        if (error instanceof DuplicateSerialsError && attempt < MAX_CHUNK_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  private async finish(importId: string, donationId: string, parsed: InventoryParseResult, job: Job): Promise<ImportReport> {
    const [state] = await this.db.query('SELECT created_count, already_registered FROM inventory_import WHERE id = $1', [importId]);
    const report = buildReport(importId, donationId, parsed, state.created_count, state.already_registered);
    await this.db.query(`UPDATE inventory_import SET status = 'COMPLETED', result = $2, finished_at = now(), updated_at = now() WHERE id = $1`, [
      importId,
      JSON.stringify(report),
    ]);
    await job.updateProgress(100);
    this.logger.log({ msg: 'inventory imported', importId, created: report.created, skipped: report.skipped, errors: report.errors.length });
    return report;
  }
}
