import { Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import { transactionOpenedWith, type Statement } from '@renum/db';
import { uuidv7 } from '@renum/platform';
import { DataSource, EntityManager } from 'typeorm';
import { JobCatalogue, JobName, JOB_QUEUE, QUEUE_ID_PREFIX } from './job-catalogue';
import { JobProducer } from './job-producer';

export interface OutboxEntry<N extends JobName = JobName> {
  jobName: N;
  payload: JobCatalogue[N];
  runAt?: Date;
}

/** The INSERT of `outbox_message` rows, to run inside the caller's transaction. */
export function outboxInsert(entries: OutboxEntry[]): Statement | undefined {
  if (entries.length === 0) return undefined;
  return {
    sql: `INSERT INTO outbox_message (id, job_name, payload, run_at)
          SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::timestamptz[])`,
    params: [entries.map(() => uuidv7()), entries.map((e) => e.jobName), entries.map((e) => JSON.stringify(e.payload)), entries.map((e) => e.runAt ?? null)],
  };
}

/** Writes `outbox_message` rows inside the caller's transaction. */
export async function writeOutbox(manager: EntityManager, entries: OutboxEntry[]): Promise<void> {
  const insert = outboxInsert(entries);
  if (insert) await manager.query(insert.sql, insert.params);
}

export function outboxJobId(jobName: JobName, outboxId: string): string {
  return `${QUEUE_ID_PREFIX[JOB_QUEUE[jobName]]}-ob-${outboxId}`;
}

/** Published rows are kept a week after their job was due; the relay looks at most hourly. */
const PURGE_AFTER_MS = 7 * 24 * 3600 * 1000;
const PURGE_EVERY_MS = 3600 * 1000;

/**
 * Publishes unpublished rows. Rows are locked with SKIP LOCKED so several workers can relay at
 * once; a row is marked published only after Redis acknowledged the job, in the same
 * transaction, so a failure leaves it for the next round (at least once; job ids dedupe).
 */
@Injectable()
export class OutboxRelay implements BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;
  private lastPurge = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: JobProducer,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.relayOnce()
        .then(async (n) => {
          if (n === 0 && Date.now() - this.lastPurge > PURGE_EVERY_MS) {
            this.lastPurge = Date.now();
            await this.purgePublished();
          }
          this.schedule(n > 0 ? 0 : this.pollMs);
        })
        .catch((error) => {
          this.logger.warn(`outbox relay paused: ${(error as Error).message}`);
          this.schedule(Math.max(this.pollMs, 1000));
        });
    }, ms);
  }

  /**
   * One batch; returns how many rows were published. BEGIN travels with the locking read and
   * COMMIT with the marking write: under load the relay runs a batch every few transitions, and
   * its round trips to PostgreSQL were a third of the worker's.
   */
  async relayOnce(batch = 200): Promise<number> {
    return transactionOpenedWith(
      this.dataSource,
      [
        {
          sql: `SELECT id, job_name, payload, run_at FROM outbox_message
                 WHERE published_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          params: [batch],
        },
      ],
      async (_manager, [rows]) => {
        const due = rows as { id: string; job_name: JobName; payload: never; run_at: Date | null }[];
        if (due.length === 0) return { value: 0 };
        const now = Date.now();
        await Promise.all(
          due.map((row) =>
            this.producer.enqueue(row.job_name, row.payload, {
              jobId: outboxJobId(row.job_name, row.id),
              delayMs: row.run_at ? new Date(row.run_at).getTime() - now : undefined,
            }),
          ),
        );
        return {
          value: due.length,
          lastWrite: { sql: `UPDATE outbox_message SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])`, params: [due.map((r) => r.id)] },
        };
      },
    );
  }

  /**
   * Published rows are transport, not history (the event chain is): each transition leaves one or
   * two, so they are dropped a week after they were published and their job was due.
   */
  async purgePublished(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - PURGE_AFTER_MS);
    const [, count] = await this.dataSource.query(`DELETE FROM outbox_message WHERE published_at < $1 AND (run_at IS NULL OR run_at < $1)`, [cutoff]);
    return count;
  }

  // Before the shutdown step in which PostgreSQL and Redis close: the last jobs and batch still need them.
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
