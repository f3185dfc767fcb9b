import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobCatalogue, OnJob } from '@renum/jobs';
import { DelayedError, Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { requestFingerprint, TransitionAnswer, TransitionService } from './transition.service';

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
    return { released: outcome.statusCode === 200, ...(outcome.statusCode === 200 ? {} : { reason: String(outcome.body.detail) }) };
  }
}
