import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CatalogSettings } from './catalog-settings';

export interface RetentionSweep {
  cutoff: string;
  months: number;
  distributions: number;
  reservations: number;
}

const BATCH = 5000;

/**
 * RGPD storage limitation (art. 5.1.e): a beneficiary reference hash is kept only while a
 * charity may need to find its file again (after-sales), then erased. Eligibility, postal code,
 * dates and prices stay: they are the territory's statistics and identify no one.
 */
@Injectable()
export class BeneficiaryRetentionService {
  private readonly logger = new Logger('BeneficiaryRetention');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: CatalogSettings,
  ) {}

  /**
   * Erases hashes older than the period: distributions by hand-over date, reservations by the
   * date they closed (or were created, if still open). Small batches, each its own statement,
   * so a large backlog never holds many row locks at once. Safe to run twice.
   */
  async sweep(now: Date = new Date(), months: number = this.settings.beneficiaryRetentionMonths): Promise<RetentionSweep> {
    const [{ cutoff }] = await this.db.query(`SELECT ($1::timestamptz - make_interval(months => $2)) AS cutoff`, [now, months]);
    const distributions = await this.inBatches(
      `UPDATE distribution SET beneficiary_ref_hash = NULL
        WHERE id IN (SELECT id FROM distribution WHERE beneficiary_ref_hash IS NOT NULL AND distributed_at < $1 LIMIT ${BATCH})`,
      cutoff,
    );
    const reservations = await this.inBatches(
      `UPDATE reservation SET beneficiary_ref_hash = NULL
        WHERE id IN (SELECT id FROM reservation WHERE beneficiary_ref_hash IS NOT NULL AND COALESCE(closed_at, created_at) < $1 LIMIT ${BATCH})`,
      cutoff,
    );
    const result = { cutoff: new Date(cutoff).toISOString(), months, distributions, reservations };
    if (distributions || reservations) this.logger.log({ msg: 'beneficiary references erased', ...result });
    return result;
  }

  private async inBatches(sql: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [, count]: [unknown, number] = await this.db.query(sql, [cutoff]);
      total += count;
      if (count < BATCH) return total;
    }
  }
}
