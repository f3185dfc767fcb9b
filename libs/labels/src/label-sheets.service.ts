import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@renum/identity';
import { DONE_JOB_KEPT_SECONDS, isRequester, JobProducer, queueUnavailable, QueueUnavailableError, queueUnreadable, Requester, WaitOutcome } from '@renum/jobs';
import { badRequest, notFound, ProblemException, RenumConfig, uuidv7 } from '@renum/platform';
import { access, FileHandle, open, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LabelSelection, LabelSource } from './label-source';
import { LabelContent, SHEET_TEMPLATES, SheetTemplate, writeSheetPdf, writeZpl } from './render';
import { SheetJobAccepted, SheetRequest, SYNC_SHEET_MAX_LABELS } from './sheet.dto';

export interface SheetFormat {
  contentType: string;
  extension: 'pdf' | 'zpl';
}

export const sheetFormat = (template: SheetTemplate): SheetFormat =>
  SHEET_TEMPLATES[template].kind === 'zpl' ? { contentType: 'text/plain; charset=utf-8', extension: 'zpl' } : { contentType: 'application/pdf', extension: 'pdf' };

export const requesterOf = (p: Principal): Requester => ({
  userId: p.userId,
  apiKeyId: p.apiKeyId,
  organizationId: p.organizationId,
  kind: p.organizationKind,
  role: p.role,
  territoryId: p.territoryId,
});

export const principalOf = (r: Requester): Principal => ({
  userId: r.userId,
  apiKeyId: r.apiKeyId,
  email: null,
  organizationId: r.organizationId,
  organizationKind: r.kind,
  role: r.role,
  territoryId: r.territoryId,
});

/**
 * A sheet can be downloaded while its job is kept in Redis (a day); its file is kept a day
 * longer, then swept, with any `.part` a crashed render left behind.
 */
export const SHEET_FILE_KEPT_MS = (DONE_JOB_KEPT_SECONDS + 24 * 3600) * 1000;

const SHEET_JOB_ID = /^doc-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a `labels.sheet` job returns (its file is relative to STORAGE_DIR). */
export interface SheetJobResult {
  labels: number;
  pages: number;
  file: string;
  downloadUrl: string;
}

/** A long sheet: its file, opened (the caller streams and closes it), or its job still running. */
export type MadeSheet = { kind: 'file'; file: FileHandle; format: SheetFormat; accepted: SheetJobAccepted } | { kind: 'pending'; accepted: SheetJobAccepted };

/**
 * What the requester reads of a sheet job that spent its attempts (its problem, and the job's
 * `failedReason`). The job's own reason (a file path, an errno, a stack line) is for the server log.
 */
export const SHEET_FAILED_DETAIL =
  "La production de la planche d'étiquettes a échoué sur le serveur, après plusieurs essais. Relancez la demande ; " +
  "si l'échec se répète, demandez moins d'étiquettes à la fois (une partie des codes plutôt que le don entier) ou prévenez la coordination Renum.";

/** Label sheets: checked in the request, streamed when short, made by a job when long. */
@Injectable()
export class LabelSheets {
  private readonly logger = new Logger('LabelSheets');

  constructor(
    private readonly source: LabelSource,
    private readonly jobs: JobProducer,
    private readonly config: RenumConfig,
  ) {}

  /** Validates a request (every code visible, or a visible donation) and counts its labels. */
  async plan(p: Principal, body: SheetRequest): Promise<{ selection: LabelSelection; count: number }> {
    if ((body.codes === undefined) === (body.donationId === undefined)) {
      throw badRequest('Indiquez soit une liste de codes (codes), soit un don (donationId), mais pas les deux.', [
        { field: body.codes ? 'donationId' : 'codes', message: 'exactement un des deux champs codes / donationId' },
      ]);
    }
    if (body.codes) {
      const deviceIds = await this.source.resolveCodes(p, body.codes);
      return { selection: { kind: 'devices', deviceIds }, count: deviceIds.length };
    }
    const count = await this.source.countDonation(p, body.donationId!);
    return { selection: { kind: 'donation', donationId: body.donationId!, count }, count };
  }

  countDonation(p: Principal, donationId: string): Promise<number> {
    return this.source.countDonation(p, donationId);
  }

  isShort(count: number): boolean {
    return count <= SYNC_SHEET_MAX_LABELS;
  }

  /** Renders a selection into `out` (which is ended), page by page, `onLabel` after each label. */
  async write(
    p: Principal,
    selection: LabelSelection,
    template: SheetTemplate,
    out: NodeJS.WritableStream,
    onLabel?: (count: number) => Promise<void> | void,
  ): Promise<{ labels: number; pages: number }> {
    let labels = 0;
    const source = this.source.labels(p, selection);
    async function* counted(): AsyncGenerator<LabelContent> {
      for await (const label of source) {
        yield label;
        labels++;
        await onLabel?.(labels);
      }
    }
    if (template === 'zebra-zpl-50x25') {
      const { labels: written } = await writeZpl(counted(), out);
      return { labels: written, pages: written };
    }
    const { pages } = await writeSheetPdf(counted(), template, out);
    return { labels, pages };
  }

