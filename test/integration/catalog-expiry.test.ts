/**
 * Reservation expiry (invariant 3): the delayed BullMQ job scheduled through the outbox
 * releases the device once; any further delivery changes nothing; a reservation distributed
 * before its expiry is never released. Time is shortened honestly: the reservation's
 * expires_at is moved to the past in SQL and the real delayed job is promoted (delivered now).
 * The periodic sweep of overdue reservations, the safety net when that job is lost or failed for
 * good, is called directly (its scheduler runs every 10 minutes).
 */
import { JOB_QUEUE, JobProducer, outboxJobId } from '@renum/jobs';
import { OVERDUE_SWEEP_SCHEDULER_ID, overdueExpiryJobId, ReservationExpirySweep } from '@renum/lifecycle';
import { erase, step } from '../support/flows';
import { eventually, TestApp, World } from '../support/test-app';
import { addOrganizations, availableDevices } from '../support/catalog-support';

let t: TestApp;
let w: World;
let jobs: JobProducer;
let sweepScheduler: unknown;

beforeAll(async () => {
  t = await TestApp.start();
  w = await t.world('Expiry');
  jobs = t.get(JobProducer);
  // The sweep of overdue reservations (every 10 minutes) is run by hand below: a tick during a test
  // would change what it counts. It was registered at start-up; keep it and take it off.
  const queue = jobs.queue(JOB_QUEUE['reservation.expire-overdue']);
  sweepScheduler = await eventually(() => queue.getJobScheduler(OVERDUE_SWEEP_SCHEDULER_ID));
  t.get(ReservationExpirySweep).beforeApplicationShutdown();
  await queue.removeJobScheduler(OVERDUE_SWEEP_SCHEDULER_ID);
});
afterAll(() => t?.close());

let deliveries = 0;

/** The delayed job the outbox relay published for this reservation, as BullMQ holds it. */
async function scheduledExpiry(reservationId: string) {
  const row = await eventually(async () => {
    const [r] = await t.db.query(`SELECT id, run_at, published_at FROM outbox_message WHERE job_name = 'reservation.expire' AND payload->>'reservationId' = $1`, [reservationId]);
    return r?.published_at ? r : undefined;
  });
  const job = await jobs.getJob(outboxJobId('reservation.expire', row.id));
  expect(job).toBeDefined();
  return { job: job!, runAt: new Date(row.run_at) };
}

async function deliverNow(job: Awaited<ReturnType<typeof scheduledExpiry>>['job']) {
  await job.promote();
  const outcome = await jobs.waitFor<{ released: boolean; reason?: string }>(job, 15000);
  if (outcome.state !== 'completed') throw new Error(`expiry job ${outcome.state}`);
  return outcome.value;
}

/** Another delivery of the same message (a queue redelivery, a replayed outbox row). */
async function deliverAgain(reservationId: string, deviceId: string) {
  const job = await jobs.enqueue('reservation.expire', { reservationId, deviceId }, { jobId: `tr-expire-again-${++deliveries}-${reservationId}` });
  const outcome = await jobs.waitFor<{ released: boolean; reason?: string }>(job, 15000);
  if (outcome.state !== 'completed') throw new Error(`expiry job ${outcome.state}`);
  return outcome.value;
}

const releases = (deviceId: string) => t.db.query(`SELECT payload FROM device_event WHERE device_id = $1 AND action = 'release' ORDER BY seq`, [deviceId]);
const statusOf = async (deviceId: string) => (await t.db.query('SELECT status FROM device WHERE id = $1', [deviceId]))[0].status;

it('schedules the expiry as a delayed job at reservation time, with the territory default of 7 days', async () => {
  const [device] = await availableDevices(t, w, 1);
  const reserved = await step(t, w.charity.agent, device.id, { action: 'reserve' });
  const reservationId = reserved.event.payload.reservationId;
  const { job, runAt } = await scheduledExpiry(reservationId);
  expect(await job.getState()).toBe('delayed');
  const [r] = await t.db.query('SELECT expires_at, created_at FROM reservation WHERE id = $1', [reservationId]);
  expect(new Date(r.expires_at).getTime() - new Date(r.created_at).getTime()).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);
  expect(runAt.getTime()).toBe(new Date(r.expires_at).getTime());
  expect(job.delay).toBeGreaterThan(6 * 24 * 3600_000);
});

