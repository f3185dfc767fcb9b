import { Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { JobProducer, keepScheduled, OnJob } from '@renum/jobs';
import { RecheckService } from './recheck.service';

export const RECHECK_DRAW_SCHEDULER_ID = 'erasure-draw-for-recheck';
/**
 * Every 15 minutes, not hourly or daily: a drawn medium is re-checked by another technician while
 * its device is still on the workshop's bench, and a device erased by hand can be wiped,
 * refurbished and published within the hour; drawn after it left, a FAILED re-check is a data
 * incident instead of an erasure done again. The run is one anti-join over erasure records plus
 * a short transaction per workshop that has undrawn erasures.
 */
export const RECHECK_DRAW_PATTERN = '*/15 * * * *';

/**
 * R2v3 asks for an independent re-check of at least 5 % of logically wiped media. Imported
 * reports are drawn when recorded; erasures typed by hand (`POST /devices/{d}/erasures`, in
 * libs/lifecycle, which does not know this lib) entered a draw only when a workshop admin asked
 * for one. This job draws them for every workshop, through the same code as that request, but
 * only those whose disk is still on the workshop's bench (RecheckService.drawExisting).
 */
@Injectable()
export class RecheckDrawProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stop?: () => void;

  constructor(
    private readonly rechecks: RecheckService,
    private readonly jobs: JobProducer,
  ) {}

  @OnJob('erasure.draw-for-recheck')
  run(): Promise<{ workshops: number; considered: number; selected: number }> {
    return this.rechecks.drawEveryWorkshop();
  }

  onApplicationBootstrap(): void {
    this.stop = keepScheduled(this.jobs, { id: RECHECK_DRAW_SCHEDULER_ID, name: 'erasure.draw-for-recheck', pattern: RECHECK_DRAW_PATTERN, data: {} });
  }

  beforeApplicationShutdown(): void {
    this.stop?.();
  }
}
