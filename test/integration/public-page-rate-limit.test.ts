/**
 * The public pages (`/d/{code}`, `/verify/{id}`, no login) answer so many requests a minute per
 * client address (PUBLIC_PAGE_RATE_LIMIT, set low here), then a French page with 429 and
 * Retry-After. Another address, the signed-in API and the login's own limit are not touched.
 * The app trusts X-Forwarded-For from loopback (a proxy on the same host), as supertest connects:
 * each test address is sent that way.
 */
import { randomUUID } from 'node:crypto';
import { registerDevices } from '../support/flows';
import { TestApp, World } from '../support/test-app';

const LIMIT = 5;
let t: TestApp;
let w: World;
let device: { id: string; code: string };

beforeAll(async () => {
  t = await TestApp.start({ workers: false, env: { PUBLIC_PAGE_RATE_LIMIT: String(LIMIT) } });
  w = await t.world('Limit');
  [device] = await registerDevices(t, w, [{}]);
});
afterAll(() => t?.close());

const from = (ip: string) => ({ 'X-Forwarded-For': ip });

it('answers the (limit+1)th public page from one address with a French 429 page and Retry-After, the device pages and certificate checks counted together', async () => {
  const ip = '203.0.113.7';
  // Device page, a spelling redirected to it, an unknown certificate: each one counts.
  const answers = [
    await t.http.get(`/d/${device.code}`).set(from(ip)),
    await t.http.get(`/d/${device.code.replace(/-/g, '').toLowerCase()}`).set(from(ip)),
    await t.http.get(`/verify/${randomUUID()}`).set(from(ip)),
    await t.http.get(`/d/${device.code}`).set(from(ip)),
    await t.http.get(`/verify/not-a-certificate`).set(from(ip)),
  ];
  expect(answers.map((a) => a.status)).toEqual([200, 301, 404, 200, 404]);
  expect(answers.length).toBe(LIMIT);

  const refused = await t.http.get(`/d/${device.code}`).set(from(ip));
  expect(refused.status).toBe(429);
  expect(refused.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
  const retryAfter = Number(refused.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(refused.text).toContain('<html lang="fr">');
  expect(refused.text).toContain('Trop de requêtes');
  expect(refused.text).toContain(`Patientez ${retryAfter} seconde`);
  expect(refused.text).not.toContain(device.code); // nothing of the device while refused

  const verify = await t.http.get(`/verify/${randomUUID()}`).set(from(ip));
  expect(verify.status).toBe(429);
  expect(verify.headers['retry-after']).toMatch(/^\d+$/);
  expect(verify.headers['content-type']).toMatch(/^text\/html/);
  expect(verify.text).toContain('Trop de requêtes');
  expect(verify.text).toContain('certificat');
});

it('leaves another address, the signed-in API and the login limit alone', async () => {
  const ip = '198.51.100.20';
  for (let i = 0; i <= LIMIT; i++) await t.http.get(`/d/${device.code}`).set(from(ip));
  expect((await t.http.get(`/d/${device.code}`).set(from(ip))).status).toBe(429);

  // Another address: its own count.
  expect((await t.http.get(`/d/${device.code}`).set(from('198.51.100.21'))).status).toBe(200);
  // The API from the refused address: not a public page.
  for (let i = 0; i <= LIMIT; i++) {
    expect((await t.http.get(`/api/v1/devices/${device.id}`).set(w.donor.agent.auth).set(from(ip))).status).toBe(200);
  }
  expect((await t.http.get(`/api/v1/scan/${device.code}`).set(w.workshop.agent.auth).set(from(ip))).status).toBe(200);
  // Logging in from it: the login's own limit, not the pages'.
  const login = await t.http.post('/api/v1/auth/login').set(from(ip)).send({ email: w.donor.agent.email, password: 'test-password-123' });
  expect(login.status).toBe(200);
});

it('keeps the login limit and the pages limit apart: logins do not count as pages, nor pages as logins', async () => {
  const ip = '192.0.2.44';
  // More logins than pages allowed (under the login's own ten): none refused, and the pages still open.
  for (let i = 0; i <= LIMIT; i++) {
    expect((await t.http.post('/api/v1/auth/login').set(from(ip)).send({ email: w.donor.agent.email, password: 'wrong-password-x' })).status).toBe(401);
  }
  for (let i = 0; i < LIMIT; i++) expect((await t.http.get(`/d/${device.code}`).set(from(ip))).status).toBe(200);
  const refused = await t.http.get(`/d/${device.code}`).set(from(ip));
  expect(refused.status).toBe(429);
  expect(Object.keys(refused.headers).filter((h) => h.startsWith('retry-after'))).toEqual(['retry-after']);
});

describe('TRUST_PROXY: only a named proxy tells the client address', () => {
  let behind: TestApp;
  let code: string;
  beforeAll(async () => {
    // A load balancer at 10.0.0.5: the test client (loopback) is not it, so its X-Forwarded-For is not believed.
    behind = await TestApp.start({ workers: false, env: { PUBLIC_PAGE_RATE_LIMIT: String(LIMIT), TRUST_PROXY: '10.0.0.5' } });
    const bw = await behind.world('Proxy');
    [{ code }] = await registerDevices(behind, bw, [{}]);
  });
  afterAll(() => behind?.close());

  it('counts the peer, whatever X-Forwarded-For it sends, when the peer is not the named proxy', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await behind.http.get(`/d/${code}`).set(from(`203.0.113.${100 + i}`))).status).toBe(200);
    expect((await behind.http.get(`/d/${code}`).set(from('203.0.113.200'))).status).toBe(429);
  });
});
