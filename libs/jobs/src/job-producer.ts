import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { FORGOTTEN_WHEN_DONE, JOB_QUEUE, JobCatalogue, JobName, QueueName, queueOfJobId } from './job-catalogue';
import { RedisConnections } from './redis-connections';

export class QueueUnavailableError extends Error {
  constructor(cause?: unknown) {
    super(`Queue unavailable: ${(cause as Error)?.message ?? cause}`);
  }
}

export type WaitOutcome<T> = { state: 'completed'; value: T } | { state: 'failed'; reason: string } | { state: 'timeout' };

const ADD_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

/** The only way code puts work on a queue. */
@Injectable()
export class JobProducer implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly events = new Map<QueueName, QueueEvents>();
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
          removeOnComplete: FORGOTTEN_WHEN_DONE.has(name) ? true : { age: 24 * 3600, count: 10000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        }),
        ADD_TIMEOUT_MS,
      );
    } catch (error) {
      throw new QueueUnavailableError(error);
    }
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
   * Enqueues, then waits for the outcome at most `timeoutMs`. It listens before adding, so the
   * outcome of a new job cannot pass unseen, and asks Redis for the job's state only when the id
   * was already taken (BullMQ's waitUntilFinished asks every time: a round trip per request on
   * the transition path). Throws QueueUnavailableError as `enqueue` does.
   */
  async enqueueAndWait<N extends JobName, T>(
    name: N,
    data: JobCatalogue[N],
    opts: { jobId: string; attempts?: number },
    timeoutMs: number,
  ): Promise<{ job: Job; outcome: WaitOutcome<T> }> {
    const started = Date.now();
    if (this.connection.status !== 'ready') throw new QueueUnavailableError(`Redis connection ${this.connection.status}`);
    const events = await withTimeout(this.eventsOf(JOB_QUEUE[name]), ADD_TIMEOUT_MS).catch((error) => {
      throw new QueueUnavailableError(error);
    });
    let settle!: (outcome: WaitOutcome<T> | 'duplicated') => void;
    const first = new Promise<WaitOutcome<T> | 'duplicated'>((resolve) => (settle = resolve));
    // QueueEvents emits `<event>:<jobId>` for every event of the stream; its typings list only the plain names.
    const emitter = events as unknown as EventEmitter;
    const listeners: [string, (args: { returnvalue?: unknown; failedReason?: string }) => void][] = [
      [`completed:${opts.jobId}`, (args) => settle({ state: 'completed', value: args.returnvalue as T })],
      [`failed:${opts.jobId}`, (args) => settle({ state: 'failed', reason: args.failedReason ?? 'failed' })],
      [`duplicated:${opts.jobId}`, () => settle('duplicated')],
    ];
    for (const [event, listener] of listeners) emitter.on(event, listener);
    const timer = setTimeout(() => settle({ state: 'timeout' }), timeoutMs);
    try {
      const job = await this.enqueue(name, data, opts);
      const outcome = await first;
      // The id was taken: that job may have finished before we listened, so ask.
      if (outcome === 'duplicated') return { job, outcome: await this.waitFor<T>(job, Math.max(1, timeoutMs - (Date.now() - started))) };
      return { job, outcome };
    } finally {
      clearTimeout(timer);
      for (const [event, listener] of listeners) emitter.removeListener(event, listener);
    }
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

  private async eventsOf(queueName: QueueName): Promise<QueueEvents> {
    let events = this.events.get(queueName);
    if (!events) {
      events = new QueueEvents(queueName, { connection: this.connections.blocking(), prefix: this.prefix });
      events.on('error', () => undefined);
      events.setMaxListeners(0); // listeners per waiting request
      this.events.set(queueName, events);
    }
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
    await Promise.all([...this.events.values()].map((e) => e.close().catch(() => undefined)));
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}
