import { erase, FULL_CHECKLIST, registerDevices, step, toAvailable, transition } from '../support/flows';
import { collectedEarlier, freshLog, readLog, registerHosts, SHARED_NWIPE_DIR, uploadReport } from '../support/erasure-fixtures';
import { eventually, TestApp, World } from '../support/test-app';
import { JOB_QUEUE, JobProducer } from '@renum/jobs';
import { RECHECK_DRAW_SCHEDULER_ID, RecheckDrawProcessor } from '@renum/erasure';

describe('independent re-checks of erasures (R2v3)', () => {
  let t: TestApp;
  let w: World;
  let scheduler: unknown;

  beforeAll(async () => {
    // Every erasure drawn, so the test knows which ones are in the queue.
    t = await TestApp.start({ env: { RECHECK_SHARE: '1' } });
    w = await t.world('Recheck');
    // The scheduled draw (every 15 minutes) is run by hand below: a tick during a test would draw
    // what the test means to draw by request. It was registered at start-up; keep it and take it off.
    const queue = t.get(JobProducer).queue(JOB_QUEUE['erasure.draw-for-recheck']);
    scheduler = await eventually(() => queue.getJobScheduler(RECHECK_DRAW_SCHEDULER_ID));
    t.get(RecheckDrawProcessor).beforeApplicationShutdown();
    await queue.removeJobScheduler(RECHECK_DRAW_SCHEDULER_ID);
  });
  afterAll(() => t?.close());

  const pending = async (user = w.workshop.agent) => (await t.http.get('/api/v1/erasures/rechecks').set(user.auth).expect(200)).body.items;

  it('draws imported erasures at once, refuses the technician who erased, and a FAILED re-check keeps the device in until erased again', async () => {
    const { devices } = await registerHosts(t, w, [{ brand: 'Dell', model: 'OptiPlex 7060', serialNumber: '7XKQ2M2', inventoryNumber: 'VLO-2019-0042' }]);
    const [device] = devices;
    await collectedEarlier(t, devices, 2 * 3600_000); // before the hour-long run of the log
    const log = freshLog(readLog(SHARED_NWIPE_DIR, 'nwipe-single-disk-ok.log').toString('utf8'), new Date(Date.now() + 4.5 * 60_000));
    const imported = await uploadReport(t, w.workshop.agent, log);
    expect(imported.status).toBe(201);
    const erasureId = imported.body.matched[0].erasureId;

    const queue = await pending();
    const recheck = queue.find((r: { erasureId: string }) => r.erasureId === erasureId);
    expect(recheck).toMatchObject({ code: device.code, mediumSerial: 'S3Z9NB0K123456X', status: 'PENDING', erasedByUserId: w.workshop.agent.id });
    // The coordinator sees the territory's queue; another workshop does not see it.
    expect((await pending(w.coordinator.agent)).map((r: { id: string }) => r.id)).toContain(recheck.id);
    const elsewhere = await t.world('OtherWorkshop');
    expect(await pending(elsewhere.workshop.agent)).toEqual([]);
    expect((await t.http.post(`/api/v1/erasures/rechecks/${recheck.id}`).set(elsewhere.workshop.admin.auth).send({ outcome: 'CONFIRMED' })).status).toBe(404);
    // Who cannot see it gets 404 whatever their kind; who sees it but may not decide, 403.
    for (const user of [elsewhere.coordinator.admin, w.donor.agent, w.charity.agent, elsewhere.workshop.viewer]) {
      expect((await t.http.post(`/api/v1/erasures/rechecks/${recheck.id}`).set(user.auth).send({ outcome: 'CONFIRMED' })).status).toBe(404);
    }
    for (const user of [w.coordinator.admin, w.workshop.viewer]) {
      expect((await t.http.post(`/api/v1/erasures/rechecks/${recheck.id}`).set(user.auth).send({ outcome: 'CONFIRMED' })).status).toBe(403);
    }

    const same = await t.http.post(`/api/v1/erasures/rechecks/${recheck.id}`).set(w.workshop.agent.auth).send({ outcome: 'CONFIRMED' });
    expect(same.status).toBe(403);
    expect(same.body).toMatchObject({ type: expect.stringMatching(/same-technician$/), detail: expect.stringMatching(/autre technicien/) });

    await step(t, w.workshop.agent, device.id, { action: 'wipe' });
    await step(t, w.workshop.agent, device.id, { action: 'start_refurbish' });
    await step(t, w.workshop.agent, device.id, { action: 'refurbish', grade: 'B', checklist: FULL_CHECKLIST, os: 'Linux Mint 22' });

    const failed = await t.http.post(`/api/v1/erasures/rechecks/${recheck.id}`).set(w.workshop.admin.auth).send({ outcome: 'FAILED', note: 'Données lisibles en fin de disque' });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ status: 'FAILED', voided: true });
    expect(failed.body.incidentId).toBeUndefined();
    const twice = await t.http.post(`/api/v1/erasures/rechecks/${recheck.id}`).set(w.workshop.admin.auth).send({ outcome: 'CONFIRMED' });
    expect(twice.status).toBe(409);

    const erasures = await t.http.get(`/api/v1/devices/${device.id}/erasures`).set(w.workshop.agent.auth).expect(200);
    expect(erasures.body.items[0]).toMatchObject({ id: erasureId, voided: true, voidReason: expect.stringMatching(/Données lisibles/) });
    const events = await t.http.get(`/api/v1/devices/${device.id}/events`).set(w.workshop.agent.auth).expect(200);
    expect(events.body.items.at(-1)).toMatchObject({ action: 'erasure_voided', payload: expect.objectContaining({ erasureId, recheckId: recheck.id }) });
    expect((await t.http.get(`/api/v1/devices/${device.id}/events/verify`).set(w.workshop.agent.auth)).body.valid).toBe(true);

    const publish = await transition(t, w.workshop.admin, device.id, { action: 'publish', priceCents: 9000 });
    expect(publish.status).toBe(422);
    expect(publish.body.type).toMatch(/erasure-missing$/);
    expect(publish.body.missingMedia).toEqual(['S3Z9NB0K123456X']);

    expect((await erase(t, w.workshop.admin, device.id, 'S3Z9NB0K123456X')).status).toBe(201);
    expect((await transition(t, w.workshop.admin, device.id, { action: 'publish', priceCents: 9000 })).status).toBe(200);
  });

  it('draws manual erasures on demand, once, and a FAILED re-check on a device that left raises an incident with the holder to contact', async () => {
    const [laptop] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: 'LEFT-DISK-001' }] }]);
    await toAvailable(t, w, laptop, ['LEFT-DISK-001']);
    await step(t, w.charity.agent, laptop.id, { action: 'reserve' });
    await step(t, w.charity.agent, laptop.id, { action: 'distribute', priceCents: 5000, paymentMethod: 'CASH', beneficiary: { ref: 'D-1', eligibility: 'autre', postalCode: '69100' } });

    expect((await t.http.post('/api/v1/erasures/rechecks/draw').set(w.workshop.agent.auth).send({})).status).toBe(403);
    // The workshop whose erasures are sampled does not choose the seed (it would choose the sample).
    const chosen = await t.http.post('/api/v1/erasures/rechecks/draw').set(w.workshop.admin.auth).send({ seed: 'audit-1' });
    expect(chosen.status).toBe(400);
    expect(chosen.body.errors).toEqual([expect.objectContaining({ field: 'seed' })]);
    const draw = await t.http.post('/api/v1/erasures/rechecks/draw').set(w.workshop.admin.auth).send({});
    expect(draw.status).toBe(201);
    expect(draw.body).toMatchObject({ share: 1, seed: expect.stringMatching(/^[0-9a-f]{24}$/) });
    const drawn = draw.body.selected.find((s: { code: string }) => s.code === laptop.code);
    expect(drawn).toBeDefined();
    // Nothing is drawn twice.
    const second = await t.http.post('/api/v1/erasures/rechecks/draw').set(w.workshop.admin.auth).send({});
    expect(second.body).toMatchObject({ considered: 0, selected: [] });

    const failed = await t.http.post(`/api/v1/erasures/rechecks/${drawn.id}`).set(w.workshop.admin.auth).send({ outcome: 'FAILED' });
    expect(failed.status).toBe(200);
    expect(failed.body.incidentId).toEqual(expect.any(String));

    expect((await t.http.get('/api/v1/erasures/incidents').set(w.workshop.admin.auth)).status).toBe(403);
    const incidents = await t.http.get('/api/v1/erasures/incidents').set(w.coordinator.agent.auth).expect(200);
    expect(incidents.body.items).toEqual([
      expect.objectContaining({
        id: failed.body.incidentId,
        code: laptop.code,
        deviceStatus: 'DISTRIBUTED',
        holder: { organizationId: w.charity.id, name: w.charity.name, kind: 'CHARITY' },
        erasure: expect.objectContaining({ id: drawn.erasureId, mediumSerial: 'LEFT-DISK-001' }),
      }),
    ]);
    // The outbox relayed the notification job.
    await eventually(async () => {
      const [row] = await t.db.query(`SELECT published_at FROM outbox_message WHERE job_name = 'erasure.incident' AND payload->>'incidentId' = $1`, [failed.body.incidentId]);
      return row?.published_at;
    });
  });

  it('a CONFIRMED re-check leaves the erasure valid', async () => {
    const [d] = await registerDevices(t, w, [{ media: [{ kind: 'HDD', serialNumber: 'OK-DISK-9' }] }]);
    await step(t, w.workshop.agent, d.id, { action: 'collect' });
    expect((await erase(t, w.workshop.agent, d.id, 'OK-DISK-9')).status).toBe(201);
    const draw = await t.http.post('/api/v1/erasures/rechecks/draw').set(w.workshop.admin.auth).send({});
    const r = draw.body.selected.find((s: { code: string }) => s.code === d.code);
    const ok = await t.http.post(`/api/v1/erasures/rechecks/${r.id}`).set(w.workshop.admin.auth).send({ outcome: 'CONFIRMED', note: 'Relu : zéros' });
    expect(ok.body).toMatchObject({ status: 'CONFIRMED', voided: false });
    await step(t, w.workshop.agent, d.id, { action: 'wipe' });
    const decided = (await t.http.get('/api/v1/erasures/rechecks?status=CONFIRMED').set(w.workshop.agent.auth)).body.items;
    expect(decided).toContainEqual(expect.objectContaining({ id: r.id, decidedByUserId: w.workshop.admin.id, note: 'Relu : zéros' }));
  });

  it('draws, by a scheduled job, the erasures typed by hand in every workshop, once', async () => {
    const jobs = t.get(JobProducer);
    expect(scheduler).toMatchObject({ name: 'erasure.draw-for-recheck', pattern: '*/15 * * * *', tz: 'Europe/Paris' });

    const second = await t.world('SecondWorkshop');
    const [mine] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: 'HAND-A-1' }, { kind: 'HDD', serialNumber: 'HAND-A-2' }, { kind: 'HDD', serialNumber: 'HAND-A-3' }] }]);
    const [theirs] = await registerDevices(t, second, [{ media: [{ kind: 'SSD', serialNumber: 'HAND-B-1' }] }]);
    await step(t, w.workshop.agent, mine.id, { action: 'collect' });
    await step(t, second.workshop.agent, theirs.id, { action: 'collect' });
    const recorded = async (res: { status: number; body: { id: string } }) => {
      expect(res.status).toBe(201);
      return res.body.id;
    };
    const logical = [
      await recorded(await erase(t, w.workshop.agent, mine.id, 'HAND-A-1')),
      await recorded(await erase(t, w.workshop.agent, mine.id, 'HAND-A-2')),
      await recorded(await erase(t, second.workshop.agent, theirs.id, 'HAND-B-1')),
    ];
    // Neither a failed erasure nor a destruction is a logical wipe to re-check.
    const others = [
      await recorded(await erase(t, w.workshop.agent, mine.id, 'HAND-A-3', { result: 'FAILED', errors: 3 })),
      await recorded(await erase(t, w.workshop.agent, mine.id, 'HAND-A-3', { level: 'DESTROY', method: 'Shredding', tool: 'Broyeur', verification: 'NONE' })),
    ];
    const draws = async (ids: string[]) => t.db.query('SELECT erasure_id, selected FROM erasure_draw WHERE erasure_id = ANY($1) ORDER BY erasure_id', [ids]);
    const rechecks = async (ids: string[]) => t.db.query('SELECT erasure_id, status FROM erasure_recheck WHERE erasure_id = ANY($1) ORDER BY erasure_id', [ids]);
    // Typed by hand: in no draw until the scheduled job runs.
    expect(await draws([...logical, ...others])).toEqual([]);

    const job = await jobs.enqueue('erasure.draw-for-recheck', {}, { jobId: 'ev-recheck-draw-test' });
    expect(await jobs.waitFor(job, 15000)).toEqual({ state: 'completed', value: { workshops: 2, considered: 3, selected: 3 } });
    const sorted = [...logical].sort();
    expect(await draws([...logical, ...others])).toEqual(sorted.map((erasure_id) => ({ erasure_id, selected: true })));
    expect(await rechecks([...logical, ...others])).toEqual(sorted.map((erasure_id) => ({ erasure_id, status: 'PENDING' })));
    // Each workshop finds its own in its queue.
    expect((await pending(w.workshop.agent)).map((r: { erasureId: string }) => r.erasureId)).toEqual(expect.arrayContaining(logical.slice(0, 2)));
    expect((await pending(second.workshop.agent)).map((r: { erasureId: string }) => r.erasureId)).toEqual([logical[2]]);

    // Run again: nothing new is drawn; the admin's request still works and finds nothing either.
    expect(await t.get(RecheckDrawProcessor).run()).toEqual({ workshops: 0, considered: 0, selected: 0 });
    expect(await draws([...logical, ...others])).toHaveLength(3);
    expect(await rechecks([...logical, ...others])).toHaveLength(3);
    const asked = await t.http.post('/api/v1/erasures/rechecks/draw').set(w.workshop.admin.auth).send({});
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ considered: 0, selected: [] });
  });
  it('the scheduled draw leaves undrawn the erasures of disks no longer on the bench (device left, or erased before its return); its admin can still draw them', async () => {
    const bench = await t.world('BenchWorkshop');
    const [gone, back, kept] = await registerDevices(t, bench, [
      { media: [{ kind: 'SSD', serialNumber: 'BENCH-GONE-1' }] },
      { media: [{ kind: 'SSD', serialNumber: 'BENCH-BACK-1' }] },
      { media: [{ kind: 'HDD', serialNumber: 'BENCH-KEPT-1' }] },
    ]);
    const handOver = async (device: { id: string }, ref: string) => {
      await step(t, bench.charity.agent, device.id, { action: 'reserve' });
      await step(t, bench.charity.agent, device.id, { action: 'distribute', priceCents: 5000, paymentMethod: 'CASH', beneficiary: { ref, eligibility: 'autre', postalCode: '69100' } });
    };
    // Erased by hand and handed over before any scheduled draw ran: its disk is at a beneficiary's.
    await toAvailable(t, bench, gone, ['BENCH-GONE-1']);
    await handOver(gone, 'B-1');
    // Handed over, then brought back: the erasure made before the return no longer proves anything; the new one does.
    await toAvailable(t, bench, back, ['BENCH-BACK-1']);
    await handOver(back, 'B-2');
    await step(t, bench.workshop.agent, back.id, { action: 'return', reason: 'Rendu : ne démarre plus' });
    expect((await erase(t, bench.workshop.agent, back.id, 'BENCH-BACK-1')).status).toBe(201);
    // Erased by hand, still on the bench.
    await step(t, bench.workshop.agent, kept.id, { action: 'collect' });
    expect((await erase(t, bench.workshop.agent, kept.id, 'BENCH-KEPT-1')).status).toBe(201);

    const erasures: { id: string; medium_serial: string }[] = await t.db.query(
      'SELECT id, medium_serial FROM erasure_record WHERE device_id = ANY($1) ORDER BY created_at',
      [[gone.id, back.id, kept.id]],
    );
    const [goneErasure, backBefore, backAfter, keptErasure] = erasures.map((e) => e.id);
    expect(erasures.map((e) => e.medium_serial)).toEqual(['BENCH-GONE-1', 'BENCH-BACK-1', 'BENCH-BACK-1', 'BENCH-KEPT-1']);
    const drawn = async () =>
      (await t.db.query('SELECT erasure_id FROM erasure_draw WHERE erasure_id = ANY($1)', [erasures.map((e) => e.id)])).map((r: { erasure_id: string }) => r.erasure_id).sort();

    await t.get(RecheckDrawProcessor).run();
    expect(await drawn()).toEqual([backAfter, keptErasure].sort());
    // Left undrawn, not marked as drawn: the next run leaves them too, and the workshop's admin may still ask.
    expect(await t.get(RecheckDrawProcessor).run()).toEqual({ workshops: 0, considered: 0, selected: 0 });
    const asked = await t.http.post('/api/v1/erasures/rechecks/draw').set(bench.workshop.admin.auth).send({});
    expect(asked.body).toMatchObject({ considered: 2 });
    expect(await drawn()).toEqual([goneErasure, backBefore, backAfter, keptErasure].sort());
  });
});