it('releases an expired reservation exactly once, and a second delivery changes nothing', async () => {
  const [other] = await addOrganizations(t, w, 'CHARITY', 1);
  const [device] = await availableDevices(t, w, 1);
  const reserved = await step(t, w.charity.agent, device.id, { action: 'reserve' });
  const reservationId = reserved.event.payload.reservationId;
  const { job } = await scheduledExpiry(reservationId);

  await t.db.query(`UPDATE reservation SET expires_at = now() - interval '1 minute' WHERE id = $1`, [reservationId]);
  expect(await deliverNow(job)).toEqual({ released: true });

  expect(await statusOf(device.id)).toBe('AVAILABLE');
  expect(await releases(device.id)).toEqual([{ payload: expect.objectContaining({ expired: true, reservationId }) }]);
  const [r] = await t.db.query('SELECT status, closed_at FROM reservation WHERE id = $1', [reservationId]);
  expect(r.status).toBe('EXPIRED');
  expect(r.closed_at).not.toBeNull();
  // The charity sees it expired; the device is back in the catalogue.
  const mine = await t.http.get('/api/v1/reservations?status=EXPIRED').set(w.charity.agent.auth).expect(200);
  expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(reservationId);
  // In the history too: the system's release names the charity, which reads it (reason included) as its own.
  const history = (await t.http.get(`/api/v1/devices/${device.id}/events`).set(w.charity.agent.auth).expect(200)).body.items;
  expect(history.filter((e: { action: string }) => e.action === 'release')).toEqual([
    expect.objectContaining({ actorUserId: null, organizationId: null, payload: expect.objectContaining({ charityOrganizationId: w.charity.id, reason: 'Réservation expirée', expired: true }) }),
  ]);
  const catalog = await t.http.get('/api/v1/catalog?limit=200').set(other.agent.auth).expect(200);
  expect(catalog.body.items.map((i: { id: string }) => i.id)).toContain(device.id);

  // Second delivery of the same expiry: nothing happens.
  expect((await deliverAgain(reservationId, device.id)).released).toBe(false);
  expect(await releases(device.id)).toHaveLength(1);
  expect(await statusOf(device.id)).toBe('AVAILABLE');

  // Another charity reserves it meanwhile; a late delivery of the old expiry must not free it.
  await step(t, other.agent, device.id, { action: 'reserve' });
  expect((await deliverAgain(reservationId, device.id)).released).toBe(false);
  expect(await statusOf(device.id)).toBe('RESERVED');
  expect(await releases(device.id)).toHaveLength(1);
  const active = await t.db.query(`SELECT charity_organization_id FROM reservation WHERE device_id = $1 AND status = 'ACTIVE'`, [device.id]);
  expect(active).toEqual([{ charity_organization_id: other.id }]);
});

it('puts an expiry delivered before it is due back in the delayed set until then, and releases once due', async () => {
  const [device] = await availableDevices(t, w, 1);
  const reserved = await step(t, w.charity.agent, device.id, { action: 'reserve' });
  const reservationId = reserved.event.payload.reservationId;
  const { job } = await scheduledExpiry(reservationId);
  // Due in an hour, but delivered now (as a worker whose clock runs ahead would take it).
  await t.db.query(`UPDATE reservation SET expires_at = now() + interval '1 hour' WHERE id = $1`, [reservationId]);
  await job.promote();
  const again = await eventually(async () => {
    const current = await jobs.getJob(job.id!);
    return current && current.attemptsStarted > job.attemptsStarted && (await current.getState()) === 'delayed' ? current : undefined;
  });
  expect(again.delay).toBeGreaterThan(59 * 60_000);
  expect(again.delay).toBeLessThanOrEqual(3600_000);
  expect(await statusOf(device.id)).toBe('RESERVED');
  expect(await releases(device.id)).toEqual([]);

  await t.db.query(`UPDATE reservation SET expires_at = now() - interval '1 minute' WHERE id = $1`, [reservationId]);
  expect(await deliverNow(again)).toEqual({ released: true });
  expect(await statusOf(device.id)).toBe('AVAILABLE');
  expect(await releases(device.id)).toHaveLength(1);
});

it('keeps trying an expiry that lost its erasure proof meanwhile, and releases once the workshop proves it again', async () => {
  const [device] = await availableDevices(t, w, 1);
  const reserved = await step(t, w.charity.agent, device.id, { action: 'reserve' });
  const reservationId = reserved.event.payload.reservationId;
  const { job } = await scheduledExpiry(reservationId);
  // A disk turns up while the device is reserved, and its first erasure fails.
  expect((await erase(t, w.workshop.agent, device.id, 'LATE-DISK-1', { result: 'FAILED' })).status).toBe(201);

  await t.db.query(`UPDATE reservation SET expires_at = now() - interval '1 minute' WHERE id = $1`, [reservationId]);
  await job.promote();
  // Not released (the device may not return to the catalogue unproven), not given up either: back in the delayed set.
  const again = await eventually(async () => {
    const current = await jobs.getJob(job.id!);
    return current && current.attemptsStarted > job.attemptsStarted && (await current.getState()) === 'delayed' ? current : undefined;
  });
  expect(again.delay).toBeGreaterThan(59 * 60_000);
  expect(await statusOf(device.id)).toBe('RESERVED');
  expect((await t.db.query('SELECT status FROM reservation WHERE id = $1', [reservationId]))[0].status).toBe('ACTIVE');

  expect((await erase(t, w.workshop.agent, device.id, 'LATE-DISK-1')).status).toBe(201);
  expect(await deliverNow(again)).toEqual({ released: true });
  expect(await statusOf(device.id)).toBe('AVAILABLE');
  expect((await t.db.query('SELECT status FROM reservation WHERE id = $1', [reservationId]))[0].status).toBe('EXPIRED');
  expect(await releases(device.id)).toHaveLength(1);
});

