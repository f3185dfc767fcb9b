import { JobProducer, OutboxRelay, writeOutbox } from '@renum/jobs';
import IORedis from 'ioredis';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Client } from 'pg';
import type { Response } from 'supertest';
import type { QueryRunner } from 'typeorm';
import { addOrganizations, refurbishedDevice } from '../support/catalog-support';
import { untilAnOpeningWaitsForALock } from '../support/database';
import { createDonation, registerDevices, step, transition } from '../support/flows';
import { eventually, TestApp, World } from '../support/test-app';
import { killHard, startWorkerProcess } from '../support/worker-process';

const countEvents = async (t: TestApp, deviceId: string, action: string) =>
  (await t.db.query('SELECT count(*)::int AS n FROM device_event WHERE device_id = $1 AND action = $2', [deviceId, action]))[0].n as number;

describe('transitions are applied exactly once', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await TestApp.start();
    w = await t.world('Once');
  });
  afterAll(() => t?.close());

  it('applies the same Idempotency-Key sent 20 times concurrently once, and answers the same body to all', async () => {
    const [device] = await registerDevices(t, w, [{}]);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => transition(t, w.workshop.agent, device.id, { action: 'collect' }, key)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const bodies = new Set(answers.map((a) => JSON.stringify(a.body)));
    expect(bodies.size).toBe(1);
    expect(await countEvents(t, device.id, 'collect')).toBe(1);
    const [row] = await t.db.query('SELECT version, status FROM device WHERE id = $1', [device.id]);
    expect(row).toEqual({ version: 2, status: 'COLLECTED' });
    // The same key with another payload while the first job is still in Redis: refused, not its answer.
    const reusedSoon = await transition(t, w.workshop.agent, device.id, { action: 'wipe', noStorage: true }, key);
    expect(reusedSoon.status).toBe(422);
    expect(reusedSoon.body.type).toMatch(/idempotency-key-reused$/);
    // Same key again, long after: the stored answer, even once the job is gone from Redis.
    await t.get(JobProducer).queue('transitions').obliterate({ force: true });
    const later = await transition(t, w.workshop.agent, device.id, { action: 'collect' }, key);
    expect(later.status).toBe(200);
    expect(JSON.stringify(later.body)).toBe([...bodies][0]);
    // The same key with another payload is a client error, not a silent replay.
    const reused = await transition(t, w.workshop.agent, device.id, { action: 'wipe', noStorage: true }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.type).toMatch(/idempotency-key-reused$/);
  });

  it('runs again, on a retry with the same key, a transition whose job failed after all its attempts', async () => {
    const [device] = await registerDevices(t, w, [{}]);
    // A fault on every attempt (a disk full, say): this device's events cannot be written.
    await t.db.query(`CREATE FUNCTION test_refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated fault'; END $$`);
    await t.db.query(`CREATE TRIGGER test_refuse_event BEFORE INSERT ON device_event FOR EACH ROW WHEN (NEW.device_id = '${device.id}') EXECUTE FUNCTION test_refuse_event()`);
    const key = randomUUID();
    try {
      const first = transition(t, w.workshop.agent, device.id, { action: 'collect' }, key).then((r) => r); // sent now, awaited below
      // Each failed attempt waits for its backoff in `delayed`: promoted at once, the 8 attempts take well under the api's wait.
      const queue = t.get(JobProducer).queue('transitions');
      await eventually(async () => {
        const [job] = (await queue.getJobs(['delayed', 'failed'])).filter((j) => j.data.deviceId === device.id);
        if (job && (await job.getState()) === 'delayed') await job.promote().catch(() => undefined);
        return job?.finishedOn !== undefined && (await job.getState()) === 'failed';
      }, 14000, 20);
      const failed = await first;
      expect(failed.status).toBe(500);
      expect(failed.body.type).toMatch(/transition-failed$/);
      expect(failed.body.detail).toMatch(/même Idempotency-Key/);
    } finally {
      await t.db.query('DROP TRIGGER test_refuse_event ON device_event');
      await t.db.query('DROP FUNCTION test_refuse_event()');
    }
    expect(await countEvents(t, device.id, 'collect')).toBe(0);
    // The failed job stays in Redis for a week; the retry the 500 asked for is applied, not told 500 again.
    const retried = await transition(t, w.workshop.agent, device.id, { action: 'collect' }, key);
    expect(retried.status).toBe(200);
    expect(retried.body.device.status).toBe('COLLECTED');
    expect(await countEvents(t, device.id, 'collect')).toBe(1);
  });

  it('shows a transition job, applied or refused, to its requester alone once the job left Redis', async () => {
    const [device] = await registerDevices(t, w, [{}]);
    const applied = await transition(t, w.workshop.agent, device.id, { action: 'collect' });
    expect(applied.status).toBe(200);
    const refused = await transition(t, w.workshop.agent, device.id, { action: 'wipe' }); // no known medium, no noStorage
    expect(refused.status).toBe(422);
    const queue = t.get(JobProducer).queue('transitions');
    const jobIds = (await queue.getJobs(['completed'])).filter((j) => j.data.deviceId === device.id).map((j) => [j.data.action, j.id!] as const);
    const ids = Object.fromEntries(jobIds) as Record<string, string>;
    expect(Object.keys(ids).sort()).toEqual(['collect', 'wipe']);
    await queue.obliterate({ force: true });

    const jobOf = (user: typeof w.workshop.agent, id: string) => t.http.get(`/api/v1/jobs/${id}`).set(user.auth);
    const collect = await jobOf(w.workshop.agent, ids.collect);
    expect(collect.status).toBe(200);
    expect(collect.body).toEqual({ id: ids.collect, state: 'completed', progress: 100, result: { statusCode: 200, body: applied.body } });
    const wipe = await jobOf(w.workshop.agent, ids.wipe);
    expect(wipe.status).toBe(200);
    expect(wipe.body).toEqual({ id: ids.wipe, state: 'completed', progress: 100, result: { statusCode: 422, body: refused.body } });
    // Another user of the same workshop, or another organisation: not theirs, so not found.
    for (const other of [w.workshop.admin, w.donor.agent]) {
      expect((await jobOf(other, ids.collect)).status).toBe(404);
      expect((await jobOf(other, ids.wipe)).status).toBe(404);
    }
  });

  it("keeps a transition job to the API key that asked once the job left Redis: another key of the same workshop gets 404", async () => {
    const keyOf = async (name: string) => (await t.http.post(`/api/v1/organizations/${w.workshop.id}/api-keys`).set(w.workshop.admin.auth).send({ name }).expect(201)).body as { id: string; key: string };
    const [a, b] = [await keyOf('Douchette A'), await keyOf('Douchette B')];
    const [device] = await registerDevices(t, w, [{}]);
    const key = randomUUID();
    const applied = await t.http.post(`/api/v1/devices/${device.id}/transitions`).set('X-Api-Key', a.key).set('Idempotency-Key', key).send({ action: 'collect' });
    expect(applied.status).toBe(200);
    const queue = t.get(JobProducer).queue('transitions');
    const [job] = (await queue.getJobs(['completed'])).filter((j) => j.data.deviceId === device.id && j.data.action === 'collect');
    const [stored] = await t.db.query('SELECT organization_id, user_id, api_key_id FROM idempotency_record WHERE id = $1', [job.id]);
    expect(stored).toEqual({ organization_id: w.workshop.id, user_id: null, api_key_id: a.id });
    await queue.obliterate({ force: true });

    const jobAs = (apiKey: string) => t.http.get(`/api/v1/jobs/${job.id}`).set('X-Api-Key', apiKey);
    expect((await jobAs(a.key)).body).toEqual({ id: job.id, state: 'completed', progress: 100, result: { statusCode: 200, body: applied.body } });
    const other = await jobAs(b.key);
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain(device.id);
    // A person of the workshop (user, no key) is not the key either.
    expect((await t.http.get(`/api/v1/jobs/${job.id}`).set(w.workshop.agent.auth)).status).toBe(404);
    // The Idempotency-Key is the key's own too: B sending the same one is another request, decided
    // afresh (the device is already collected), never A's stored answer.
    const replayByB = await t.http.post(`/api/v1/devices/${device.id}/transitions`).set('X-Api-Key', b.key).set('Idempotency-Key', key).send({ action: 'collect' });
    expect(replayByB.status).toBe(409);
    expect(replayByB.body.type).toMatch(/illegal-transition$/);
    expect(await countEvents(t, device.id, 'collect')).toBe(1);
    const replayByA = await t.http.post(`/api/v1/devices/${device.id}/transitions`).set('X-Api-Key', a.key).set('Idempotency-Key', key).send({ action: 'collect' });
    expect([replayByA.status, replayByA.text]).toEqual([200, applied.text]);
  });

  it('a refusal carries its RFC 9457 instance, the same in its first answer, every replay (by id or by code) and its job result', async () => {
    const [device] = await registerDevices(t, w, [{}]);
    await step(t, w.workshop.agent, device.id, { action: 'collect' });
    const key = randomUUID();
    const refused = await transition(t, w.workshop.agent, device.code, { action: 'wipe' }, key); // no known medium, no noStorage
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    // The device by its id, whichever way the request named it: a replay by id is the same request.
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/erasure-missing$/), status: 422, instance: `/api/v1/devices/${device.id}/transitions` });
    const replays = async () => [
      await transition(t, w.workshop.agent, device.id, { action: 'wipe' }, key),
      await transition(t, w.workshop.agent, device.code.replace(/-/g, '').toLowerCase(), { action: 'wipe' }, key),
    ];
    for (const replay of await replays()) expect([replay.status, replay.text]).toEqual([422, refused.text]);
    const queue = t.get(JobProducer).queue('transitions');
    const [job] = (await queue.getJobs(['completed'])).filter((j) => j.data.deviceId === device.id && j.data.action === 'wipe');
    const jobResult = async () => (await t.http.get(`/api/v1/jobs/${job.id}`).set(w.workshop.agent.auth).expect(200)).body.result;
    expect(await jobResult()).toEqual({ statusCode: 422, body: refused.body });
    // Once the job left Redis: the stored answer, with the same instance.
    await queue.obliterate({ force: true });
    for (const replay of await replays()) expect([replay.status, replay.text]).toEqual([422, refused.text]);
    expect(await jobResult()).toEqual({ statusCode: 422, body: refused.body });
    // Stored as the worker answered it: the api adds the instance when answering.
    const [stored] = await t.db.query('SELECT body FROM idempotency_record WHERE id = $1', [job.id]);
    expect(stored.body.instance).toBeUndefined();
  });

  it('drops outbox rows a week after they were published and their job was due, never before', async () => {
    const day = 24 * 3600 * 1000;
    const ago = (days: number) => new Date(Date.now() - days * day);
    const rows = [
      { id: randomUUID(), published: ago(8), runAt: null, gone: true },
      { id: randomUUID(), published: ago(6), runAt: null, gone: false },
      { id: randomUUID(), published: ago(30), runAt: ago(-5), gone: false }, // a reservation expiry still to come
      { id: randomUUID(), published: null, runAt: null, gone: false }, // not yet published
    ];
    for (const r of rows) {
      await t.db.query(`INSERT INTO outbox_message (id, job_name, payload, run_at, published_at) VALUES ($1, 'device.transitioned', '{}', $2, $3)`, [r.id, r.runAt, r.published]);
    }
    await t.get(OutboxRelay).purgePublished();
    const left = (await t.db.query('SELECT id FROM outbox_message WHERE id = ANY($1)', [rows.map((r) => r.id)])).map((r: { id: string }) => r.id);
    expect(left.sort()).toEqual(rows.filter((r) => !r.gone).map((r) => r.id).sort());
    await t.db.query('DELETE FROM outbox_message WHERE id = ANY($1)', [rows.map((r) => r.id)]);
  });

  it('refuses an invalid request with a clear problem and writes nothing', async () => {
    const [device] = await registerDevices(t, w, [{}]);
    const before = await t.db.query('SELECT (SELECT count(*) FROM device_event)::int AS events, (SELECT count(*) FROM device)::int AS devices');
    const noKey = await t.http.post(`/api/v1/devices/${device.id}/transitions`).set(w.workshop.agent.auth).send({ action: 'collect' });
    expect(noKey.status).toBe(400);
    expect(noKey.body.type).toMatch(/idempotency-key-required$/);
    const unknown = await transition(t, w.workshop.agent, device.id, { action: 'teleport' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'action' })]);
    const wrongShape = await transition(t, w.workshop.admin, device.id, { action: 'publish', priceCents: '90 €' });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body.errors.length).toBeGreaterThan(0);
    expect(wrongShape.body.errors.every((e: { field: string }) => e.field === 'priceCents')).toBe(true);
    const extra = await transition(t, w.workshop.agent, device.id, { action: 'collect', priceCents: 1 });
    expect(extra.status).toBe(400);
    const unknownDevice = await transition(t, w.workshop.agent, 'RN-0000-0000', { action: 'collect' });
    expect(unknownDevice.status).toBe(404);
    const mistyped = await transition(t, w.workshop.agent, device.code.slice(0, -1) + (device.code.endsWith('1') ? '2' : '1'), { action: 'collect' });
    expect(mistyped.status).toBe(404); // API.md: 404 unknown device; the type says it is mistyped
    expect(mistyped.body.type).toMatch(/invalid-code$/);
    const forbidden = await transition(t, w.charity.agent, device.id, { action: 'collect' });
    expect(forbidden.status).toBe(404); // a charity cannot even see a REGISTERED device
    const viewer = await transition(t, w.workshop.viewer, device.id, { action: 'collect' });
    expect(viewer.status).toBe(403);
    // A viewer, who may never transition, is told 404 too for a device it cannot see (invisible is 404, whoever asks).
    const elsewhere = await t.world('ExactlyOnceElsewhere');
    for (const unseen of [elsewhere.workshop.viewer, elsewhere.coordinator.viewer]) {
      expect((await transition(t, unseen, device.id, { action: 'collect' })).status).toBe(404);
      expect((await transition(t, unseen, device.code, { action: 'collect' })).status).toBe(404);
    }
    expect((await t.db.query('SELECT status FROM device WHERE id = $1', [device.id]))[0].status).toBe('REGISTERED');
    const donation = (await t.db.query('SELECT donation_id FROM device WHERE id = $1', [device.id]))[0].donation_id;
    const tooMany = await t.http
      .post(`/api/v1/donations/${donation}/devices`)
      .set(w.donor.agent.auth)
      .send({ devices: Array.from({ length: 1001 }, (_, i) => ({ type: 'LAPTOP', brand: 'HP', model: 'x', serialNumber: `BULK-${i}` })) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ field: 'devices' })]);
    const dup = await t.http
      .post(`/api/v1/donations/${donation}/devices`)
      .set(w.donor.agent.auth)
      .send({ devices: [{ type: 'LAPTOP', brand: 'HP', model: 'x', serialNumber: 'dup 1' }, { type: 'LAPTOP', brand: 'HP', model: 'y', serialNumber: 'DUP1' }] });
    expect(dup.status).toBe(400);
    expect(dup.body.errors).toEqual([expect.objectContaining({ field: 'devices[1].serialNumber' })]);
    const badField = await t.http
      .post(`/api/v1/donations/${donation}/devices`)
      .set(w.donor.agent.auth)
      .send({ devices: [{ type: 'LAPTOP', brand: 'HP', model: 'x', serialNumber: 'OK-1' }, { type: 'TOASTER', brand: 'HP', model: 'x', serialNumber: 'OK-2' }] });
    expect(badField.status).toBe(400);
    expect(badField.body.errors).toEqual([expect.objectContaining({ field: 'devices[1].type' })]);
    const after = await t.db.query('SELECT (SELECT count(*) FROM device_event)::int AS events, (SELECT count(*) FROM device)::int AS devices');
    expect(after).toEqual(before);
  });

  it('detects an event edited directly in SQL, and the trigger refuses edits otherwise', async () => {
    const [device] = await registerDevices(t, w, [{}]);
    await step(t, w.workshop.agent, device.id, { action: 'collect' });
    await step(t, w.workshop.agent, device.id, { action: 'wipe', noStorage: true });
    await expect(t.db.query(`UPDATE device_event SET payload = '{}' WHERE device_id = $1 AND seq = 2`, [device.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM device_event WHERE device_id = $1`, [device.id])).rejects.toThrow(/append-only/);
    const ok = await t.http.get(`/api/v1/devices/${device.id}/events/verify`).set(w.donor.agent.auth).expect(200);
    expect(ok.body).toEqual({ valid: true, length: 3 });
    await t.db.transaction(async (m) => {
      await m.query('ALTER TABLE device_event DISABLE TRIGGER device_event_no_update_delete');
      await m.query(`UPDATE device_event SET payload = '{"notes":"falsifié"}' WHERE device_id = $1 AND seq = 2`, [device.id]);
      await m.query('ALTER TABLE device_event ENABLE TRIGGER device_event_no_update_delete');
    });
    const broken = await t.http.get(`/api/v1/devices/${device.id}/events/verify`).set(w.donor.agent.auth).expect(200);
    expect(broken.body).toEqual({ valid: false, length: 3, brokenAt: 2 });
  });

  it('detects a deleted last event', async () => {
    const [device] = await registerDevices(t, w, [{}]);
    await step(t, w.workshop.agent, device.id, { action: 'collect' });
    await t.db.transaction(async (m) => {
      await m.query('ALTER TABLE device_event DISABLE TRIGGER device_event_no_update_delete');
      await m.query(`DELETE FROM device_event WHERE device_id = $1 AND seq = 2`, [device.id]);
      await m.query('ALTER TABLE device_event ENABLE TRIGGER device_event_no_update_delete');
    });
    const res = await t.http.get(`/api/v1/devices/${device.id}/events/verify`).set(w.coordinator.agent.auth).expect(200);
    expect(res.body).toMatchObject({ valid: false, brokenAt: 2 });
  });
});

describe('visibility of devices', () => {
  let t: TestApp;
  let a: World;
  let b: World;

  beforeAll(async () => {
    t = await TestApp.start({ workers: true });
    [a, b] = [await t.world('VisA'), await t.world('VisB')];
  });
  afterAll(() => t?.close());

  it('shows each organisation only what DOMAIN.md allows; invisible is 404', async () => {
    const [device] = await registerDevices(t, a, [{ media: [{ kind: 'SSD', serialNumber: 'VIS-SSD-1' }] }]);
    for (const user of [b.donor.agent, b.workshop.agent, b.coordinator.agent, a.charity.agent, a.recycler.agent]) {
      await t.http.get(`/api/v1/devices/${device.id}`).set(user.auth).expect(404);
    }
    await t.http.get(`/api/v1/devices/${device.code}`).set(a.donor.viewer.auth).expect(200);
    await t.http.get(`/api/v1/devices/${device.code}`).set(a.workshop.agent.auth).expect(200); // awaiting collection
    const list = await t.http.get('/api/v1/devices').set(b.coordinator.admin.auth).expect(200);
    expect(list.body.items.find((d: { id: string }) => d.id === device.id)).toBeUndefined();
  });

  it('answers 404 to a transition on a device the caller cannot see, stores nothing, and decides a retry afresh', async () => {
    // By id, the api sends the request to the worker unlooked-up: the worker decides visibility on the locked row.
    const device = await refurbishedDevice(t, a);
    const records = async () => (await t.db.query('SELECT count(*)::int AS n FROM idempotency_record WHERE device_id = $1', [device.id]))[0].n as number;
    const storedBefore = await records();
    const key = randomUUID();
    const early = await transition(t, a.charity.agent, device.id, { action: 'reserve' }, key); // not published yet: not in the catalogue
    expect(early.status).toBe(404);
    expect(early.body).toEqual(expect.objectContaining({ type: expect.stringMatching(/\/not-found$/), status: 404 }));
    const stranger = await transition(t, b.workshop.admin, device.id, { action: 'publish', priceCents: 1000 }); // another territory
    expect(stranger.status).toBe(404);
    expect(await countEvents(t, device.id, 'publish')).toBe(0);
    const unknown = await transition(t, a.workshop.agent, randomUUID(), { action: 'collect' });
    expect(unknown.status).toBe(404);
    expect(await records()).toBe(storedBefore);
    expect(await countEvents(t, device.id, 'reserve')).toBe(0);
    // An action the caller's kind may never perform, on a device it cannot see: still 404, not 403.
    const forbiddenUnseen = await transition(t, b.charity.agent, device.id, { action: 'collect' });
    expect(forbiddenUnseen.status).toBe(404);

    // The same key sent 20 times at once, after the 404 above: every copy is told 404 (copies that
    // joined a job another copy then removed from Redis used to get 500).
    const twins = await Promise.all(Array.from({ length: 20 }, () => transition(t, a.charity.agent, device.id, { action: 'reserve' }, key)));
    expect(twins.map((r) => r.status)).toEqual(Array(20).fill(404));
    expect(await records()).toBe(storedBefore);

    await step(t, a.workshop.admin, device.id, { action: 'publish', priceCents: 9000 });
    const retried = await transition(t, a.charity.agent, device.id, { action: 'reserve' }, key);
    expect(retried.status).toBe(200);
    expect(retried.body.device.status).toBe('RESERVED');
  });

  /**
   * Sends `request` while another transaction holds the device's row lock; once the worker waits
   * for it, that transaction runs `meanwhile` and commits. The answer must rest on what it committed.
   */
  async function answeredAfterLockWait(deviceId: string, request: () => PromiseLike<Response>, meanwhile: (holder: QueryRunner) => Promise<unknown>) {
    const holder = t.db.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query('SELECT 1 FROM device WHERE id = $1 FOR UPDATE', [deviceId]);
      const pending = Promise.resolve(request());
      await untilAnOpeningWaitsForALock(t.db);
      await meanwhile(holder);
      await holder.commitTransaction();
      return await pending;
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  }

  it('decides visibility and the price cap on what was committed while the transition waited for the device lock', async () => {
    const [device] = await registerDevices(t, a, [{}]);
    await step(t, a.workshop.agent, device.id, { action: 'collect' });
    const [other] = await addOrganizations(t, a, 'WORKSHOP', 1); // same territory; a collected device is not its to see
    const wipe = await answeredAfterLockWait(
      device.id,
      () => transition(t, other.agent, device.id, { action: 'wipe', noStorage: true }),
      // The other workshop becomes a party, so it may now see the device.
      (holder) => holder.query('INSERT INTO device_party (device_id, organization_id) VALUES ($1, $2)', [device.id, other.id]),
    );
    // Seen, then refused by the domain (not its custodian), rather than 404 from a snapshot older than the lock.
    expect(wipe.status).toBe(403);
    expect(wipe.body.type).toMatch(/forbidden-action$/);

    const ready = await refurbishedDevice(t, a);
    try {
      const publish = await answeredAfterLockWait(
        ready.id,
        () => transition(t, a.workshop.admin, ready.id, { action: 'publish', priceCents: 9000 }),
        // The coordinator lowers the territory's cap for laptops meanwhile.
        (holder) => holder.query(`INSERT INTO price_cap (territory_id, type, cap_cents) VALUES ($1, 'LAPTOP', 5000)`, [a.territoryId]),
      );
      expect(publish.status).toBe(422);
      expect(publish.body.type).toMatch(/price-above-cap$/);
    } finally {
      await t.db.query(`DELETE FROM price_cap WHERE territory_id = $1`, [a.territoryId]);
    }
  });

  it('paginates the list with a cursor and filters by status', async () => {
    const registered = await registerDevices(t, a, Array.from({ length: 7 }, () => ({})));
    const donationId = (await t.db.query('SELECT donation_id FROM device WHERE id = $1', [registered[0].id]))[0].donation_id;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http
        .get('/api/v1/devices')
        .query({ donationId, limit: 3, ...(cursor ? { cursor } : {}) })
        .set(a.donor.agent.auth)
        .expect(200);
      seen.push(...res.body.items.map((d) => d.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(registered.map((d) => d.id));
    const filtered = await t.http.get('/api/v1/devices').query({ donationId, status: 'COLLECTED' }).set(a.donor.agent.auth).expect(200);
    expect(filtered.body.items).toEqual([]);
    const badCursor = await t.http.get('/api/v1/devices').query({ cursor: 'garbage' }).set(a.donor.agent.auth).expect(400);
    expect(badCursor.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function startRedis(port: number) {
  const result = spawnSync('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes']);
  if (result.status !== 0) throw new Error(`redis-server failed: ${result.stderr}`);
}

const stopRedis = (port: number) => spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);

describe('with Redis down', () => {
  let t: TestApp;
  let w: World;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    startRedis(port);
    await eventually(async () => spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG'));
    t = await TestApp.start({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    w = await t.world('Down');
  });
  afterAll(async () => {
    await t?.close();
    stopRedis(port);
  });

  it('answers 202 with the status URL, never 503 « nothing applied », when Redis stalls after the job was sent', async () => {
    const [device, first] = await registerDevices(t, w, [{}, {}]);
    // The api has its event stream open already (opening it while Redis stalls is a certain 503: nothing was sent).
    expect((await transition(t, w.workshop.agent, first.id, { action: 'collect' })).status).toBe(200);
    // Redis stops answering for 6 s (a stalled server, a slow network): the add is sent, not confirmed.
    expect(spawnSync('redis-cli', ['-p', String(port), 'client', 'pause', '6000', 'all']).stdout.toString()).toMatch(/OK/);
    const key = randomUUID();
    const res = await transition(t, w.workshop.agent, device.id, { action: 'collect' }, key);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ jobId: expect.stringMatching(/^tr-/), statusUrl: `/api/v1/jobs/${res.body.jobId}` });
    // Its status cannot be read while Redis stalls, and the answer does not pretend nothing was done.
    const unreadable = await t.http.get(res.body.statusUrl).set(w.workshop.agent.auth);
    expect(unreadable.status).toBe(503);
    expect(unreadable.body.detail).not.toMatch(/rien n'a été appliqué/);
    // Redis catches up and runs the job it was sent: the status URL says so, and the same key gets that answer.
    const done = await eventually(async () => {
      const job = await t.http.get(res.body.statusUrl).set(w.workshop.agent.auth);
      return job.body.state === 'completed' ? job.body : undefined;
    }, 20000);
    expect(done.result).toMatchObject({ statusCode: 200, body: { device: { status: 'COLLECTED' } } });
    const again = await transition(t, w.workshop.agent, device.id, { action: 'collect' }, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(done.result.body);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM device_event WHERE device_id = $1 AND action = 'collect'`, [device.id])).toEqual([{ n: 1 }]);
  });

  it('logs in while Redis stalls, counting the attempt on this instance, instead of waiting for Redis', async () => {
    await t.login(w.donor.agent.email, 'test-password-123'); // the throttle's connection is up
    const pausedUntil = Date.now() + 4000;
    expect(spawnSync('redis-cli', ['-p', String(port), 'client', 'pause', '4000', 'all']).stdout.toString()).toMatch(/OK/);
    expect(await t.login(w.donor.agent.email, 'test-password-123')).toEqual(expect.any(String));
    // Answered while Redis was still paused (it used to answer only once Redis woke up).
    expect(Date.now()).toBeLessThan(pausedUntil);
    await eventually(async () => spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG'), 10000);
  });

  it('answers 503 queue-unavailable, changes nothing, and publishes outbox rows once Redis is back', async () => {
    const [device] = await registerDevices(t, w, [{}]);
    const before = await t.db.query('SELECT version, status FROM device WHERE id = $1', [device.id]);
    const bigDonation = await createDonation(t, w.donor.agent);
    await registerDevices(t, w, Array.from({ length: 201 }, () => ({})), bigDonation);
    stopRedis(port);
    const res = await transition(t, w.workshop.agent, device.id, { action: 'collect' });
    expect(res.status).toBe(503);
    expect(res.body.type).toMatch(/queue-unavailable$/);
    expect(res.body.detail).toMatch(/même Idempotency-Key/);
    expect(await t.db.query('SELECT version, status FROM device WHERE id = $1', [device.id])).toEqual(before);
    // An upload has no Idempotency-Key: its 503 does not ask for one.
    const donation = await createDonation(t, w.donor.agent);
    const upload = await t.http.post(`/api/v1/donations/${donation}/import`).set(w.donor.agent.auth).attach('file', Buffer.from('type;brand;model;serialNumber\nLAPTOP;Dell;E5470;SN-503\n'), 'inventaire.csv');
    expect(upload.status).toBe(503);
    expect(upload.body.detail).toMatch(/Réessayez dans quelques instants/);
    // A label sheet of more than 200 labels, made by a job the api would wait for: nothing queued either.
    const sheet = await t.http.post('/api/v1/labels/sheets').set(w.donor.agent.auth).send({ donationId: bigDonation, template: 'avery-l7163' });
    expect(sheet.status).toBe(503);
    expect(sheet.body.type).toMatch(/queue-unavailable$/);
    const health = await t.http.get('/health').expect(503);
    expect(health.body).toMatchObject({ database: 'up', redis: 'down' });
    // Logging in does not need Redis: attempts are then counted by this instance alone, still limited.
    await t.login(w.workshop.agent.email, 'test-password-123');
    const guesses = [];
    for (let i = 0; i < 11; i++) guesses.push((await t.http.post('/api/v1/auth/login').send({ email: 'down@example.org', password: `guess-${i}` })).status);
    expect(guesses).toEqual([...Array(10).fill(401), 429]);

    // A side effect committed while Redis is down stays in the outbox…
    const marker = randomUUID();
    await t.db.transaction((m) => writeOutbox(m, [{ jobName: 'device.transitioned', payload: { deviceId: device.id, seq: 99, action: marker, fromStatus: null, toStatus: 'X' } }]));
    const [row] = await t.db.query(`SELECT id, published_at FROM outbox_message WHERE payload->>'action' = $1`, [marker]);
    expect(row.published_at).toBeNull();

    // …and is published, then processed, once Redis is back.
    startRedis(port);
    await eventually(async () => (await t.db.query('SELECT published_at FROM outbox_message WHERE id = $1', [row.id]))[0].published_at, 20000);
    // A notification leaves Redis once done: the queue's event stream witnesses its completion.
    const redis = new IORedis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 1 });
    try {
      await eventually(async () => {
        const entries = await redis.xrange(`${t.get(JobProducer).prefix}:events:events`, '-', '+');
        return entries.some(([, f]) => f.join('|').includes(`event|completed|jobId|ev-ob-${row.id}|`));
      }, 20000);
    } finally {
      redis.disconnect();
    }
    const after = await transition(t, w.workshop.agent, device.id, { action: 'collect' });
    expect(after.status).toBe(200);
  });
});

