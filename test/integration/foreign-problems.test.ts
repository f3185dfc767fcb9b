/**
 * Errors raised outside our code (Express's unknown route, body-parser, Nest's pipes, multer, the
 * login throttler) still leave as French problem documents, and a tampered list cursor is a 400,
 * never a 500 from a failed SQL cast.
 */
import { TestApp, World } from '../support/test-app';

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await TestApp.start({ workers: false });
  w = await t.world('Pb');
});
afterAll(() => t?.close());

const SOME_UUID = '0190f5a2-7b3c-7d4e-8f60-123456789abc';
/** Nothing English that Express, body-parser, Nest or multer would write. */
const ENGLISH = /Cannot|Expected|Unexpected|Validation failed|Too many|too large|File|ThrottlerException|request entity/;

function expectFrenchProblem(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number, slug: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: `https://renum.fr/problems/${slug}`, title: expect.any(String), detail: expect.any(String) });
  expect(`${res.body.title} ${res.body.detail} ${JSON.stringify(res.body.errors ?? [])}`).not.toMatch(ENGLISH);
}

describe('problems raised outside our code are French', () => {
  it('an unknown route is a 404 naming the method and path', async () => {
    const res = await t.http.get('/api/v1/nope?x=1');
    expectFrenchProblem(res, 404, 'not-found');
    expect(res.body.detail).toBe('Aucune ressource GET /api/v1/nope : vérifiez l’adresse et la méthode.');
  });

  it('a malformed JSON body is a 400 validation error giving the position', async () => {
    const res = await t.http
      .post('/api/v1/devices/RN-AAAA-AAAA/transitions')
      .set(w.workshop.agent.auth)
      .set('Content-Type', 'application/json')
      .send('{"action":"collect""x":1}');
    expectFrenchProblem(res, 400, 'validation-error');
    expect(res.body.detail).toBe("Le corps de la requête n'est pas du JSON valide (position 19).");
    expect(res.body.errors).toEqual([{ field: '(body)', message: 'doit être du JSON valide' }]);
  });

  it('a body over the size limit is a French 413', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'x@example.org', password: 'p'.repeat(9 * 1024 * 1024) }));
    expectFrenchProblem(res, 413, 'payload-too-large');
    expect(res.body.detail).toMatch(/dépasse 8 Mo/);
  });

  it('text no column can store (U+0000, a lone surrogate) is a 400 naming the field, and nothing is written or queued', async () => {
    const before = await t.db.query('SELECT (SELECT count(*) FROM donation)::int AS donations, (SELECT count(*) FROM device)::int AS devices');
    // JSON escapes, as a pasted value or a broken client sends them.
    const donation = await t.http.post('/api/v1/donations').set(w.donor.agent.auth).set('Content-Type', 'application/json').send('{"pickupAddress":"Mairie\\u0000 annexe"}');
    expectFrenchProblem(donation, 400, 'validation-error');
    expect(donation.body.errors).toEqual([{ field: 'pickupAddress', message: expect.stringMatching(/caractère invalide/) }]);
    expect(donation.body.detail).toMatch(/« pickupAddress ».*copier-coller/);

    const ok = await t.http.post('/api/v1/donations').set(w.donor.agent.auth).send({ pickupAddress: 'Mairie annexe' }).expect(201);
    const devices = await t.http
      .post(`/api/v1/donations/${ok.body.id}/devices`)
      .set(w.donor.agent.auth)
      .set('Content-Type', 'application/json')
      .send('{"devices":[{"type":"LAPTOP","brand":"HP\\ud800","model":"ProBook","serialNumber":"SURR-1"}]}');
    expectFrenchProblem(devices, 400, 'validation-error');
    expect(devices.body.errors[0].field).toBe('devices[0].brand');

    const search = await t.http.get('/api/v1/devices?q=%00').set(w.coordinator.agent.auth);
    expectFrenchProblem(search, 400, 'validation-error');
    expect(search.body.errors[0].field).toBe('q');

    // A transition is refused by the api at once, not queued to fail at every retry in the worker.
    const transition = await t.http
      .post(`/api/v1/devices/${SOME_UUID}/transitions`)
      .set(w.charity.agent.auth)
      .set('Idempotency-Key', 'nul-1')
      .set('Content-Type', 'application/json')
      .send('{"action":"release","reason":"a\\u0000b"}');
    expectFrenchProblem(transition, 400, 'validation-error');
    expect(transition.body.errors[0].field).toBe('reason');

    const after = await t.db.query('SELECT (SELECT count(*) FROM donation)::int AS donations, (SELECT count(*) FROM device)::int AS devices');
    expect(after).toEqual([{ donations: before[0].donations + 1, devices: before[0].devices }]);
  });

  it('a path id that is not a UUID is a 400 naming the parameter', async () => {
    const res = await t.http.post('/api/v1/organizations/abc/users').set(w.coordinator.admin.auth).send({ email: 'n@example.org', password: 'long-password-1', role: 'agent' });
    expectFrenchProblem(res, 400, 'validation-error');
    expect(res.body.errors).toEqual([{ field: 'id', message: 'identifiant invalide : un UUID est attendu' }]);
  });

  it.each([
    ['erasure report', '/api/v1/erasures/import', () => w.workshop.agent.auth],
    ['inventory', `/api/v1/donations/${SOME_UUID}/import`, () => w.donor.agent.auth],
  ])('an %s upload in the wrong field, or with two files, says to send one file in `file`', async (_what, url, auth) => {
    const wrongField = await t.http.post(url).set(auth()).attach('other', Buffer.from('a;b\n'), 'x.csv');
    expectFrenchProblem(wrongField, 400, 'validation-error');
    expect(wrongField.body.detail).toContain('« file »');
    expect(wrongField.body.errors).toEqual([{ field: 'other', message: expect.stringContaining('« file »') }]);
    const twoFiles = await t.http.post(url).set(auth()).attach('file', Buffer.from('a;b\n'), 'x.csv').attach('file', Buffer.from('a;b\n'), 'y.csv');
    expectFrenchProblem(twoFiles, 400, 'validation-error');
    expect(twoFiles.body.detail).toContain('un seul fichier');
  });

  it('the login throttler answers a French 429 with a standard Retry-After', async () => {
    let res;
    for (let i = 0; i < 11; i++) res = await t.http.post('/api/v1/auth/login').send({ email: 'throttled@example.org', password: `guess-${i}` });
    expectFrenchProblem(res!, 429, 'too-many-requests');
    const seconds = Number(res!.headers['retry-after']);
    expect(Number.isInteger(seconds) && seconds > 0 && seconds <= 60).toBe(true);
    expect(res!.headers['retry-after-login']).toBeUndefined();
    expect(res!.body.detail).toBe(`Trop de tentatives de connexion. Réessayez dans ${seconds} secondes.`);
  });
});