it('never releases a reservation distributed before its expiry', async () => {
  const [device] = await availableDevices(t, w, 1);
  const reserved = await step(t, w.charity.agent, device.id, { action: 'reserve' });
  const reservationId = reserved.event.payload.reservationId;
  const { job } = await scheduledExpiry(reservationId);
  await step(t, w.charity.agent, device.id, {
    action: 'distribute',
    priceCents: 5000,
    paymentMethod: 'CARD',
    beneficiary: { ref: 'DOSSIER-EXP-1', eligibility: 'demandeur_emploi', postalCode: '69003' },
  });
  // Even once the expiry date has passed, the delayed job finds the reservation DISTRIBUTED.
  await t.db.query(`UPDATE reservation SET expires_at = now() - interval '1 minute' WHERE id = $1`, [reservationId]);
  expect(await deliverNow(job)).toEqual({ released: false, reason: 'reservation DISTRIBUTED' });
  expect((await deliverAgain(reservationId, device.id)).released).toBe(false);
  expect(await statusOf(device.id)).toBe('DISTRIBUTED');
  expect(await releases(device.id)).toEqual([]);
  const [r] = await t.db.query('SELECT status FROM reservation WHERE id = $1', [reservationId]);
  expect(r.status).toBe('DISTRIBUTED');
});

it('leaves alone a reservation the charity released itself', async () => {
  const [device] = await availableDevices(t, w, 1);
  const reserved = await step(t, w.charity.agent, device.id, { action: 'reserve' });
  const reservationId = reserved.event.payload.reservationId;
  const { job } = await scheduledExpiry(reservationId);
  await step(t, w.charity.agent, device.id, { action: 'release', reason: 'Bénéficiaire équipé ailleurs' });
  await step(t, w.charity.admin, device.id, { action: 'reserve' });
  await t.db.query(`UPDATE reservation SET expires_at = now() - interval '1 minute' WHERE id = $1`, [reservationId]);
  expect((await deliverNow(job)).released).toBe(false);
  expect(await statusOf(device.id)).toBe('RESERVED');
  expect((await releases(device.id)).map((e: { payload: { expired?: boolean } }) => e.payload.expired ?? false)).toEqual([false]);
});

