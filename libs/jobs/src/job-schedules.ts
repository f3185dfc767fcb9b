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

/**
 * Registers a repeatable job (BullMQ job scheduler) in the background: a Redis outage at start
 * neither blocks nor kills the process, it retries every 30 s. `upsertJobScheduler` is
 * idempotent, so a changed pattern takes effect at the next start. Returns a function that
 * stops the retries, for shutdown.
 */
export function keepScheduled<N extends JobName>(jobs: JobProducer, schedule: Schedule<N>): () => void {
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
