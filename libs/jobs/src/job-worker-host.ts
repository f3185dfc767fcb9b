import { Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { JobName, QUEUE_NAMES, QueueName } from './job-catalogue';
import { JobRegistry } from './job-registry';
import { RedisConnections } from './redis-connections';

export interface WorkerSettings {
  prefix: string;
  concurrency: number;
  lockDurationMs: number;
}

// CPU-bound queues (PDF rendering, CSV parsing) get few slots; transitions are I/O-bound.
const CONCURRENCY_SHARE: Record<QueueName, number | 'config'> = { transitions: 'config', events: 8, documents: 2, imports: 2 };

/** Runs the job processors. Started only by the worker process (and by integration tests). */
@Injectable()
export class JobWorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger('JobWorkerHost');
  private workers: Worker[] = [];

  constructor(
    private readonly registry: JobRegistry,
    private readonly connections: RedisConnections,
    private readonly settings: WorkerSettings,
  ) {}

  async start(): Promise<void> {
    this.registry.assertComplete();
    this.workers = QUEUE_NAMES.map((queue) => {
      const share = CONCURRENCY_SHARE[queue];
      const worker = new Worker(queue, (job, token) => this.registry.handle(job.name as JobName, job.data, job, token), {
        connection: this.connections.blocking(),
        prefix: this.settings.prefix,
        concurrency: share === 'config' ? this.settings.concurrency : share,
        lockDuration: this.settings.lockDurationMs,
        stalledInterval: Math.max(500, Math.floor(this.settings.lockDurationMs / 2)),
        maxStalledCount: 3,
      });
      worker.on('failed', (job, err) => {
        if (err?.name !== 'UnrecoverableError') this.logger.warn(`job ${job?.id} (${job?.name}) failed: ${err?.message}`);
      });
      worker.on('error', () => undefined); // connection errors are reported once by RedisConnections
      return worker;
    });
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    this.logger.log(`consuming ${QUEUE_NAMES.join(', ')} (prefix ${this.settings.prefix})`);
  }

  /** Graceful stop: active jobs finish, nothing new is taken. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers = [];
  }

  /** Simulates a crash in tests: drops jobs mid-flight without releasing their locks. */
  async kill(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close(true)));
    this.workers = [];
  }

  // Before the shutdown step in which PostgreSQL and Redis close: the last jobs and batch still need them.
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}
