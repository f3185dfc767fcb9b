/**
 * Refusals as the field meets them: a charity volunteer at the hand-over desk and a workshop
 * technician with a phone must read, in French, what to do next, not only what went wrong.
 */
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
