/**
 * Refusals as the field meets them: a charity volunteer at the hand-over desk and a workshop
 * technician with a phone must read, in French, what to do next, not only what went wrong.
 */
import { randomUUID } from 'node:crypto';
import { registerDevices, step, toAvailable, transition } from '../support/flows';
import { TestApp, World } from '../support/test-app';

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await TestApp.start();
  w = await t.world('Field');
});

afterAll(async () => {
  await t?.close();
});

describe('hand-over with an eligibility category outside the territory list', () => {
  it.each(['RSA', 'Minima sociaux', 'minima_sociaux_x'])('« %s » → 400 naming the codes to choose from, and nothing applied', async (eligibility) => {
    const [device] = await registerDevices(t, w, [{}]);
    await toAvailable(t, w, device);
    await step(t, w.charity.agent, device.id, { action: 'reserve' });
    const res = await transition(t, w.charity.agent, device.id, {
      action: 'distribute',
      priceCents: 5000,
      paymentMethod: 'CASH',
      beneficiary: { ref: 'DOS-1', eligibility, postalCode: '69100' },
    });
    expect(res.status).toBe(400);
    expect(res.body.type).toMatch(/validation-error$/);
    expect(res.body.errors).toEqual([{ field: 'beneficiary.eligibility', message: expect.stringContaining('minima_sociaux, demandeur_emploi, etudiant_boursier, senior_isole, autre') }]);
    expect(res.body.detail).toMatch(/indiquez l'un de ces codes/);
    const after = await t.http.get(`/api/v1/devices/${device.id}`).set(w.charity.agent.auth).expect(200);
    expect(after.body.status).toBe('RESERVED');
  });
});

describe('hand-over replayed after its category left the territory list', () => {
  it('gets the answer it was given (200), not a 400: the same Idempotency-Key is the same request', async () => {
    const [device] = await registerDevices(t, w, [{}]);
    await toAvailable(t, w, device);
    await step(t, w.charity.agent, device.id, { action: 'reserve' });
    const body = { action: 'distribute', priceCents: 5000, paymentMethod: 'CASH', beneficiary: { ref: 'DOS-2', eligibility: 'senior_isole', postalCode: '69100' } };
    const key = randomUUID();
    const applied = await transition(t, w.charity.agent, device.id, body, key);
    expect(applied.status).toBe(200);
    const settings = (await t.http.get('/api/v1/territory').set(w.coordinator.agent.auth).expect(200)).body;
    const without = settings.eligibilityCodes.filter((c: string) => c !== 'senior_isole');
    await t.http.patch('/api/v1/territory').set(w.coordinator.agent.auth).send({ eligibilityCodes: without }).expect(200);
    try {
      // The answer was lost on the way (a dropped connection): the volunteer's app sends it again.
      for (const ref of [device.id, device.code]) {
        const replay = await transition(t, w.charity.agent, ref, body, key);
        expect([replay.status, replay.text]).toEqual([200, applied.text]);
      }
      // A new hand-over naming it is refused, as before.
      const fresh = await transition(t, w.charity.agent, device.id, body);
      expect(fresh.status).toBe(400);
    } finally {
      await t.http.patch('/api/v1/territory').set(w.coordinator.agent.auth).send({ eligibilityCodes: settings.eligibilityCodes }).expect(200);
    }
  });
});