describe('a tampered list cursor is a 400, not a 500', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const catalogCursors = [
    b64({ t: 'LAPTOP', p: 0, i: 'zz' }),
    b64({ t: 'LAPTOP', p: 1e12, i: SOME_UUID }),
    b64({ t: 'LAPTOP', p: 'abc', i: SOME_UUID }),
    b64({ t: 'LAPTOP', p: 1.5, i: SOME_UUID }),
    b64({ t: 'SPACESHIP', p: 0, i: SOME_UUID }),
    b64([1, 2]),
    '%%%not-base64',
  ];
  const idCursors = [b64({ id: 'zz' }), b64({ id: 12 }), b64(null), 'Zm9v'];

  it.each(catalogCursors)('GET /catalog?cursor=%s', async (cursor) => {
    const res = await t.http.get('/api/v1/catalog').query({ cursor }).set(w.charity.agent.auth);
    expectFrenchProblem(res, 400, 'validation-error');
    expect(res.body.errors).toEqual([{ field: 'cursor', message: 'curseur invalide : reprenez la liste depuis le début' }]);
  });

  it.each([
    ['/api/v1/devices', () => w.workshop.agent.auth],
    ['/api/v1/reservations', () => w.charity.agent.auth],
    ['/api/v1/audit-events', () => w.coordinator.admin.auth],
    ['/api/v1/erasures/rechecks', () => w.workshop.agent.auth],
    ['/api/v1/erasures/incidents', () => w.coordinator.admin.auth],
  ])('GET %s with tampered cursors', async (url, auth) => {
    for (const cursor of idCursors) {
      const res = await t.http.get(url).query({ cursor }).set(auth());
      expectFrenchProblem(res, 400, 'validation-error');
      expect(res.body.errors).toEqual([{ field: 'cursor', message: 'curseur invalide : reprenez la liste depuis le début' }]);
    }
  });

  it('a cursor the API gave still pages on', async () => {
    const res = await t.http.get('/api/v1/catalog').query({ cursor: b64({ t: 'LAPTOP', p: 0, i: SOME_UUID }) }).set(w.charity.agent.auth);
    expect(res.status).toBe(200);
  });
});
