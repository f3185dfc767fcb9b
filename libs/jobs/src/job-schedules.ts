import { Logger } from '@nestjs/common';
import { JOB_QUEUE, JobCatalogue, JobName } from './job-catalogue';
import { JobProducer } from './job-producer';

export interface Schedule<N extends JobName> {
  /** One scheduler per id in Redis, whatever the number of processes or restarts. */
  id: string;
  name: N;
  /** Cron pattern, read in Europe/Paris time. */
  pattern: string;
  data: JobCatalogue[N];
}

const RETRY_MS = 30_000;
/** Registered again this often: a Redis that lost its data (no AOF, a flush) gets the scheduler back without a restart. */
const REFRESH_MS = 3600_000;

/**
 * Registers a repeatable job (BullMQ job scheduler) in the background: a Redis outage at start
 * neither blocks nor kills the process, it retries every 30 s. `upsertJobScheduler` is
 * idempotent, so a changed pattern takes effect at the next start, and it is repeated hourly.
 * Returns a function that stops the retries, for shutdown.
 */
export function keepScheduled<N extends JobName>(jobs: JobProducer, schedule: Schedule<N>, refreshMs = REFRESH_MS): () => void {
  const logger = new Logger('JobSchedules');
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const register = async (): Promise<void> => {
    if (stopped) return;
    try {
      const queue = jobs.queue(JOB_QUEUE[schedule.name]);
      await queue.waitUntilReady();
      await queue.upsertJobScheduler(
        schedule.id,
        { pattern: schedule.pattern, tz: 'Europe/Paris' },
        {
          name: schedule.name,
          data: schedule.data,
          opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
        },
      );
      retry = setTimeout(() => void register(), refreshMs);
      retry.unref();
    } catch (error) {
      if (stopped) return;
      logger.warn(`schedule ${schedule.id} not registered yet: ${(error as Error).message}`);
      retry = setTimeout(() => void register(), RETRY_MS);
      retry.unref();
    }
  };
  void register();
  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
  };
}