describe('the sweep of overdue reservations (their delayed job lost or failed for good)', () => {
  const sweep = () => t.get(ReservationExpirySweep).sweep();
  const reservationStatus = async (id: string) => (await t.db.query('SELECT status FROM reservation WHERE id = $1', [id]))[0].status;

  async function overdueReservation(overdue: string) {
    const [device] = await availableDevices(t, w, 1);
    const reserved = await step(t, w.charity.agent, device.id, { action: 'reserve' });
    const reservationId: string = reserved.event.payload.reservationId;
    const { job } = await scheduledExpiry(reservationId);
    await t.db.query(`UPDATE reservation SET expires_at = now() - $2::interval WHERE id = $1`, [reservationId, overdue]);
    return { device, reservationId, job };
  }

  /** The reservation's expiry job (its outbox row's id), once finished. */
  async function sweptExpiry(jobId: string) {
    return eventually(async () => {
      const job = await jobs.getJob(jobId);
      return job?.finishedOn ? job : undefined;
    }, 15000);
  }

  it('releases once a reservation whose delayed job Redis lost, and a second sweep changes nothing', async () => {
    const { device, reservationId, job } = await overdueReservation('6 minutes');
    await job.remove(); // Redis lost its data: the outbox row still says published.
    // Overdue by less than the grace: its delayed job goes first, the sweep leaves it alone.
    const recent = await overdueReservation('1 minute');

    expect(await sweep()).toEqual({ overdue: 1, enqueued: 1, pending: 0 });
    // Under the id its outbox row was published with: a relay publishing it again changes nothing.
    const swept = await sweptExpiry(job.id!);
    expect(swept.returnvalue).toEqual({ released: true });
    expect(await reservationStatus(reservationId)).toBe('EXPIRED');
    expect(await statusOf(device.id)).toBe('AVAILABLE');
    expect(await releases(device.id)).toEqual([{ payload: expect.objectContaining({ expired: true, reservationId }) }]);
    expect(await jobs.getJob(overdueExpiryJobId(recent.reservationId))).toBeUndefined();
    expect(await recent.job.getState()).toBe('delayed');

    expect(await sweep()).toEqual({ overdue: 0, enqueued: 0, pending: 0 });
    expect((await jobs.getJob(job.id!))!.finishedOn).toBe(swept.finishedOn);
    expect(await releases(device.id)).toHaveLength(1);
    expect(await statusOf(device.id)).toBe('AVAILABLE');

    // The recent one is its delayed job's to release.
    expect(await deliverNow(recent.job)).toEqual({ released: true });
  });

  it('runs again an expiry that failed for good during a database fault', async () => {
    const { device, reservationId, job } = await overdueReservation('10 minutes');
    // A database fault at expiry time: the job spends its attempts (one here, in place of the
    // delayed job's eight) and stays failed.
    await t.db.query(`CREATE FUNCTION test_reservation_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'database unavailable (test)'; END $$`);
    await t.db.query(`CREATE TRIGGER test_reservation_fault BEFORE UPDATE ON reservation FOR EACH ROW EXECUTE FUNCTION test_reservation_fault()`);
    try {
      await job.remove();
      await jobs.enqueue('reservation.expire', { reservationId, deviceId: device.id }, { jobId: job.id!, attempts: 1 });
      const failed = await sweptExpiry(job.id!);
      expect(await failed.getState()).toBe('failed');
      expect(failed.failedReason).toMatch(/database unavailable/);
    } finally {
      await t.db.query('DROP TRIGGER test_reservation_fault ON reservation');
      await t.db.query('DROP FUNCTION test_reservation_fault()');
    }
    expect(await reservationStatus(reservationId)).toBe('ACTIVE');
    expect(await statusOf(device.id)).toBe('RESERVED');

    // BullMQ would not add a job under the failed one's id: the sweep removes it and adds it again.
    expect(await sweep()).toEqual({ overdue: 1, enqueued: 1, pending: 0 });
    const swept = await eventually(async () => {
      const again = await jobs.getJob(job.id!);
      return again?.returnvalue ? again : undefined;
    }, 15000);
    expect(swept.returnvalue).toEqual({ released: true });
    expect(await reservationStatus(reservationId)).toBe('EXPIRED');
    expect(await statusOf(device.id)).toBe('AVAILABLE');
    expect(await releases(device.id)).toHaveLength(1);

    expect(await sweep()).toEqual({ overdue: 0, enqueued: 0, pending: 0 });
    expect(await releases(device.id)).toHaveLength(1);
  });

  it('leaves a refused expiry to its hourly retry: a sweep adds nothing while it waits in the delayed set', async () => {
    const { device, reservationId, job } = await overdueReservation('6 minutes');
    // A disk turns up while the device is reserved, and its first erasure fails: the release is refused.
    expect((await erase(t, w.workshop.agent, device.id, 'SWEPT-LATE-DISK', { result: 'FAILED' })).status).toBe(201);
    await job.promote();
    const waiting = await eventually(async () => {
      const current = await jobs.getJob(job.id!);
      return current && current.attemptsStarted > 0 && (await current.getState()) === 'delayed' ? current : undefined;
    });
    expect(waiting.delay).toBeGreaterThan(59 * 60_000);
    // The delayed job waits for its hourly retry: the sweep sees it and adds no second one.
    expect(await sweep()).toEqual({ overdue: 1, enqueued: 0, pending: 1 });
    expect(await jobs.getJob(overdueExpiryJobId(reservationId))).toBeUndefined();
    expect(await reservationStatus(reservationId)).toBe('ACTIVE');
    expect(await releases(device.id)).toEqual([]);

    // Erased again: the hourly retry (delivered now) releases it, once.
    expect((await erase(t, w.workshop.agent, device.id, 'SWEPT-LATE-DISK')).status).toBe(201);
    expect(await deliverNow(waiting)).toEqual({ released: true });
    expect(await reservationStatus(reservationId)).toBe('EXPIRED');
    expect(await statusOf(device.id)).toBe('AVAILABLE');
    expect(await sweep()).toEqual({ overdue: 0, enqueued: 0, pending: 0 });
    expect(await releases(device.id)).toHaveLength(1);
  });

  it('is scheduled every 10 minutes when the application starts, and runs as a job of the worker', async () => {
    expect(sweepScheduler).toMatchObject({ name: 'reservation.expire-overdue', pattern: '*/10 * * * *', tz: 'Europe/Paris' });
    const job = await jobs.enqueue('reservation.expire-overdue', {}, { jobId: 'ev-overdue-sweep-test' });
    expect(await jobs.waitFor(job, 15000)).toEqual({ state: 'completed', value: { overdue: 0, enqueued: 0, pending: 0 } });
  });
});
