import { RenumConfig } from '@renum/platform';
import { erase, registerDevices, step, transition } from '../support/flows';
import { binary, BENEFICIARY_REF, decodeQrPng, distributedLaptop } from '../support/labels-support';
import { TestApp, World } from '../support/test-app';

/** Flips the check symbol of a code: a single mistyped character. */
const mistype = (code: string) => code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');

describe('labels: single labels, scan resolution, public device page', () => {
  let t: TestApp;
  let w: World;
  let other: World;
  let publicUrl: string;

  beforeAll(async () => {
    t = await TestApp.start();
    w = await t.world('Lbl');
    other = await t.world('Other');
    publicUrl = t.get(RenumConfig).PUBLIC_URL.replace(/\/+$/, '');
  });
  afterAll(() => t?.close());

  describe('single labels', () => {
    it('PNG label: its QR decodes to exactly the public page URL; private cache; invisible device 404', async () => {
      const [device] = await registerDevices(t, w, [{ type: 'DESKTOP' }]);
      const res = await t.http.get(`/api/v1/devices/${device.code}/label.png`).set(w.donor.agent.auth).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['cache-control']).toMatch(/private/);
      expect(decodeQrPng(res.body)).toBe(`${publicUrl}/d/${device.code}`);
      // Same through the id and a sloppy spelling of the code.
      const byId = await t.http.get(`/api/v1/devices/${device.id}/label.png`).set(w.workshop.agent.auth).buffer(true).parse(binary).expect(200);
      expect(decodeQrPng(byId.body)).toBe(`${publicUrl}/d/${device.code}`);
      await t.http.get(`/api/v1/devices/${device.code.replace(/-/g, '').toLowerCase()}/label.png`).set(w.donor.agent.auth).expect(200);

      await t.http.get(`/api/v1/devices/${device.code}/label.png`).set(other.donor.agent.auth).expect(404);
      await t.http.get(`/api/v1/devices/${device.code}/label.png`).expect(401);
    });

    it('SVG label: the code in clear, the type in French and the custodian, with the SVG content type', async () => {
      const [device] = await registerDevices(t, w, [{ type: 'LAPTOP' }]);
      const res = await t.http.get(`/api/v1/devices/${device.code}/label.svg`).set(w.donor.agent.auth).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(res.headers['cache-control']).toMatch(/private/);
      const svg = res.body.toString('utf8');
      expect(svg).toMatch(/^<svg /);
      expect(svg).toContain(`>${device.code}</text>`);
      expect(svg).toContain('Ordinateur portable');
      expect(svg).toContain(w.donor.name.split(' ')[0]);
      const mistyped = await t.http.get(`/api/v1/devices/${mistype(device.code)}/label.svg`).set(w.donor.agent.auth).expect(404);
      expect(mistyped.body.type).toMatch(/invalid-code$/);
    });
  });

  describe('GET /api/v1/scan/{code}', () => {
    let device: { id: string; code: string };
    beforeAll(async () => {
      [device] = await registerDevices(t, w, [{}]);
    });

    const scan = (raw: string, auth = w.workshop.agent.auth) => t.http.get(`/api/v1/scan/${encodeURIComponent(raw)}`).set(auth);

    it.each([
      ['the printed code', (c: string) => c],
      ['no dashes', (c: string) => c.replace(/-/g, '')],
      ['lower case', (c: string) => c.toLowerCase()],
      ['lower case without dashes or RN', (c: string) => c.slice(3).replace(/-/g, '').toLowerCase()],
      ['a keyboard-wedge scanner suffix \\r\\n', (c: string) => `${c}\r\n`],
      ['a tab suffix', (c: string) => `${c}\t`],
      ['an AIM ]Q1 symbology prefix', (c: string) => `]Q1${c}`],
      ['the full label URL', (c: string) => `http://localhost:3000/d/${c}`],
      ['the full label URL, lower case, with a query string', (c: string) => `https://renum.example.org/d/${c.toLowerCase()}?src=qr`],
    ])('resolves %s', async (_label, spell) => {
      const res = await scan(spell(device.code)).expect(200);
      expect(res.body.device).toMatchObject({ id: device.id, code: device.code, status: 'REGISTERED' });
    });

    it('tells a mistyped code apart from an unknown one: 404 (API.md) of type invalid-code that says so', async () => {
      const res = await scan(mistype(device.code)).expect(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.type).toMatch(/invalid-code$/);
      expect(res.body.detail).toMatch(/mal saisi|contrôle/);
      // A well-formed code nobody holds (RN-0000-0000 has a valid check symbol) is a plain not-found.
      expect((await scan('RN-0000-0000').expect(404)).body.type).toMatch(/\/not-found$/);
    });

    it('tells a code with a symbol missing or one too many that it is mistyped, not unknown', async () => {
      for (const typed of [device.code.slice(0, -1), `${device.code}6`]) {
        const res = await scan(typed).expect(404);
        expect(res.body.type).toMatch(/invalid-code$/);
        expect(res.body.detail).toMatch(/caractère\(s\) après « RN- » au lieu de 8/);
      }
    });

    it('returns the actions this caller may perform now: collect for a workshop agent, nothing for the donor', async () => {
      const workshop = await scan(device.code).expect(200);
      expect(workshop.body.allowedActions).toEqual(['collect']);
      const donor = await scan(device.code, w.donor.agent.auth).expect(200);
      expect(donor.body.allowedActions).toEqual([]);
      await scan(device.code, other.workshop.agent.auth).expect(404);
    });

    it('holds back, with the reason, the actions a missing erasure proof would refuse: no button that answers 422', async () => {
      const [laptop] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: 'SCAN-DISK-1' }] }]);
      await step(t, w.workshop.agent, laptop.id, { action: 'collect' });
      const before = await scan(laptop.code).expect(200);
      expect(before.body.allowedActions).toEqual([]);
      expect(before.body.blockedActions.map((b: { action: string }) => b.action)).toEqual(['wipe', 'recycle']);
      expect(before.body.blockedActions[0]).toMatchObject({ type: expect.stringMatching(/erasure-missing$/), detail: expect.stringContaining('SCAN-DISK-1') });
      // What the scan held back is what the transition refuses.
      expect((await transition(t, w.workshop.agent, laptop.id, { action: 'wipe' })).status).toBe(422);
      expect((await erase(t, w.workshop.agent, laptop.id, 'SCAN-DISK-1')).status).toBe(201);
      const after = await scan(laptop.code).expect(200);
      expect(after.body).toMatchObject({ allowedActions: ['wipe', 'recycle'], blockedActions: [] });
    });

    it('cannot be reached with an unencoded URL (slashes split the path)', async () => {
      const res = await t.http.get(`/api/v1/scan/http://localhost:3000/d/${device.code}`).set(w.workshop.agent.auth);
      expect(res.status).toBe(404);
    });
  });

  describe('public page GET /d/{code}', () => {
    let laptop: Awaited<ReturnType<typeof distributedLaptop>>;
    beforeAll(async () => {
      laptop = await distributedLaptop(t, w);
    });

    it('shows a distributed device in plain French, without serial, inventory number, beneficiary, price or user', async () => {
      const res = await t.http.get(`/d/${laptop.code}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      const html: string = res.text;
      expect(html).toMatch(/<html lang="fr">/);
      expect(html).toMatch(/<header>[\s\S]*<\/header>\s*<main>[\s\S]*<\/main>\s*<footer>/);
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('Remis à un bénéficiaire');
      expect(html).toContain('Effacement des données prouvé');
      expect(html).toContain('Ordinateur portable');
      expect(html).toContain(`${laptop.brand} ${laptop.model}`);
      expect(html).toContain(w.charity.name); // the charity now holds it
      for (const secret of [laptop.serialNumber, laptop.diskSerial, laptop.inventoryNumber, BENEFICIARY_REF, '69100', '4700', '47,00', '47.00', w.charity.agent.email, w.workshop.agent.email]) {
        expect(html).not.toContain(secret);
      }
      expect(html).not.toContain('/api/v1/devices/'); // anonymous: no link to the API
    });

    it('offers a signed-in user who may see the device a link to it in the API, and no one else', async () => {
      const mine = await t.http.get(`/d/${laptop.code}`).set(w.donor.agent.auth).expect(200);
      expect(mine.text).toContain(`href="/api/v1/devices/${laptop.id}"`);
      const stranger = await t.http.get(`/d/${laptop.code}`).set(other.coordinator.agent.auth).expect(200);
      expect(stranger.text).not.toContain('/api/v1/devices/');
      // A bad token does not break the public page.
      const bad = await t.http.get(`/d/${laptop.code}`).set('Authorization', 'Bearer nonsense').expect(200);
      expect(bad.text).not.toContain('/api/v1/devices/');
    });

    it('says erasure is not yet proven for a registered device, and redirects other spellings to the canonical address', async () => {
      const [device] = await registerDevices(t, w, [{ type: 'SMARTPHONE' }]);
      const page = await t.http.get(`/d/${device.code}`).expect(200);
      expect(page.text).toContain('Déclaré par le donateur');
      expect(page.text).toContain('Effacement des données non encore prouvé');
      expect(page.text).toContain('Smartphone');
      const redirect = await t.http.get(`/d/${device.code.replace(/-/g, '').toLowerCase()}`).expect(301);
      expect(redirect.headers.location).toBe(`/d/${device.code}`);
    });

    it('answers an unknown or mistyped code with a 404 page in French (HTML, not JSON)', async () => {
      const unknown = await t.http.get('/d/RN-0000-0000').expect(404);
      expect(unknown.headers['content-type']).toMatch(/^text\/html/);
      expect(unknown.text).toMatch(/<html lang="fr">/);
      expect(unknown.text).toContain('Matériel introuvable');
      const mistyped = await t.http.get(`/d/${mistype(laptop.code)}`).expect(404);
      expect(mistyped.headers['content-type']).toMatch(/^text\/html/);
      expect(mistyped.text).toContain('mal saisi');
      const junk = await t.http.get('/d/%3Cscript%3Ealert(1)%3C%2Fscript%3E').expect(404);
      expect(junk.text).not.toContain('<script>');
      expect(junk.text).toContain('&lt;script&gt;');
    });
  });
});