  /**
   * Makes a long sheet by a `labels.sheet` job (the api's event loop and memory stay free) and
   * waits up to LABEL_SHEET_WAIT_MS for it: done in time, the caller gets the file it wrote, as a
   * short sheet would be answered; otherwise the job, to follow and download later (202). A failed
   * job is the problem its download gives. Redis down (or not confirming the add): 503.
   */
  async make(p: Principal, selection: LabelSelection, template: SheetTemplate): Promise<MadeSheet> {
    const jobId = `doc-${uuidv7()}`;
    const data =
      selection.kind === 'devices'
        ? { requester: requesterOf(p), deviceIds: selection.deviceIds, template }
        : { requester: requesterOf(p), donationId: selection.donationId, template };
    let outcome: WaitOutcome<SheetJobResult>;
    try {
      ({ outcome } = await this.jobs.enqueueAndWait<'labels.sheet', SheetJobResult>('labels.sheet', data, { jobId, attempts: 3 }, this.config.LABEL_SHEET_WAIT_MS));
    } catch (error) {
      if (error instanceof QueueUnavailableError) throw queueUnavailable();
      throw error;
    }
    if (outcome.state === 'failed') throw this.failed(jobId, outcome.reason);
    const accepted = { jobId, statusUrl: `/api/v1/jobs/${jobId}`, downloadUrl: this.downloadUrl(jobId) };
    if (outcome.state === 'timeout') return { kind: 'pending', accepted };
    let file: FileHandle;
    try {
      // Opened before any header is sent: a file the worker wrote where this api cannot read it
      // (STORAGE_DIR not shared) is still a problem document, not a cut connection.
      file = await open(this.absolute(outcome.value.file));
    } catch {
      throw new ProblemException(500, 'sheet-file-missing', 'Planche introuvable', `La planche a été produite mais son fichier est illisible par l'API (STORAGE_DIR partagé ?). Essayez ${accepted.downloadUrl}, ou relancez la demande.`);
    }
    return { kind: 'file', file, format: sheetFormat(template), accepted };
  }

  /** A sheet job that spent its attempts: the same problem for its request and for its download; its reason is logged. */
  private failed(jobId: string, reason: string | undefined): ProblemException {
    this.logger.warn(`label sheet job ${jobId} failed: ${reason ?? 'no reason given'}`);
    return new ProblemException(409, 'sheet-failed', 'Planche non produite', SHEET_FAILED_DETAIL);
  }

  downloadUrl(jobId: string): string {
    return `/api/v1/labels/sheets/${jobId}`;
  }

  /** Where a sheet job writes its file (relative to STORAGE_DIR, as the job's result names it). */
  relativeFile(jobId: string, template: SheetTemplate): string {
    return join('labels', `${jobId}.${sheetFormat(template).extension}`);
  }

  /** Deletes the sheet files older than SHEET_FILE_KEPT_MS: no job points to them any more. */
  async sweep(now = Date.now()): Promise<{ removed: number }> {
    const dir = this.absolute('labels');
    const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    let removed = 0;
    for (const name of names) {
      const path = join(dir, name);
      const info = await stat(path).catch(() => undefined); // a file renamed or removed meanwhile
      if (!info?.isFile() || now - info.mtimeMs < SHEET_FILE_KEPT_MS) continue;
      await rm(path, { force: true });
      removed++;
    }
    return { removed };
  }

  absolute(relative: string): string {
    return resolve(this.config.STORAGE_DIR, relative);
  }

  /** A finished sheet of the caller's: its file and format; 404 for anyone else, 409 until ready. */
  async download(p: Principal, jobId: string): Promise<{ path: string; format: SheetFormat; filename: string }> {
    if (!SHEET_JOB_ID.test(jobId)) throw notFound("Planche d'étiquettes");
    let read;
    try {
      read = await this.jobs.getJobAndState(jobId);
    } catch (error) {
      if (error instanceof QueueUnavailableError) throw queueUnreadable();
      throw error;
    }
    const job = read?.job;
    const requester = job?.name === 'labels.sheet' ? (job.data?.requester as Requester | undefined) : undefined;
    if (!read || !job || !requester || !isRequester(requester, p)) {
      throw notFound("Planche d'étiquettes");
    }
    const { state } = read;
    if (state === 'failed') throw this.failed(jobId, job.failedReason);
    if (state !== 'completed') {
      throw new ProblemException(409, 'not-ready', 'Planche pas encore prête', `La planche est en cours de production (${job.progress ?? 0} %). Suivez /api/v1/jobs/${jobId}.`, {
        state,
        progress: job.progress,
      });
    }
    const template = job.data.template as SheetTemplate;
    const path = this.absolute(this.relativeFile(jobId, template));
    try {
      await access(path);
    } catch {
      throw notFound("Fichier de la planche d'étiquettes");
    }
    const format = sheetFormat(template);
    return { path, format, filename: `etiquettes-${template}-${jobId}.${format.extension}` };
  }
}
