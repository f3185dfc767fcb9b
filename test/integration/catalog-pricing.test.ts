/**
 * Price caps (invariant 6), the coordinator's price grid and its suggestion, and the audit
 * journal of their changes, through the real HTTP API and workers.
 */
import { LEGAL_PRICE_CAPS_CENTS } from '@renum/domain';
import { step, transition } from '../support/flows';
import { TestApp, World } from '../support/test-app';
import { problemSlug, refurbishedDevice } from '../support/catalog-support';

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await TestApp.start();
  w = await t.world('Prix');
});
afterAll(() => t?.close());

const caps = async (user = w.donor.viewer) => {
  const res = await t.http.get('/api/v1/price-caps').set(user.auth);
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.items.map((c: { type: string }) => [c.type, c]));
};

describe('price caps', () => {
  it('are readable by anyone with the legal values until a coordinator changes one', async () => {
    const byType = await caps();
    expect(Object.keys(byType).sort()).toEqual(Object.keys(LEGAL_PRICE_CAPS_CENTS).sort());
    expect(byType.LAPTOP).toEqual({ type: 'LAPTOP', capCents: 18000, legalCapCents: 18000, overridden: false, updatedAt: null });
    expect(byType.MONITOR.capCents).toBe(3000);
    expect(byType.MFP.capCents).toBe(17000);
  });

  it('can be changed by no one but a coordinator (403, nothing recorded)', async () => {
    for (const user of [w.donor.admin, w.workshop.admin, w.charity.admin, w.coordinator.viewer]) {
      const res = await t.http.put('/api/v1/price-caps/LAPTOP').set(user.auth).send({ capCents: 1 });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await caps()).LAPTOP.capCents).toBe(18000);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_event`);
    expect(n).toBe(0);
  });

  it('validates the type and the amount', async () => {
    expect((await t.http.put('/api/v1/price-caps/TOASTER').set(w.coordinator.admin.auth).send({ capCents: 100 })).status).toBe(400);
    expect((await t.http.put('/api/v1/price-caps/LAPTOP').set(w.coordinator.admin.auth).send({ capCents: -1 })).status).toBe(400);
    expect((await t.http.put('/api/v1/price-caps/LAPTOP').set(w.coordinator.admin.auth).send({ capCents: 12.5 })).status).toBe(400);
  });

  it("a coordinator's change is an audit event, and publish then distribute refuse a price above the new cap", async () => {
    const before = await refurbishedDevice(t, w, 'LAPTOP');
    const res = await t.http.put('/api/v1/price-caps/laptop').set(w.coordinator.agent.auth).send({ capCents: 12000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'LAPTOP', capCents: 12000, legalCapCents: 18000, overridden: true });

    const [audit] = await t.db.query(`SELECT * FROM audit_event WHERE action = 'price_cap.changed'`);
    expect(audit).toMatchObject({ territory_id: w.territoryId, actor_user_id: w.coordinator.agent.id, actor_organization_id: w.coordinator.id });
    expect(audit.payload).toMatchObject({ type: 'LAPTOP', from: 18000, to: 12000 });
    const journal = await t.http.get('/api/v1/audit-events?action=price_cap.changed').set(w.coordinator.viewer.auth);
    expect(journal.status).toBe(200);
    expect(journal.body.items).toEqual([expect.objectContaining({ action: 'price_cap.changed', actorUserId: w.coordinator.agent.id, payload: expect.objectContaining({ from: 18000, to: 12000 }) })]);
    expect((await t.http.get('/api/v1/audit-events').set(w.charity.admin.auth)).status).toBe(403);
    // The journal cannot be rewritten, not even in SQL.
    await expect(t.db.query(`UPDATE audit_event SET payload = '{}'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);

    expect((await caps(w.charity.viewer)).LAPTOP).toMatchObject({ capCents: 12000, overridden: true });

    // 150 € is under the legal 180 € but above the territory's 120 €.
    const refused = await transition(t, w.workshop.admin, before.id, { action: 'publish', priceCents: 15000 });
    expect(refused.status).toBe(422);
    expect(problemSlug(refused.body)).toBe('price-above-cap');
    expect((await t.http.get(`/api/v1/devices/${before.id}`).set(w.workshop.admin.auth)).body.status).toBe('REFURBISHED');
    await step(t, w.workshop.admin, before.id, { action: 'publish', priceCents: 12000 });

    await step(t, w.charity.agent, before.id, { action: 'reserve' });
    const beneficiary = { ref: 'DOSSIER-42', eligibility: 'minima_sociaux', postalCode: '69100' };
    const tooMuch = await transition(t, w.charity.agent, before.id, { action: 'distribute', priceCents: 12001, paymentMethod: 'CASH', beneficiary });
    expect(tooMuch.status).toBe(422);
    expect(problemSlug(tooMuch.body)).toBe('price-above-cap');
    expect((await t.http.get(`/api/v1/devices/${before.id}`).set(w.charity.agent.auth)).body.status).toBe('RESERVED');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM distribution WHERE device_id = $1`, [before.id]);
    expect(n).toBe(0);
    await step(t, w.charity.agent, before.id, { action: 'distribute', priceCents: 12000, paymentMethod: 'CASH', beneficiary });
  });

  it('refuses a price above the legal cap where the coordinator set nothing', async () => {
    const phone = await refurbishedDevice(t, w, 'SMARTPHONE');
    const res = await transition(t, w.workshop.admin, phone.id, { action: 'publish', priceCents: LEGAL_PRICE_CAPS_CENTS.SMARTPHONE + 1 });
    expect(res.status).toBe(422);
    expect(problemSlug(res.body)).toBe('price-above-cap');
  });

  it('tells the coordinator how many published devices a lowered cap leaves above it, reserved ones included', async () => {
    const tablet = await refurbishedDevice(t, w, 'TABLET');
    await step(t, w.workshop.admin, tablet.id, { action: 'publish', priceCents: 8000 });
    // A reserved one cannot be handed over at its price any more either.
    const reserved = await refurbishedDevice(t, w, 'TABLET');
    await step(t, w.workshop.admin, reserved.id, { action: 'publish', priceCents: 7000 });
    await step(t, w.charity.agent, reserved.id, { action: 'reserve' });
    const res = await t.http.put('/api/v1/price-caps/TABLET').set(w.coordinator.admin.auth).send({ capCents: 6000 });
    expect(res.status).toBe(200);
    expect(res.body.devicesAboveCap).toBe(2);
  });
});

describe('price grid and suggestion', () => {
  it('suggests the grid price for the type and grade, never above the cap in force', async () => {
    const desktop = await refurbishedDevice(t, w, 'DESKTOP', 'A');
    const none = await t.http.get(`/api/v1/devices/${desktop.code}/price-suggestion`).set(w.workshop.agent.auth);
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ suggestedPriceCents: null, capCents: 15000, grade: 'A', source: 'none' });

    expect((await t.http.put('/api/v1/price-grid/DESKTOP/A').set(w.workshop.admin.auth).send({ priceCents: 9000 })).status).toBe(403);
    const above = await t.http.put('/api/v1/price-grid/DESKTOP/A').set(w.coordinator.admin.auth).send({ priceCents: 15001 });
    expect(above.status).toBe(422);
    expect(problemSlug(above.body)).toBe('price-above-cap');
    expect(above.body.detail).toBe('Le prix proposé (150,01 €) dépasse le plafond en vigueur (150,00 €) pour ce type de matériel.');
    const set = await t.http.put('/api/v1/price-grid/DESKTOP/a').set(w.coordinator.admin.auth).send({ priceCents: 11000 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ type: 'DESKTOP', grade: 'A', priceCents: 11000, capCents: 15000 });
    const grid = await t.http.get('/api/v1/price-grid').set(w.charity.viewer.auth);
    expect(grid.body.items).toEqual([expect.objectContaining({ type: 'DESKTOP', grade: 'A', priceCents: 11000 })]);

    const suggested = await t.http.get(`/api/v1/devices/${desktop.id}/price-suggestion`).set(w.workshop.agent.auth);
    expect(suggested.body).toMatchObject({ suggestedPriceCents: 11000, capCents: 15000, source: 'grid' });

    // The cap falls under the grid price: the suggestion follows the cap.
    await t.http.put('/api/v1/price-caps/DESKTOP').set(w.coordinator.admin.auth).send({ capCents: 10000 }).expect(200);
    const clamped = await t.http.get(`/api/v1/devices/${desktop.id}/price-suggestion`).set(w.coordinator.viewer.auth);
    expect(clamped.body).toMatchObject({ suggestedPriceCents: 10000, capCents: 10000 });
    await step(t, w.workshop.admin, desktop.id, { action: 'publish', priceCents: clamped.body.suggestedPriceCents });

    const actions = (await t.db.query(`SELECT action, payload FROM audit_event WHERE payload->>'type' = 'DESKTOP' ORDER BY id`)).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['price_grid.changed', 'price_cap.changed']);
    expect((await t.http.get(`/api/v1/devices/${desktop.id}/price-suggestion`).set(w.charity.agent.auth)).status).toBe(403);
  });

  it('gives a suggestion only for a device the caller may see (404 otherwise)', async () => {
    const other = await t.world('Ailleurs');
    const device = await refurbishedDevice(t, other, 'LAPTOP');
    expect((await t.http.get(`/api/v1/devices/${device.id}/price-suggestion`).set(w.workshop.agent.auth)).status).toBe(404);
  });
});
