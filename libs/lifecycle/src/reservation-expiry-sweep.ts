import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobProducer, keepScheduled, OnJob, outboxJobId } from '@renum/jobs';
import { DataSource } from 'typeorm';

export const OVERDUE_SWEEP_SCHEDULER_ID = 'reservation-expire-overdue';
/** Every 10 minutes: a reservation the delayed job missed is released at most ~15 minutes late. */
export const OVERDUE_SWEEP_PATTERN = '*/10 * * * *';
/** The delayed job fires at expires_at and spends its attempts in ~30 s: it goes first. */
export const OVERDUE_GRACE_MS = 5 * 60_000;
const BATCH = 1000;

/**
 * The expiry job of a reservation: the one its outbox row published (so a job waiting for its
 * hourly retry is seen as such, not doubled), or, once that row was purged (a week after it was
 * due), one of the sweep's own, whatever the number of sweeps.
 */
export const overdueExpiryJobId = (reservationId: string, outboxId: string | null = null) =>
  outboxId ? outboxJobId('reservation.expire', outboxId) : `tr-expire-${reservationId}`;

export interface OverdueSweep {
  overdue: number;
  enqueued: number;
  /** Already on its way: waiting, running, or back in the delayed set (a refused expiry retried hourly). */
  pending: number;
}

/**
 * Safety net of invariant 3. A reservation expires through a delayed `reservation.expire` job
 * written through the outbox; that job can be lost (Redis lost its data while the outbox row says
 * published) or fail for good (a database fault of a minute at expiry time spends its 8 attempts).
 * This periodic sweep enqueues the expiry of every ACTIVE reservation overdue by more than the
 * grace, through the same handler (`TransitionProcessor.expire`: the release's idempotency key
 * `expire-<reservationId>` keeps it exactly once, and a refusal moves the job back to the delayed
 * set hourly). The job id is the one the outbox published, so a job still waiting is left alone and
 * repeated sweeps dedupe, and one that failed is removed and added again (`enqueueUnlessPending`).
 */
@Injectable()
export class ReservationExpirySweep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ReservationExpirySweep');
  private stop?: () => void;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobProducer,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = keepScheduled(this.jobs, { id: OVERDUE_SWEEP_SCHEDULER_ID, name: 'reservation.expire-overdue', pattern: OVERDUE_SWEEP_PATTERN, data: {} });
  }

  beforeApplicationShutdown(): void {
    this.stop?.();
  }

  @OnJob('reservation.expire-overdue')
  run(): Promise<OverdueSweep> {
    return this.sweep();
  }

  async sweep(now: Date = new Date()): Promise<OverdueSweep> {
    const result: OverdueSweep = { overdue: 0, enqueued: 0, pending: 0 };
    const failures: string[] = [];
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      // Overdue reservations are few (a lost job, a refused release waiting for a new erasure): the
      // look-up of each one's outbox row, by its payload, is not worth an index.
      const rows: { id: string; device_id: string; outbox_id: string | null }[] = await this.db.query(
        `SELECT r.id, r.device_id,
                (SELECT o.id FROM outbox_message o WHERE o.job_name = 'reservation.expire' AND o.payload->>'reservationId' = r.id::text ORDER BY o.id LIMIT 1) AS outbox_id
           FROM reservation r WHERE r.status = 'ACTIVE' AND r.expires_at < $1 AND r.id > $2 ORDER BY r.id LIMIT ${BATCH}`,
        [new Date(now.getTime() - OVERDUE_GRACE_MS), after],
      );
      for (const r of rows) {
        result.overdue++;
        try {
          const jobId = overdueExpiryJobId(r.id, r.outbox_id);
          const outcome = await this.jobs.enqueueUnlessPending('reservation.expire', { reservationId: r.id, deviceId: r.device_id }, { jobId });
          result[outcome === 'added' ? 'enqueued' : 'pending']++;
        } catch (error) {
          failures.push(`${r.id}: ${(error as Error).message}`);
        }
      }
      if (rows.length < BATCH) break;
      after = rows[rows.length - 1].id;
    }
    if (result.enqueued) this.logger.warn({ msg: 'overdue reservations sent to expiry again', ...result });
    // The others were enqueued; the job is retried (and the next sweep comes anyway).
    if (failures.length) throw new Error(`expiry of ${failures.length} overdue reservation(s) not enqueued: ${failures.slice(0, 3).join('; ')}`);
    return result;
  }
}
