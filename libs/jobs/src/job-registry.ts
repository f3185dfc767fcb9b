import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { JOB_QUEUE, JobCatalogue, JobName } from './job-catalogue';
import { JOB_HANDLER } from './job-handler.decorator';

/** `token` is the worker's lock on the job, for the few handlers that move it (back to delayed). */
export type JobHandlerFn = (data: unknown, job: Job, token?: string) => Promise<unknown>;

/** Finds every @OnJob method at start-up; refuses a catalogue with holes or doubles. */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly handlers = new Map<JobName, JobHandlerFn>();
  private readonly problems: string[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, prototype[method]);
        if (!name) continue;
        if (this.handlers.has(name)) this.problems.push(`job "${name}" has two handlers`);
        this.handlers.set(name, (data, job, token) => (instance[method] as JobHandlerFn).call(instance, data, job, token));
      }
    }
    for (const name of Object.keys(JOB_QUEUE) as JobName[]) {
      if (!this.handlers.has(name)) this.problems.push(`job "${name}" has no handler`);
    }
  }

  /** Called by the worker before it consumes anything. */
  assertComplete(): void {
    if (this.problems.length) throw new Error(`Job catalogue incomplete: ${this.problems.join('; ')}`);
  }

  handle<N extends JobName>(name: N, data: JobCatalogue[N], job: Job, token?: string): Promise<unknown> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`No handler for job "${name}"`);
    return handler(data, job, token);
  }
}
