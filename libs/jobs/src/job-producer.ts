import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { TimeoutError, withTimeout } from '@renum/platform';
import { DONE_JOB_KEPT_SECONDS, FORGOTTEN_WHEN_DONE, JOB_QUEUE, JobCatalogue, JobName, QueueName, queueOfJobId } from './job-catalogue';
import { RedisConnections } from './redis-connections';

export class QueueUnavailableError extends Error {
  constructor(cause?: unknown) {
    super(`Queue unavailable: ${(cause as Error)?.message ?? cause}`);
  }
}

/**
 * The add was sent but Redis did not confirm it in time (a stalled Redis, a slow network): the job
 * may still be added when Redis catches up, so the caller must not say that nothing was done.
 */
export class QueueAddUnconfirmedError extends QueueUnavailableError {
  constructor(
    readonly jobId: string,
    cause?: unknown,
  ) {
    super(cause);
  }
}

export type WaitOutcome<T> = { state: 'completed'; value: T } | { state: 'failed'; reason: string } | { state: 'timeout' };

const ADD_TIMEOUT_MS = 2000;

/** The only way code puts work on a queue. */
@Injectable()
export class JobProducer implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly events = new Map<QueueName, Promise<QueueEvents>>();
  private readonly connection: Redis;

  constructor(
    private readonly connections: RedisConnections,
    readonly prefix: string,
  ) {
    // Queues only issue short commands, so they share one fail-fast connection.
    this.connection = connections.producer();
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      queue.on('error', () => undefined); // reported once by RedisConnections
      queue.setMaxListeners(0);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<N extends JobName>(
    name: N,
    data: JobCatalogue[N],
    opts: { jobId: string; delayMs?: number; attempts?: number },
  ): Promise<Job> {
    // A disconnected client would hold the add and replay it once Redis is back, after the
    // caller was told 503: refuse at once instead.
    if (this.connection.status !== 'ready') throw new QueueUnavailableError(`Redis connection ${this.connection.status}`);
    try {
      return await withTimeout(
        this.queue(JOB_QUEUE[name]).add(name, data, {
          jobId: opts.jobId,
          delay: opts.delayMs && opts.delayMs > 0 ? opts.delayMs : undefined,
          attempts: opts.attempts ?? 8,
          backoff: { type: 'exponential', delay: 200 },
          removeOnComplete: FORGOTTEN_WHEN_DONE.has(name) ? true : { age: DONE_JOB_KEPT_SECONDS, count: 10000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        }),
        ADD_TIMEOUT_MS,
      );
    } catch (error) {
      throw error instanceof TimeoutError ? new QueueAddUnconfirmedError(opts.jobId, error) : new QueueUnavailableError(error);
    }
  }

  /**
   * Adds a job under `jobId` unless one under that id is still to run (waiting, delayed, active),
   * for periodic sweeps: a sweep repeated adds nothing twice. BullMQ ignores an add whose id
   * exists in any state, and finished jobs stay in Redis (failed ones a week), so a finished one
   * is removed first, as `enqueueAndWait` does: its attempts were spent on earlier conditions (a
   * database fault), or it completed and the caller, sweeping again, knows its outcome outdated.
   * Every handler is safe to run twice. Throws QueueUnavailableError as `enqueue` does.
   */
  async enqueueUnlessPending<N extends JobName>(name: N, data: JobCatalogue[N], opts: { jobId: string; attempts?: number }): Promise<'added' | 'pending'> {
    if (this.connection.status !== 'ready') throw new QueueUnavailableError(`Redis connection ${this.connection.status}`);
    const queue = this.queue(JOB_QUEUE[name]);
    try {
      const existing = await withTimeout(Job.fromId(queue, opts.jobId), ADD_TIMEOUT_MS);
      if (existing) {
        // One read of the job's hash: finishedOn is set when it completed or failed for good.
        if (existing.finishedOn === undefined) return 'pending';
        // Refused when a twin sweep removed it first: then the add below is theirs or a no-op.
        await withTimeout(existing.remove(), ADD_TIMEOUT_MS).catch(() => undefined);
      }
    } catch (error) {
      throw new QueueUnavailableError(error);
    }
    await this.enqueue(name, data, opts);
    return 'added';
  }

  async getJob(jobId: string): Promise<Job | undefined> {
    const queueName = queueOfJobId(jobId);
    if (!queueName) return undefined;
    try {
      return (await withTimeout(this.queue(queueName).getJob(jobId), ADD_TIMEOUT_MS)) ?? undefined;
    } catch (error) {
      throw new QueueUnavailableError(error);
    }
  }

  /**
   * A job and its state, read consistently: a job that finished between the two reads is read
   * again, else its result, failure and progress would be those from before it finished (a
   * fresh-clone CI run saw an import answer `completed` with an empty result).
   */
  async getJobAndState(jobId: string): Promise<{ job: Job; state: string } | undefined> {
    let job = await this.getJob(jobId);
    if (!job) return undefined;
    let state: string;
    try {
      state = await withTimeout(job.getState(), ADD_TIMEOUT_MS);
    } catch (error) {
      throw new QueueUnavailableError(error);
    }
    if ((state === 'completed' || state === 'failed') && !job.finishedOn) job = (await this.getJob(jobId)) ?? job;
    return { job, state };
  }

  /**
   * Enqueues, then waits for the outcome at most `timeoutMs`. It listens before adding, so the
   * outcome of a new job cannot pass unseen, and asks Redis about the job only when the id was
   * already taken (BullMQ's waitUntilFinished asks every time: a round trip per request on the
   * transition path). A job under that id that finished gives its outcome, unless it finished
   * before this call and that outcome does not hold for a new request: a failure (its attempts
   * were spent on an earlier request's conditions; failed jobs stay a week), or an answer `stale`
   * says must not outlive the moment it was given (a transition answer not kept under its key).
   * Such a job is removed and added again, since every handler is safe to run twice. Throws
   * QueueUnavailableError as `enqueue` does.
   */
  async enqueueAndWait<N extends JobName, T>(
    name: N,
    data: JobCatalogue[N],
    opts: { jobId: string; attempts?: number; stale?: (answer: T) => boolean },
    timeoutMs: number,
  ): Promise<{ job: Job; outcome: WaitOutcome<T> }> {
    const started = Date.now();
    const outdated = (outcome: WaitOutcome<T>) => outcome.state === 'failed' || (outcome.state === 'completed' && opts.stale?.(outcome.value) === true);
    if (this.connection.status !== 'ready') throw new QueueUnavailableError(`Redis connection ${this.connection.status}`);
    const events = await withTimeout(this.eventsOf(JOB_QUEUE[name]), ADD_TIMEOUT_MS).catch((error) => {
      throw new QueueUnavailableError(error);
    });
    let settle!: (outcome: WaitOutcome<T> | 'duplicated') => void;
    const next = () => new Promise<WaitOutcome<T> | 'duplicated'>((resolve) => (settle = resolve));
    let adding = false;
    // QueueEvents emits `<event>:<jobId>` for every event of the stream; its typings list only the plain names.
    const emitter = events as unknown as EventEmitter;
    const listeners: [string, (args: { returnvalue?: unknown; failedReason?: string }) => void][] = [
      [`completed:${opts.jobId}`, (args) => settle({ state: 'completed', value: args.returnvalue as T })],
      [`failed:${opts.jobId}`, (args) => settle({ state: 'failed', reason: args.failedReason ?? 'failed' })],
      // Also raised by twins of this request adding the same id: it matters only while we add.
      [`duplicated:${opts.jobId}`, () => adding && settle('duplicated')],
    ];
    for (const [event, listener] of listeners) emitter.on(event, listener);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      settle({ state: 'timeout' });
    }, timeoutMs);
    try {
      for (let round = 1; ; round++) {
        const pending = next();
        adding = true;
        const job = await this.enqueue(name, data, opts);
        const outcome = await pending;
        adding = false;
        if (outcome !== 'duplicated') return { job, outcome };
        // The id was taken: that job may have finished before we listened, or be gone since.
        const waiting = next();
        const existing = await this.finished<T>(JOB_QUEUE[name], opts.jobId);
        if (existing === 'unfinished') return { job, outcome: (await waiting) as WaitOutcome<T> };
        if (existing === 'gone' || (existing.job.finishedOn! < started && outdated(existing.outcome))) {
          if (existing !== 'gone') await existing.job.remove().catch(() => undefined);
          if (round < 3 && !timedOut) continue;
          return { job, outcome: (await waiting) as WaitOutcome<T> };
        }
        return { job: existing.job, outcome: existing.outcome };
      }
    } finally {
      clearTimeout(timer);
      for (const [event, listener] of listeners) emitter.removeListener(event, listener);
    }
  }

  /**
   * A job already finished, with its outcome, without waiting: one read of the job's hash, so the
   * outcome and the state come from the same job even if it is replaced meanwhile. The handlers
   * callers wait for always return a value; a finished job without one failed.
   */
  private async finished<T>(queueName: QueueName, jobId: string): Promise<{ job: Job; outcome: WaitOutcome<T> } | 'unfinished' | 'gone'> {
    const job = await withTimeout(Job.fromId(this.queue(queueName), jobId), ADD_TIMEOUT_MS).catch((error) => {
      // Asked only when the id was taken: a job under it exists, so its outcome is unknown, not void.
      throw new QueueAddUnconfirmedError(jobId, error);
    });
    if (!job) return 'gone';
    if (job.finishedOn === undefined) return 'unfinished';
    const outcome: WaitOutcome<T> = job.returnvalue != null ? { state: 'completed', value: job.returnvalue as T } : { state: 'failed', reason: job.failedReason ?? 'failed' };
    return { job, outcome };
  }

  /** Waits for a job's outcome for at most `timeoutMs`; the database stays the truth. */
  async waitFor<T>(job: Job, timeoutMs: number): Promise<WaitOutcome<T>> {
    const events = await this.eventsOf(job.queueName as QueueName);
    try {
      return { state: 'completed', value: (await job.waitUntilFinished(events, timeoutMs)) as T };
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      if (/timed out/i.test(message)) return { state: 'timeout' };
      return { state: 'failed', reason: message };
    }
  }

  private eventsOf(queueName: QueueName): Promise<QueueEvents> {
    let events = this.events.get(queueName);
    if (!events) {
      events = this.openEvents(queueName).catch((error) => {
        this.events.delete(queueName); // tried again by the next caller
        throw error;
      });
      this.events.set(queueName, events);
    }
    return events;
  }

  /**
   * QueueEvents reads the stream from where it stood when its first read reached Redis ('$'),
   * which may be after `waitUntilReady`: an outcome written in between was lost (a wait that
   * timed out on a finished job). It starts instead from the stream's last entry, read first.
   */
  private async openEvents(queueName: QueueName): Promise<QueueEvents> {
    const [last] = await this.connection.xrevrange(this.queue(queueName).keys.events, '+', '-', 'COUNT', 1);
    const events = new QueueEvents(queueName, { connection: this.connections.blocking(), prefix: this.prefix, lastEventId: last?.[0] ?? '0-0' });
    events.on('error', () => undefined);
    events.setMaxListeners(0); // listeners per waiting request
    await events.waitUntilReady();
    return events;
  }

  async ping(): Promise<boolean> {
    try {
      return (await withTimeout(this.connection.ping(), 1000)) === 'PONG';
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.events.values()].map((e) => e.then((events) => events.close()).catch(() => undefined)));
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}
