import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JOB_QUEUE, JobProducer, OnJob } from '@renum/jobs';
import { BeneficiaryRetentionService, RetentionSweep } from './beneficiary-retention.service';
import { CatalogSettings } from './catalog-settings';

export const RETENTION_SCHEDULER_ID = 'beneficiary-retention';

/**
 * Runs the retention sweep as a repeatable BullMQ job. The schedule is upserted at start-up
 * (`upsertJobScheduler` is idempotent: one scheduler per id, whatever the number of processes
 * or restarts), so changing BENEFICIARY_RETENTION_CRON takes effect at the next start.
 */
@Injectable()
export class BeneficiaryRetentionProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BeneficiaryRetention');
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly retention: BeneficiaryRetentionService,
    private readonly jobs: JobProducer,
    private readonly settings: CatalogSettings,
  ) {}

  @OnJob('beneficiary.retention')
  run(): Promise<RetentionSweep> {
    return this.retention.sweep();
  }

  onApplicationBootstrap(): void {
    // In the background: a Redis outage at start must neither block nor kill the process.
    void this.schedule();
  }

  async schedule(): Promise<void> {
    if (this.stopped) return;
    try {
      const queue = this.jobs.queue(JOB_QUEUE['beneficiary.retention']);
      await queue.waitUntilReady();
      await queue.upsertJobScheduler(
        RETENTION_SCHEDULER_ID,
        { pattern: this.settings.beneficiaryRetentionCron, tz: 'Europe/Paris' },
        {
          name: 'beneficiary.retention',
          data: {},
          opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
        },
      );
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn(`retention schedule not registered yet: ${(error as Error).message}`);
      this.retry = setTimeout(() => void this.schedule(), 30_000);
      this.retry.unref();
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
  }
}
