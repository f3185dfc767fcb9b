import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { RenumConfig } from '@renum/platform';
import { DataSource } from 'typeorm';
import { JobProducer } from './job-producer';
import { JobRegistry } from './job-registry';
import { JobWorkerHost } from './job-worker-host';
import { OutboxRelay } from './outbox';
import { RedisConnections } from './redis-connections';

@Global()
@Module({})
export class JobsModule {
  static forRoot(): DynamicModule {
    return {
      module: JobsModule,
      imports: [DiscoveryModule],
      providers: [
        JobRegistry,
        { provide: RedisConnections, inject: [RenumConfig], useFactory: (c: RenumConfig) => new RedisConnections(c.REDIS_URL) },
        { provide: JobProducer, inject: [RedisConnections, RenumConfig], useFactory: (r: RedisConnections, c: RenumConfig) => new JobProducer(r, c.BULL_PREFIX) },
        {
          provide: JobWorkerHost,
          inject: [JobRegistry, RedisConnections, RenumConfig],
          useFactory: (reg: JobRegistry, r: RedisConnections, c: RenumConfig) =>
            new JobWorkerHost(reg, r, { prefix: c.BULL_PREFIX, concurrency: c.WORKER_CONCURRENCY, lockDurationMs: c.JOB_LOCK_MS }),
        },
        { provide: OutboxRelay, inject: [DataSource, JobProducer, RenumConfig], useFactory: (d: DataSource, p: JobProducer, c: RenumConfig) => new OutboxRelay(d, p, c.OUTBOX_POLL_MS) },
      ],
      exports: [JobProducer, JobRegistry, JobWorkerHost, OutboxRelay, RedisConnections],
    };
  }
}
