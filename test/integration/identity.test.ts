import { createHttpApp } from '@renum/composition';
import request from 'supertest';
import { registerDevices } from '../support/flows';
import { TestApp, World } from '../support/test-app';

/** The secret part of an API key `rk_<prefix>_<secret>`; the secret is base64url, so it may hold `_` itself. */
const secretOf = (key: string) => key.split('_').slice(2).join('_');

describe('identity and access', () => {
  let t: TestApp;
  let a: World;
  let b: World;

  beforeAll(async () => {
    // No worker: a transition here is answered 202 after the wait, kept short.
    t = await TestApp.start({ workers: false, env: { TRANSITION_WAIT_MS: '200' } });
    [a, b] = [await t.world('A'), await t.world('B')];
  });
  afterAll(() => t?.close());

  it('logs in and tells who I am', async () => {
    const res = await t.http.get('/api/v1/me').set(a.donor.agent.auth).expect(200);
    expect(res.body).toEqual({
      user: { id: a.donor.agent.id, email: a.donor.agent.email, role: 'agent' },
      organization: expect.objectContaining({ id: a.donor.id, kind: 'DONOR', territoryId: a.territoryId }),
    });
  });

  it('answers 401 with a problem document for a wrong password, and for no credentials', async () => {
    const res = await t.http.post('/api/v1/auth/login').send({ email: a.donor.agent.email, password: 'wrong-password' }).expect(401);
    // API answers are the caller's own: no cache keeps them (a login's token, a device, a report).
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await t.http.get('/api/v1/me').set(a.donor.agent.auth)).headers['cache-control']).toBe('no-store');
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, type: expect.stringMatching(/invalid-credentials$/), title: expect.any(String) });
    await t.http.get('/api/v1/me').expect(401);
    await t.http.get('/api/v1/me').set('Authorization', 'Bearer not-a-jwt').expect(401);
  });

  it('refuses organisation creation to a donor agent (403)', async () => {
    const res = await t.http.post('/api/v1/organizations').set(a.donor.agent.auth).send({ name: 'Nope', kind: 'CHARITY' }).expect(403);
    expect(res.body.type).toMatch(/forbidden$/);
  });

  it('lets a coordinator create an organisation in its own territory only', async () => {
    const res = await t.http.post('/api/v1/organizations').set(a.coordinator.agent.auth).send({ name: 'CCAS de Démo', kind: 'CHARITY', siret: '216 901 231 00019' }).expect(201);
    expect(res.body).toMatchObject({ id: expect.any(String), name: 'CCAS de Démo', kind: 'CHARITY', territoryId: a.territoryId, siret: '21690123100019' });
    await t.http.post('/api/v1/organizations').set(a.coordinator.agent.auth).send({ name: 'CCAS de Démo', kind: 'CHARITY' }).expect(409);
    // Typed again in other case by another coordinator, it is the same CCAS: the answer names it as registered.
    const again = await t.http.post('/api/v1/organizations').set(a.coordinator.admin.auth).send({ name: 'ccas DE démo', kind: 'CHARITY' }).expect(409);
    expect(again.body).toMatchObject({ type: expect.stringMatching(/organization-exists$/), existingName: 'CCAS de Démo' });
    expect(again.body.detail).toContain('« CCAS de Démo »');
    // Another territory may have its own.
    await t.http.post('/api/v1/organizations').set(b.coordinator.agent.auth).send({ name: 'ccas de démo', kind: 'CHARITY' }).expect(201);
    // An « é » typed as e + combining accent, or doubled spaces, is the same name too.
    const decomposed = await t.http.post('/api/v1/organizations').set(a.coordinator.agent.auth).send({ name: ' CCAS  de De\u0301mo ', kind: 'CHARITY' }).expect(409);
    expect(decomposed.body.existingName).toBe('CCAS de Démo');
  });

  it('names the organisation registered when several coordinators create it at once', async () => {
    const spellings = ['Course Asso 1', 'course asso 1', 'COURSE ASSO 1'];
    const answers = await Promise.all(spellings.map((name) => t.http.post('/api/v1/organizations').set(a.coordinator.agent.auth).send({ name, kind: 'CHARITY' })));
    const created = answers.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    const refused = answers.filter((r) => r.status === 409);
    expect(refused.map((r) => r.body.existingName)).toEqual([created[0].body.name, created[0].body.name]);
  });

  it('hides the organisations of another territory from a coordinator (404, never 403)', async () => {
    await t.http.get(`/api/v1/organizations/${b.charity.id}`).set(a.coordinator.admin.auth).expect(404);
    const res = await t.http
      .post(`/api/v1/organizations/${b.charity.id}/users`)
      .set(a.coordinator.admin.auth)
      .send({ email: 'intrus@example.org', password: 'long-enough-pw', role: 'agent' })
      .expect(404);
    expect(res.body.type).toMatch(/not-found$/);
    const list = await t.http.get('/api/v1/organizations').set(a.coordinator.admin.auth).expect(200);
    expect(list.body.items.map((o: { territoryId: string }) => o.territoryId)).toEqual(expect.arrayContaining([a.territoryId]));
    expect(list.body.items.some((o: { territoryId: string }) => o.territoryId !== a.territoryId)).toBe(false);
  });

  it("answers 403, saying who may, to a caller who sees an organisation but may not manage its accounts and keys; 404 for another territory's", async () => {
    const c = await t.world('Managers');
    const charity = c.charity.id;
    const [userId, keyId] = [c.charity.agent.id, (await t.http.post(`/api/v1/organizations/${charity}/api-keys`).set(c.charity.admin.auth).send({ name: 'Accueil' }).expect(201)).body.id];
    const calls = (org: string) => [
      t.http.post(`/api/v1/organizations/${org}/users`).send({ email: 'intrus@managers.test', password: 'long-enough-pw', role: 'admin' }),
      t.http.get(`/api/v1/organizations/${org}/users`),
      t.http.patch(`/api/v1/organizations/${org}/users/${userId}`).send({ disabled: true }),
      t.http.post(`/api/v1/organizations/${org}/api-keys`).send({ name: 'Intrus' }),
      t.http.get(`/api/v1/organizations/${org}/api-keys`),
      t.http.delete(`/api/v1/organizations/${org}/api-keys/${keyId}`),
    ];
    // Every member of the territory sees the charity (GET 200), whatever its kind and role; only
    // its admin and the coordination manage its accounts and keys.
    const others = [c.workshop.admin, c.workshop.agent, c.donor.admin, c.recycler.admin, c.charity.agent, c.charity.viewer, c.coordinator.viewer];
    for (const user of others) {
      await t.http.get(`/api/v1/organizations/${charity}`).set(user.auth).expect(200);
      for (const call of calls(charity)) {
        const res = await call.set(user.auth);
        expect([user.email, res.status, res.body.type]).toEqual([user.email, 403, expect.stringMatching(/forbidden$/)]);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.detail).toContain(`Seul l'administrateur de « ${c.charity.name} », ou un coordinateur du territoire`);
      }
    }
    // A coordination's accounts: its admins only, and the answer says so.
    const coordination = await t.http.get(`/api/v1/organizations/${c.coordinator.id}/users`).set(c.workshop.admin.auth);
    expect(coordination.status).toBe(403);
    expect(coordination.body.detail).toMatch(/Seul un administrateur d'une coordination/);
    // Another territory's charity is invisible to each of them, admin or not: 404, never 403.
    for (const user of [...others, c.charity.admin, c.coordinator.admin]) {
      await t.http.get(`/api/v1/organizations/${b.charity.id}`).set(user.auth).expect(404);
      for (const call of calls(b.charity.id)) {
        const res = await call.set(user.auth);
        expect([user.email, res.status, res.body.type]).toEqual([user.email, 404, expect.stringMatching(/not-found$/)]);
      }
    }
    // Nothing changed: no account, no key, the agent still enabled, the key not revoked.
    expect(await t.db.query(`SELECT 1 FROM app_user WHERE email = 'intrus@managers.test'`)).toEqual([]);
    expect(await t.db.query(`SELECT 1 FROM api_key WHERE name = 'Intrus'`)).toEqual([]);
    expect(await t.db.query('SELECT disabled_at FROM app_user WHERE id = $1', [userId])).toEqual([{ disabled_at: null }]);
    expect(await t.db.query('SELECT revoked_at FROM api_key WHERE id = $1', [keyId])).toEqual([{ revoked_at: null }]);
    // Its admin and the coordination still do.
    await t.http.get(`/api/v1/organizations/${charity}/users`).set(c.charity.admin.auth).expect(200);
    await t.http.get(`/api/v1/organizations/${charity}/api-keys`).set(c.coordinator.agent.auth).expect(200);
  });

  it("lets an organisation's admin add users, but not its agents", async () => {
    await t.http
      .post(`/api/v1/organizations/${a.charity.id}/users`)
      .set(a.charity.agent.auth)
      .send({ email: 'benevole1@asso.test', password: 'long-enough-pw', role: 'agent' })
      .expect(403);
    const res = await t.http
      .post(`/api/v1/organizations/${a.charity.id}/users`)
      .set(a.charity.admin.auth)
      .send({ email: 'Benevole2@Asso.test', password: 'long-enough-pw', role: 'agent' })
      .expect(201);
    expect(res.body).toEqual({ id: expect.any(String), email: 'benevole2@asso.test', role: 'agent', organizationId: a.charity.id });
    await t.login('BENEVOLE2@asso.test', 'long-enough-pw');
  });

  it('keeps accounts and keys out of reach of API keys, and of coordinator agents for their own organisation', async () => {
    const coordinationKey = (await t.http.post(`/api/v1/organizations/${a.coordinator.id}/api-keys`).set(a.coordinator.admin.auth).send({ name: 'Tableau de bord' }).expect(201)).body.key;
    const viaKey = (path: string) => t.http.post(path).set('X-Api-Key', coordinationKey);
    // A key may not mint an admin, nor another key that would outlive its own revocation.
    const admin = await viaKey(`/api/v1/organizations/${a.coordinator.id}/users`).send({ email: 'escalade@coord.test', password: 'long-enough-pw', role: 'admin' });
    expect(admin.status).toBe(403);
    expect(admin.body.detail).toMatch(/session utilisateur/);
    await viaKey(`/api/v1/organizations/${a.coordinator.id}/api-keys`).send({ name: 'k2' }).expect(403);
    await viaKey(`/api/v1/organizations/${a.donor.id}/users`).send({ email: 'escalade2@coord.test', password: 'long-enough-pw', role: 'agent' }).expect(403);
    await t.http.get(`/api/v1/organizations/${a.coordinator.id}/api-keys`).set('X-Api-Key', coordinationKey).expect(403);
    // A coordinator agent onboards other organisations, but does not make admins of its own.
    await t.http.post(`/api/v1/organizations/${a.coordinator.id}/users`).set(a.coordinator.agent.auth).send({ email: 'escalade3@coord.test', password: 'long-enough-pw', role: 'admin' }).expect(403);
    await t.http.post(`/api/v1/organizations/${a.coordinator.id}/api-keys`).set(a.coordinator.agent.auth).send({ name: 'k3' }).expect(403);
    await t.http.post(`/api/v1/organizations/${a.donor.id}/users`).set(a.coordinator.agent.auth).send({ email: 'admin.mairie@donor.test', password: 'long-enough-pw', role: 'admin' }).expect(201);
    // Nor through a second coordination: an agent may neither create one nor manage its accounts (an admin does).
    await t.http.post('/api/v1/organizations').set(a.coordinator.agent.auth).send({ name: 'Coordination bis', kind: 'COORDINATOR' }).expect(403);
    const peer = (await t.http.post('/api/v1/organizations').set(a.coordinator.admin.auth).send({ name: 'Coordination ter', kind: 'COORDINATOR' }).expect(201)).body;
    await t.http.post(`/api/v1/organizations/${peer.id}/users`).set(a.coordinator.agent.auth).send({ email: 'escalade4@coord.test', password: 'long-enough-pw', role: 'admin' }).expect(403);
    await t.http.post(`/api/v1/organizations/${peer.id}/users`).set(a.coordinator.admin.auth).send({ email: 'admin.ter@coord.test', password: 'long-enough-pw', role: 'admin' }).expect(201);
    const created = await t.db.query(`SELECT email FROM app_user WHERE email LIKE 'escalade%'`);
    expect(created).toEqual([]);
    expect(await t.db.query(`SELECT name FROM api_key WHERE name IN ('k2', 'k3')`)).toEqual([]);
  });

  it("keeps a job to the API key that started it: another key of the same organisation gets 404", async () => {
    const keyOf = async (name: string) => (await t.http.post(`/api/v1/organizations/${a.workshop.id}/api-keys`).set(a.workshop.admin.auth).send({ name }).expect(201)).body.key as string;
    const [scanner, other] = [await keyOf('Douchette 1'), await keyOf('Douchette 2')];
    const [device] = await registerDevices(t, a, [{}]);
    // No worker runs in this file: the transition is answered 202 with its job, which waits.
    const accepted = await t.http.post(`/api/v1/devices/${device.id}/transitions`).set('X-Api-Key', scanner).set('Idempotency-Key', 'k-1').send({ action: 'collect' }).expect(202);
    expect((await t.http.get(accepted.body.statusUrl).set('X-Api-Key', scanner).expect(200)).body).toMatchObject({ state: 'waiting' });
    await t.http.get(accepted.body.statusUrl).set('X-Api-Key', other).expect(404);
    await t.http.get(accepted.body.statusUrl).set(a.workshop.agent.auth).expect(404);
  });

  it('pages the organisations and the API keys like every list, and refuses a tampered cursor', async () => {
    const first = await t.http.get('/api/v1/organizations').query({ limit: 2 }).set(a.coordinator.agent.auth).expect(200);
    expect(first.body.items).toHaveLength(2);
    const seen = [...first.body.items];
    for (let cursor = first.body.nextCursor; cursor; ) {
      const next = await t.http.get('/api/v1/organizations').query({ limit: 2, cursor }).set(a.coordinator.agent.auth).expect(200);
      seen.push(...next.body.items);
      cursor = next.body.nextCursor;
    }
    const all = (await t.http.get('/api/v1/organizations').set(a.coordinator.agent.auth).expect(200)).body.items;
    expect(seen.map((o: { id: string }) => o.id)).toEqual(all.map((o: { id: string }) => o.id));
    expect(all.length).toBeGreaterThan(2);
    for (const cursor of ['garbage', Buffer.from('{"n":1,"i":"x"}').toString('base64url')]) {
      expect((await t.http.get('/api/v1/organizations').query({ cursor }).set(a.coordinator.agent.auth)).status).toBe(400);
    }
    await t.http.get('/api/v1/organizations').query({ limit: 'abc' }).set(a.coordinator.agent.auth).expect(400);
    for (const name of ['k-a', 'k-b', 'k-c']) await t.http.post(`/api/v1/organizations/${a.donor.id}/api-keys`).set(a.donor.admin.auth).send({ name }).expect(201);
    const keys = await t.http.get(`/api/v1/organizations/${a.donor.id}/api-keys`).query({ limit: 2 }).set(a.donor.admin.auth).expect(200);
    expect(keys.body.items).toHaveLength(2);
    const rest = await t.http.get(`/api/v1/organizations/${a.donor.id}/api-keys`).query({ limit: 50, cursor: keys.body.nextCursor }).set(a.donor.admin.auth).expect(200);
    expect([...keys.body.items, ...rest.body.items].map((k: { name: string }) => k.name)).toEqual(expect.arrayContaining(['k-a', 'k-b', 'k-c']));
    await t.http.get(`/api/v1/organizations/${a.donor.id}/api-keys`).query({ cursor: 'garbage' }).set(a.donor.admin.auth).expect(400);
  });

  it('authenticates with an API key until it is revoked', async () => {
    const created = await t.http.post(`/api/v1/organizations/${a.donor.id}/api-keys`).set(a.donor.admin.auth).send({ name: 'GLPI' }).expect(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^rk_/);
    const me = await t.http.get('/api/v1/me').set('X-Api-Key', key).expect(200);
    expect(me.body.organization.id).toBe(a.donor.id);
    const listed = await t.http.get(`/api/v1/organizations/${a.donor.id}/api-keys`).set(a.donor.admin.auth).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(secretOf(key));
    const stored = await t.db.query('SELECT secret_hash FROM api_key WHERE id = $1', [created.body.id]);
    expect(stored[0].secret_hash).not.toContain(secretOf(key));
    await t.http.delete(`/api/v1/organizations/${a.donor.id}/api-keys/${created.body.id}`).set(a.donor.admin.auth).expect(200);
    const revoked = await t.http.get('/api/v1/me').set('X-Api-Key', key).expect(401);
    expect(revoked.body.type).toMatch(/invalid-api-key$/);
    await t.http.get('/api/v1/me').set('X-Api-Key', key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A')).expect(401);
  });

  it("journals account administration in the territory's audit log: organisations, users, API keys created and revoked", async () => {
    const c = await t.world('Journal');
    const org = (await t.http.post('/api/v1/organizations').set(c.coordinator.agent.auth).send({ name: 'Atelier du journal', kind: 'WORKSHOP' }).expect(201)).body;
    const user = (await t.http.post(`/api/v1/organizations/${org.id}/users`).set(c.coordinator.agent.auth).send({ email: 'chef.journal@example.org', password: 'un-mot-de-passe-long', role: 'admin' }).expect(201)).body;
    const key = (await t.http.post(`/api/v1/organizations/${org.id}/api-keys`).set(c.coordinator.agent.auth).send({ name: 'Inventaire' }).expect(201)).body;
    for (let i = 0; i < 2; i++) await t.http.delete(`/api/v1/organizations/${org.id}/api-keys/${key.id}`).set(c.coordinator.agent.auth).expect(200);

    const journal = (await t.http.get('/api/v1/audit-events').set(c.coordinator.viewer.auth).expect(200)).body.items;
    const by = { actorUserId: c.coordinator.agent.id, actorOrganizationId: c.coordinator.id };
    expect(journal).toEqual([
      // newest first; the second revocation changed nothing and is not journaled
      expect.objectContaining({ ...by, action: 'api_key.revoked', payload: { apiKeyId: key.id, organizationId: org.id } }),
      expect.objectContaining({ ...by, action: 'api_key.created', payload: { apiKeyId: key.id, organizationId: org.id, name: 'Inventaire' } }),
      expect.objectContaining({ ...by, action: 'user.created', payload: { userId: user.id, organizationId: org.id, email: 'chef.journal@example.org', role: 'admin' } }),
      expect.objectContaining({ ...by, action: 'organization.created', payload: { organizationId: org.id, name: 'Atelier du journal', kind: 'WORKSHOP' } }),
    ]);
    expect(JSON.stringify(journal)).not.toContain(secretOf(key.key));
    // Another territory's coordinator reads none of it.
    expect((await t.http.get('/api/v1/audit-events?action=user.created').set(b.coordinator.admin.auth).expect(200)).body.items.map((e: { payload: { userId?: string } }) => e.payload.userId)).not.toContain(user.id);
  });

  it("lets an organisation's admin or a coordinator list its accounts and disable one who left, journaled", async () => {
    const c = await t.world('Leaver');
    const users = `/api/v1/organizations/${c.workshop.id}/users`;
    const created = (await t.http.post(users).set(c.workshop.admin.auth).send({ email: 'parti@example.org', password: 'un-mot-de-passe-long', role: 'agent' }).expect(201)).body;
    const listed = (await t.http.get(users).set(c.workshop.admin.auth).expect(200)).body;
    expect(listed.items).toContainEqual({ id: created.id, email: 'parti@example.org', role: 'agent', createdAt: expect.any(String), disabledAt: null });
    expect(JSON.stringify(listed)).not.toMatch(/password/i);
    expect(await t.login('parti@example.org', 'un-mot-de-passe-long')).toEqual(expect.any(String));

    // Nobody else: an agent, another organisation's admin (403: the workshop is visible to it), nor the account itself.
    await t.http.patch(`${users}/${created.id}`).set(c.workshop.agent.auth).send({ disabled: true }).expect(403);
    await t.http.patch(`${users}/${created.id}`).set(c.donor.admin.auth).send({ disabled: true }).expect(403);
    const own = await t.http.patch(`${users}/${c.workshop.admin.id}`).set(c.workshop.admin.auth).send({ disabled: true });
    expect(own.status).toBe(409);
    expect(own.body.type).toMatch(/own-account$/);
    await t.http.patch(`${users}/${created.id}`).set(c.workshop.admin.auth).send({ disabled: 'yes' }).expect(400);

    const disabled = (await t.http.patch(`${users}/${created.id}`).set(c.workshop.admin.auth).send({ disabled: true }).expect(200)).body;
    expect(disabled).toMatchObject({ id: created.id, disabledAt: expect.any(String) });
    await t.http.patch(`${users}/${created.id}`).set(c.workshop.admin.auth).send({ disabled: true }).expect(200); // again: no change, not journaled twice
    const refused = await t.http.post('/api/v1/auth/login').send({ email: 'parti@example.org', password: 'un-mot-de-passe-long' });
    expect(refused.status).toBe(401);

    await t.http.patch(`${users}/${created.id}`).set(c.coordinator.agent.auth).send({ disabled: false }).expect(200);
    expect(await t.login('parti@example.org', 'un-mot-de-passe-long')).toEqual(expect.any(String));
    const journal = (await t.http.get('/api/v1/audit-events').set(c.coordinator.viewer.auth).expect(200)).body.items;
    expect(journal.filter((e: { payload: { userId?: string } }) => e.payload.userId === created.id).map((e: { action: string }) => e.action)).toEqual(['user.enabled', 'user.disabled', 'user.created']);
  });

  it('lets a disabled account, its token still valid, make no account nor API key that would outlive its disabling', async () => {
    const c = await t.world('Fired');
    const org = `/api/v1/organizations/${c.donor.id}`;
    await t.http.patch(`${org}/users/${c.donor.admin.id}`).set(c.coordinator.admin.auth).send({ disabled: true }).expect(200);

    const stale = c.donor.admin.auth;
    const attempts = [
      t.http.post(`${org}/api-keys`).set(stale).send({ name: 'après mon départ' }),
      t.http.post(`${org}/users`).set(stale).send({ email: 'porte-derobee@example.org', password: 'un-mot-de-passe-long', role: 'admin' }),
      t.http.get(`${org}/users`).set(stale),
      t.http.patch(`${org}/users/${c.donor.agent.id}`).set(stale).send({ disabled: true }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401);
      expect(res.body.type).toMatch(/invalid-token$/);
    }
    expect(await t.db.query('SELECT 1 FROM api_key WHERE organization_id = $1', [c.donor.id])).toEqual([]);
    expect(await t.db.query(`SELECT 1 FROM app_user WHERE email = 'porte-derobee@example.org'`)).toEqual([]);
    expect(await t.db.query('SELECT disabled_at FROM app_user WHERE id = $1', [c.donor.agent.id])).toEqual([{ disabled_at: null }]);

    // Enabled again, the same token manages the accounts again.
    await t.http.patch(`${org}/users/${c.donor.admin.id}`).set(c.coordinator.admin.auth).send({ disabled: false }).expect(200);
    await t.http.post(`${org}/api-keys`).set(stale).send({ name: 'de retour' }).expect(201);
  });

  it('answers a malformed body with a 400 problem naming the field, and rejects unknown fields', async () => {
    const bad = await t.http.post('/api/v1/organizations').set(a.coordinator.admin.auth).send({ name: 'X', kind: 'BANK' }).expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body).toMatchObject({ status: 400, type: expect.stringMatching(/validation-error$/) });
    expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'kind' })]));
    const unknown = await t.http.post('/api/v1/organizations').set(a.coordinator.admin.auth).send({ name: 'Y', kind: 'DONOR', iban: 'FR76' }).expect(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'iban' })]);
    const notJson = await t.http.post('/api/v1/organizations').set(a.coordinator.admin.auth).set('Content-Type', 'application/json').send('{"name":').expect(400);
    expect(notJson.body.type).toMatch(/validation-error$/);
    // Valid JSON nested 100,000 deep, even before logging in: a 400, not a stack overflow (500).
    const deep = await t.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send('['.repeat(100_000) + ']'.repeat(100_000)).expect(400);
    expect(deep.body).toMatchObject({ type: expect.stringMatching(/validation-error$/), detail: expect.stringMatching(/imbriquée/) });
  });

  it('answers a request Node cannot parse with a problem document, not a bare status line', async () => {
    // A header over Node's 16 KB limit (a runaway cookie, a token pasted twice) never reaches Express.
    const big = await t.http.get('/api/v1/me').set(a.donor.agent.auth).set('X-Filler', 'x'.repeat(20_000));
    expect(big.status).toBe(431);
    expect(big.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(big.body).toMatchObject({ status: 431, type: expect.stringMatching(/headers-too-large$/), title: expect.any(String) });
    // The server still answers on a new connection.
    await t.http.get('/api/v1/me').set(a.donor.agent.auth).expect(200);
  });

  it('rate-limits repeated login failures for one address', async () => {
    const attempts = [];
    for (let i = 0; i < 12; i++) attempts.push((await t.http.post('/api/v1/auth/login').send({ email: 'victim@example.org', password: `guess-${i}` })).status);
    expect(attempts.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(attempts.slice(10)).toEqual([429, 429]);
  });

  it('counts login failures across api instances, so a second instance does not double the guesses', async () => {
    const other = await createHttpApp({ logger: false });
    await other.init();
    try {
      const instances = [t.http, request(other.getHttpServer())];
      const attempts = [];
      // Alternating between the two instances, as a load balancer would.
      for (let i = 0; i < 12; i++) attempts.push((await instances[i % 2].post('/api/v1/auth/login').send({ email: 'spread@example.org', password: `guess-${i}` })).status);
      expect(attempts.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(attempts.slice(10)).toEqual([429, 429]);
    } finally {
      await other.close();
    }
  });

  it('reports health of the database and Redis, and serves the OpenAPI document', async () => {
    const health = await t.http.get('/health').expect(200);
    expect(health.body).toEqual({ status: 'ok', database: 'up', redis: 'up' });
    const docs = await t.http.get('/api/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/me', '/api/v1/organizations']));
  });
});
