import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobCatalogue, OnJob } from '@renum/jobs';
import { DelayedError, Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { requestFingerprint, TransitionAnswer, TransitionService } from './transition.service';

const BLOCKED_EXPIRY_RETRY_MS = 3600_000;

/** Worker-side handlers of the lifecycle jobs. Each is safe to run twice. */
@Injectable()
export class TransitionProcessor {
  private readonly logger = new Logger('Lifecycle');

  constructor(
    private readonly transitions: TransitionService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  @OnJob('device.transition')
  applyTransition(data: JobCatalogue['device.transition']): Promise<TransitionAnswer> {
    return this.transitions.apply(data);
  }

  /** First consumer of the outbox: a notification per committed change (webhooks plug in here). */
  @OnJob('device.transitioned')
  async notify(data: JobCatalogue['device.transitioned']): Promise<{ notified: true }> {
    this.logger.log({ msg: 'device transitioned', ...data });
    return { notified: true };
  }

  /**
   * Delayed job scheduled through the outbox at reservation time. Releases the device through
   * the ordinary transition path under a key derived from the reservation, so a second
   * delivery finds the stored answer; a reservation already distributed or released is a no-op.
   * Delivered before it is due (the relay's clock ahead of this worker's, a job promoted by
   * hand), it goes back to the delayed set until then: answering "not yet" and completing
   * would leave the device reserved for good.
   */
  @OnJob('reservation.expire')
  async expire(data: JobCatalogue['reservation.expire'], job: Job, token?: string): Promise<{ released: boolean; reason?: string }> {
    const [reservation] = await this.db.query('SELECT status, expires_at FROM reservation WHERE id = $1', [data.reservationId]);
    if (!reservation || reservation.status !== 'ACTIVE') return { released: false, reason: `reservation ${reservation?.status ?? 'missing'}` };
    const due = new Date(reservation.expires_at).getTime();
    if (due > Date.now()) {
      await job.moveToDelayed(due, token);
      throw new DelayedError(`reservation ${data.reservationId} expires at ${new Date(due).toISOString()}`);
    }
    const payload = { reason: 'Réservation expirée', reservationId: data.reservationId };
    const outcome = await this.transitions.apply({
      deviceId: data.deviceId,
      action: 'release',
      payload,
      actor: 'system',
      key: `expire-${data.reservationId}`,
      fingerprint: requestFingerprint('release', payload),
    });
    if (outcome.statusCode === 422) {
      // The device lost its erasure proof while reserved (a failed re-check, a disk found since):
      // it may not return to the catalogue until the workshop erases it again, and the
      // reservation must not stay active for good. Tried again hourly until it goes through.
      this.logger.warn(`reservation ${data.reservationId} not released yet: ${String(outcome.body.detail)}`);
      await job.moveToDelayed(Date.now() + BLOCKED_EXPIRY_RETRY_MS, token);
      throw new DelayedError(`reservation ${data.reservationId}: release refused, tried again later`);
    }
    return { released: outcome.statusCode === 200, ...(outcome.statusCode === 200 ? {} : { reason: String(outcome.body.detail) }) };
  }
}
