/**
 * Repeatable jobs are registered again periodically: a Redis that lost its data (no AOF, a
 * flush) gets them back without a restart of the worker.
 */
import { JobProducer, keepScheduled } from '@renum/jobs';
import { eventually, TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await TestApp.start({ workers: false });
});
afterAll(() => t?.close());

it('registers a job scheduler again after Redis lost it', async () => {
  const jobs = t.get(JobProducer);
  const queue = jobs.queue('documents');
  const stop = keepScheduled(jobs, { id: 'schedule-refresh-test', name: 'labels.sweep', pattern: '0 3 * * *', data: {} }, 100);
  try {
    await eventually(async () => (await queue.getJobScheduler('schedule-refresh-test')) !== undefined);
    await queue.removeJobScheduler('schedule-refresh-test');
    expect(await queue.getJobScheduler('schedule-refresh-test')).toBeUndefined();
    await eventually(async () => (await queue.getJobScheduler('schedule-refresh-test')) !== undefined);
  } finally {
    stop();
    await queue.removeJobScheduler('schedule-refresh-test');
  }
});
