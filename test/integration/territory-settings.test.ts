/**
 * The rules a coordinator sets for its territory: how long a reservation lasts, how many a
 * charity may hold, which beneficiary categories a hand-over may name. Every member reads them
 * (a volunteer needs the categories before a hand-over); a coordinator changes them, journaled;
 * the next reservations and hand-overs follow them.
 */
import { step, transition } from '../support/flows';
import { availableDevices } from '../support/catalog-support';
import { TestApp, World } from '../support/test-app';

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await TestApp.start();
  w = await t.world('Settings');
});
afterAll(() => t?.close());

const settings = (user = w.charity.agent) => t.http.get('/api/v1/territory').set(user.auth);
const change = (body: unknown, user = w.coordinator.agent) => t.http.patch('/api/v1/territory').set(user.auth).send(body as object);

it('shows every member the territory and its rules, never its beneficiary secret', async () => {
  const res = await settings().expect(200);
  expect(res.body).toEqual({ id: w.territoryId, name: expect.any(String), reservationExpiryDays: 7, maxActiveReservations: 20, eligibilityCodes: expect.arrayContaining(['minima_sociaux']) });
  expect(JSON.stringify(res.body)).not.toMatch(/secret/i);
});

it('lets only a coordinator change them, with clear refusals for absurd values, and nothing changed then', async () => {
  for (const user of [w.charity.admin, w.workshop.admin, w.coordinator.viewer]) expect((await change({ maxActiveReservations: 5 }, user)).status).toBe(403);
  const refusals: [unknown, string][] = [
    [{}, '(body)'],
    [{ reservationExpiryDays: 0 }, 'reservationExpiryDays'],
    [{ reservationExpiryDays: 2.5 }, 'reservationExpiryDays'],
    [{ maxActiveReservations: 100000 }, 'maxActiveReservations'],
    [{ eligibilityCodes: [] }, 'eligibilityCodes'],
    [{ eligibilityCodes: ['rsa', 'rsa'] }, 'eligibilityCodes'],
    [{ eligibilityCodes: ['RSA socle'] }, 'eligibilityCodes'],
    [{ beneficiarySecret: 'x' }, 'beneficiarySecret'],
  ];
  for (const [body, field] of refusals) {
    const res = await change(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  }
  expect((await settings().expect(200)).body).toMatchObject({ reservationExpiryDays: 7, maxActiveReservations: 20 });
});

it('applies new rules to the next reservations and hand-overs, and journals who changed what', async () => {
  const changed = await change({ reservationExpiryDays: 2, maxActiveReservations: 1, eligibilityCodes: ['minima_sociaux', 'jeune_decrocheur'] }).expect(200);
  expect(changed.body).toMatchObject({ reservationExpiryDays: 2, maxActiveReservations: 1, eligibilityCodes: ['minima_sociaux', 'jeune_decrocheur'] });
  const [journal] = (await t.http.get('/api/v1/audit-events?action=territory.settings_changed').set(w.coordinator.viewer.auth).expect(200)).body.items;
  expect(journal).toMatchObject({
    actorUserId: w.coordinator.agent.id,
    payload: { from: { reservationExpiryDays: 7, maxActiveReservations: 20 }, to: { reservationExpiryDays: 2, maxActiveReservations: 1, eligibilityCodes: ['minima_sociaux', 'jeune_decrocheur'] } },
  });

  const [first, second] = await availableDevices(t, w, 2);
  const reserved = await step(t, w.charity.agent, first.id, { action: 'reserve' });
  const [r] = await t.db.query('SELECT expires_at, created_at FROM reservation WHERE id = $1', [reserved.event.payload.reservationId]);
  expect(Math.round((new Date(r.expires_at).getTime() - new Date(r.created_at).getTime()) / 3600_000)).toBe(48);
  // One active reservation at most now.
  const over = await transition(t, w.charity.agent, second.id, { action: 'reserve' });
  expect(over.status).toBe(409);
  // A category the territory no longer lists is refused, naming the current list; a new one is accepted.
  const handOver = (eligibility: string) => ({ action: 'distribute', priceCents: 0, paymentMethod: 'FREE', beneficiary: { ref: 'SET-1', eligibility, postalCode: '69100' } });
  const refused = await transition(t, w.charity.agent, first.id, handOver('etudiant_boursier'));
  expect(refused.status).toBe(400); // API.md: an invalid payload
  expect(refused.body).toMatchObject({ type: expect.stringMatching(/validation-error$/), errors: [{ field: 'beneficiary.eligibility', message: expect.stringContaining('minima_sociaux, jeune_decrocheur') }] });
  await step(t, w.charity.agent, first.id, handOver('jeune_decrocheur'));
});
