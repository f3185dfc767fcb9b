import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Allow, CurrentPrincipal } from '@renum/identity';
import type { Principal } from '@renum/identity';
import { isRequester, JobCatalogue, JobName, JobProducer, QueueUnavailableError, queueUnreadable, Requester } from '@renum/jobs';
import type { Job } from 'bullmq';
import { SHEET_FAILED_DETAIL } from '@renum/labels';
import { DeviceAccess, TRANSITION_FAILED_DETAIL, withInstance } from '@renum/lifecycle';
import { ApiProblems, notFound } from '@renum/platform';
import { DataSource } from 'typeorm';
import { JobState, TransitionJobResult } from './composition.schemas';

/**
 * What a requester reads of a failed job. A raw failure (an SQL error, a storage path, an errno)
 * stays in the worker's log: each job a caller may poll has its own French words instead. Imports
 * write theirs for the donor already (the processor replaces unforeseen errors).
 */
const FAILED_JOB_DETAIL: Partial<Record<JobName, string>> = {
  'device.transition': TRANSITION_FAILED_DETAIL,
  'labels.sheet': SHEET_FAILED_DETAIL,
  'erasure.certificate':
    "Le certificat n'a pas pu être produit après plusieurs essais. Demandez-le à nouveau plus tard ; si l'échec se répète, contactez la coordination Renum.",
};

export function failedJobDetail(name: JobName, rawReason: string | undefined): string | undefined {
  return FAILED_JOB_DETAIL[name] ?? rawReason;
}

/** State of a job the caller started (a transition that outlived the wait, an import, a sheet). */
@ApiTags('jobs')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobProducer,
    @InjectDataSource() private readonly db: DataSource,
    private readonly devices: DeviceAccess,
  ) {}

  @Get(':jobId')
  @Allow()
  @ApiOperation({ summary: 'Job state, progress and result; only for the requester' })
  @ApiExtraModels(TransitionJobResult)
  @ApiOkResponse({ type: JobState })
  @ApiProblems(401, [404, 'Unknown job, or started by someone else'], [503, 'queue-unavailable'])
  async get(@CurrentPrincipal() p: Principal, @Param('jobId') jobId: string) {
    let read;
    try {
      read = await this.jobs.getJobAndState(jobId);
    } catch (error) {
      if (error instanceof QueueUnavailableError) throw queueUnreadable();
      throw error;
    }
    if (read && (await this.mayRead(p, read.job))) {
      const { job, state } = read;
      // A transition's answer carries the request fingerprint and whether it was stored, for the api's own use; not shown.
      const { fingerprint: _fingerprint, ephemeral: _ephemeral, ...answer } = state === 'completed' ? (job.returnvalue ?? {}) : {};
      // A transition's answer is the body its request got, `instance` included.
      const result = job.name === 'device.transition' && answer.statusCode ? withInstance(answer, job.data.deviceId) : answer;
      return { id: jobId, state, progress: job.progress, ...(state === 'completed' ? { result } : {}), ...(state === 'failed' ? { failedReason: this.failedReason(job) } : {}) };
    }
    // A finished transition may have left Redis: its stored answer, applied or refused, is the truth.
    // Its requester alone reads it, as `isRequester` decides while the job is in Redis: the same
    // organisation, user and API key (a key has no user: another key of the organisation is not it).
    if (!read && jobId.startsWith('tr-')) {
      const [row] = await this.db.query(
        `SELECT status_code, body, device_id FROM idempotency_record
          WHERE id = $1 AND organization_id = $2 AND user_id IS NOT DISTINCT FROM $3 AND api_key_id IS NOT DISTINCT FROM $4`,
        [jobId, p.organizationId, p.userId ?? null, p.apiKeyId ?? null],
      );
      if (row) return { id: jobId, state: 'completed', progress: 100, result: withInstance({ statusCode: row.status_code, body: row.body }, row.device_id) };
    }
    // A finished import may have left Redis too: its result is kept in inventory_import.
    if (!read && jobId.startsWith('imp-')) {
      const [row] = await this.db.query(
        `SELECT status, result, failure_reason FROM inventory_import
          WHERE job_id = $1 AND organization_id = $2 AND created_by_user_id IS NOT DISTINCT FROM $3 AND created_by_api_key_id IS NOT DISTINCT FROM $4`,
        [jobId, p.organizationId, p.userId ?? null, p.apiKeyId ?? null],
      );
      if (row?.status === 'COMPLETED') return { id: jobId, state: 'completed', progress: 100, result: row.result };
      if (row?.status === 'FAILED') return { id: jobId, state: 'failed', progress: 100, failedReason: row.failure_reason };
    }
    throw notFound('Tâche');
  }

  private failedReason(job: Job): string | undefined {
    return failedJobDetail(job.name as JobName, job.failedReason);
  }

  /**
   * A job is its requester's. A certificate job is shared by everyone asking for the same head of
   * a device's history (its id says so), and each was given its status URL: anyone who may see
   * the device reads it.
   */
  private async mayRead(p: Principal, job: Job): Promise<boolean> {
    if (job.name === 'erasure.certificate') {
      return this.devices.resolve(p, (job.data as JobCatalogue['erasure.certificate']).deviceId).then(
        () => true,
        () => false,
      );
    }
    const requester = (job.data?.actor ?? job.data?.requester) as Requester | 'system' | undefined;
    return typeof requester === 'object' && isRequester(requester, p);
  }
}
