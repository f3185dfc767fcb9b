/**
 * Closing the worker (SIGTERM, `up`'s Ctrl-C): the job workers finish their active jobs and the
 * outbox relay its batch while PostgreSQL and Redis are still open; the connections close after.
 * They used to close in the same shutdown step, so a job or a relay batch still running lost its
 * connection ("outbox relay paused: Connection terminated").
 */
import { JobProducer, JobWorkerHost, OutboxRelay, RedisConnections } from '@renum/jobs';
import { DataSource } from 'typeorm';
import { TestApp } from '../support/test-app';

it('stops the job workers and the outbox relay before it closes PostgreSQL and Redis', async () => {
  const t = await TestApp.start();
  const order: string[] = [];
  // Each step records itself when it is done; the connections, when they start closing.
  const after = <T extends object>(target: T, method: keyof T & string, label: string) => {
    const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
    Object.assign(target, { [method]: async (...args: unknown[]) => ((await original(...args)), order.push(label)) });
  };
  const before = <T extends object>(target: T, method: keyof T & string, label: string) => {
    const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
    Object.assign(target, { [method]: (...args: unknown[]) => (order.push(label), original(...args)) });
  };
  after(t.get(JobWorkerHost), 'stop', 'workers stopped');
  after(t.get(OutboxRelay), 'beforeApplicationShutdown', 'relay stopped');
  before(t.get(DataSource), 'destroy', 'postgres closing');
  before(t.get(RedisConnections), 'onApplicationShutdown', 'redis closing');
  before(t.get(JobProducer), 'onApplicationShutdown', 'queues closing');
  await t.close();
  const firstClose = Math.min(...['postgres closing', 'redis closing', 'queues closing'].map((s) => order.indexOf(s)));
  expect(order).toHaveLength(5);
  expect(order.indexOf('workers stopped')).toBeLessThan(firstClose);
  expect(order.indexOf('relay stopped')).toBeLessThan(firstClose);
});
