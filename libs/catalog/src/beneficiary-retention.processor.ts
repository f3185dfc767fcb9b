import { Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { JobProducer, keepScheduled, OnJob } from '@renum/jobs';
import { BeneficiaryRetentionService, RetentionSweep } from './beneficiary-retention.service';
import { CatalogSettings } from './catalog-settings';

export const RETENTION_SCHEDULER_ID = 'beneficiary-retention';

/**
 * Runs the retention sweep as a repeatable BullMQ job, scheduled at start-up: changing
 * BENEFICIARY_RETENTION_CRON takes effect at the next start.
 */
@Injectable()
export class BeneficiaryRetentionProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stop?: () => void;

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
    this.stop = keepScheduled(this.jobs, { id: RETENTION_SCHEDULER_ID, name: 'beneficiary.retention', pattern: this.settings.beneficiaryRetentionCron, data: {} });
  }

  beforeApplicationShutdown(): void {
    this.stop?.();
  }
}
