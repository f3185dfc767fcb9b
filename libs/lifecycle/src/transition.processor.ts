import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobCatalogue, OnJob } from '@renum/jobs';
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
   */
  @OnJob('reservation.expire')
  async expire(data: JobCatalogue['reservation.expire']): Promise<{ released: boolean; reason?: string }> {
    const [reservation] = await this.db.query('SELECT status, expires_at FROM reservation WHERE id = $1', [data.reservationId]);
    if (!reservation || reservation.status !== 'ACTIVE') return { released: false, reason: `reservation ${reservation?.status ?? 'missing'}` };
    if (new Date(reservation.expires_at).getTime() > Date.now()) return { released: false, reason: 'not yet expired' };
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