describe('a worker killed in the middle of a transition', () => {
  let t: TestApp;
  let w: World;
  const children: ReturnType<typeof spawn>[] = [];

  beforeAll(async () => {
    t = await TestApp.start({ workers: false, env: { TRANSITION_WAIT_MS: '500' } });
    w = await t.world('Kill');
  });
  afterAll(async () => {
    await Promise.all(children.map(killHard));
    await t?.close();
  });

  it('leaves the device changed once, never twice, and the job completes on another worker', async () => {
    const [device] = await registerDevices(t, w, [{}]);
    const env = { DATABASE_URL: process.env.DATABASE_URL!, BULL_PREFIX: process.env.BULL_PREFIX!, JOB_LOCK_MS: '2000', OUTBOX_POLL_MS: '50' };
    const first = await startWorkerProcess(env);
    children.push(first);

    // Hold the device row so the worker's transaction stops half-way, inside its transaction.
    const blocker = new Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM device WHERE id = $1 FOR UPDATE', [device.id]);
    const key = randomUUID();
    const res = await transition(t, w.workshop.agent, device.id, { action: 'collect' }, key);
    expect(res.status).toBe(202);
    const jobId = res.body.jobId;
    await eventually(async () => {
      const rows = await t.db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM device d WHERE d.id = %FOR UPDATE%'`);
      return rows.length > 0;
    });
    await killHard(first);
    await blocker.query('ROLLBACK');
    await blocker.end();

    children.push(await startWorkerProcess(env));
    const done = await eventually(async () => {
      const r = await t.http.get(`/api/v1/jobs/${jobId}`).set(w.workshop.agent.auth);
      return r.status === 200 && r.body.state === 'completed' ? r.body : undefined;
    }, 30000, 200);
    expect(done.result.statusCode).toBe(200);
    expect(await countEvents(t, device.id, 'collect')).toBe(1);
    const [row] = await t.db.query('SELECT status, version FROM device WHERE id = $1', [device.id]);
    expect(row).toEqual({ status: 'COLLECTED', version: 2 });
    // The client's retry with the same key gets the stored answer, unchanged.
    const retried = await transition(t, w.workshop.agent, device.id, { action: 'collect' }, key);
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(done.result.body);
    expect(await countEvents(t, device.id, 'collect')).toBe(1);
  });
});
