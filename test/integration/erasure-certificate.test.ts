import { CertificateService, certificateJobId } from '@renum/erasure';
import { JobProducer } from '@renum/jobs';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import jsQR from 'jsqr';
import { PDFDocument } from 'pdf-lib';
import { erase, registerDevices, step, toAvailable } from '../support/flows';
import { collectedEarlier, freshLog, readLog, registerHosts, SHARED_NWIPE_DIR, uploadReport } from '../support/erasure-fixtures';
import { eventually, TestApp, World } from '../support/test-app';
import { pageContent, pdfText } from '../support/pdf-text';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const binary = (res: any, done: (err: Error | null, body: any) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** Rebuilds the vector QR (module-unit rectangles, as the labels draw it) from page 1 and decodes it. */
async function qrOfFirstPage(pdf: Buffer): Promise<string | undefined> {
  const content = pageContent(await PDFDocument.load(pdf), 0);
  const block = content.match(/q\n([\d.]+) 0 0 [\d.]+ [\d.]+ [\d.]+ cm\n0 g\n([\d\s re]+)\nf\nQ/);
  if (!block) return undefined;
  const rects = [...block[2].matchAll(/(\d+) (\d+) (\d+) (\d+) re/g)].map((m) => [+m[1], +m[2], +m[3], +m[4]]);
  const size = Math.max(...rects.map(([x, , w]) => x + w), ...rects.map(([, y, , h]) => y + h));
  const scale = 4;
  const side = (size + 8) * scale;
  const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [x, y, w, h] of rects)
    for (let r = y; r < y + h; r++)
      for (let c = x; c < x + w; c++)
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) {
            const i = (((r + 4) * scale + dy) * side + (c + 4) * scale + dx) * 4;
            rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
          }
  return jsQR(rgba, side, side)?.data;
}

describe('erasure certificate and public verification', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await TestApp.start();
    w = await t.world('Cert');
  });
  afterAll(() => t?.close());

  async function certificate(device: string, user = w.workshop.agent) {
    const res = await t.http.get(`/api/v1/devices/${device}/erasure-certificate.pdf`).set(user.auth).buffer(true).parse(binary);
    if (res.status === 202) {
      // Generated in the background: the job finishes, then the PDF is served from the cache.
      await eventually(async () => (await t.http.get(`/api/v1/jobs/${res.body.jobId}`).set(user.auth)).body.state === 'completed', 20000);
      return t.http.get(`/api/v1/devices/${device}/erasure-certificate.pdf`).set(user.auth).buffer(true).parse(binary);
    }
    return res;
  }

  it('issues a PDF with every medium serial and a QR to the public page, which turns invalid when the history is tampered with', async () => {
    const { devices } = await registerHosts(t, w, [{ brand: 'Dell', model: 'OptiPlex 7060', serialNumber: '7XKQ2M2', inventoryNumber: 'VLO-2019-0042' }]);
    const [device] = devices;
    const early = await t.http.get(`/api/v1/devices/${device.id}/erasure-certificate.pdf`).set(w.workshop.agent.auth);
    expect(early.status).toBe(409);
    expect(early.body.type).toMatch(/not-wiped$/);

    // The nwipe log of this machine, its hour-long run ending just now; the device was collected two hours ago, plus a second disk erased by hand.
    await collectedEarlier(t, devices, 2 * 3600_000);
    const log = freshLog(readLog(SHARED_NWIPE_DIR, 'nwipe-single-disk-ok.log').toString('utf8'), new Date(Date.now() + 4.5 * 60_000));
    const imported = await uploadReport(t, w.workshop.agent, log);
    expect(imported.status).toBe(201);
    expect(imported.body.matched).toEqual([expect.objectContaining({ mediumSerial: 'S3Z9NB0K123456X', result: 'PASSED' })]);
    expect((await erase(t, w.workshop.agent, device.id, 'HDD-SECOND-0042', { mediumKind: 'HDD', mediumModel: 'ST1000DM003-1SB1' })).status).toBe(201);
    await step(t, w.workshop.agent, device.id, { action: 'wipe' });

    const res = await certificate(device.id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/pdf/);
    const certificateId = res.headers['x-certificate-id'];
    const text = (await pdfText(res.body));
    for (const expected of ['Certificat d', 'S3Z9NB0K123456X', 'HDD-SECOND-0042', 'Samsung SSD 860', 'PRNG Stream', 'nwipe 0.42', device.code, w.workshop.name, imported.body.sha256, 'NIST SP 800-88']) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain(w.workshop.agent.email);
    const verifyUrl = `http://localhost:3000/verify/${certificateId}`;
    expect(await qrOfFirstPage(res.body)).toBe(verifyUrl);

    // Cached for this head of the history: the same certificate again.
    const again = await certificate(device.id, w.donor.agent);
    expect(again.status).toBe(200);
    expect(again.headers['x-certificate-id']).toBe(certificateId);
    // Invisible devices stay invisible.
    expect((await t.http.get(`/api/v1/devices/${device.id}/erasure-certificate.pdf`).set((await t.world('Elsewhere')).workshop.agent.auth)).status).toBe(404);

    const page = await t.http.get(`/verify/${certificateId}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('data-valid="true"');
    expect(page.text).toContain('Certificat valide');
    // Open to anyone with the id (a charity's copy, without serials, included): the last 4 symbols only.
    expect(page.text).toContain('••••••••456X');
    expect(page.text).not.toContain('S3Z9NB0K123456X');
    expect(page.text).toContain(device.code);
    expect(page.text).not.toMatch(/tech\. [0-9a-f]{8}/);
    expect(page.text).not.toContain(w.workshop.agent.id);
    expect(page.text).not.toContain('statut actuel');
    // The device moves on: the page still verifies the certificate, and says where the device is now.
    await step(t, w.workshop.agent, device.id, { action: 'start_refurbish' });
    const later = await t.http.get(`/verify/${certificateId}`);
    expect(later.text).toContain('data-valid="true"');
    expect(later.text).toContain('1 événement(s) ont suivi ; statut actuel : « En reconditionnement »');

    await t.db.query('ALTER TABLE device_event DISABLE TRIGGER device_event_no_update_delete');
    await t.db.query(`UPDATE device_event SET payload = payload || '{"result":"PASSED","forged":true}' WHERE device_id = $1 AND seq = 3`, [device.id]);
    await t.db.query('ALTER TABLE device_event ENABLE TRIGGER device_event_no_update_delete');
    const tampered = await t.http.get(`/verify/${certificateId}`);
    expect(tampered.status).toBe(200);
    expect(tampered.text).toContain('data-valid="false"');
    expect(tampered.text).toContain('Certificat invalide');

    const unknown = await t.http.get('/verify/0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Certificat inconnu');
  });

  it('escapes on the public page what a workshop typed, even text that starts like its own markup', async () => {
    const [device] = await registerDevices(t, w, [{ serialNumber: 'CERT-SN-MARKUP' }]);
    await step(t, w.workshop.agent, device.id, { action: 'collect' });
    const typed = { mediumModel: '<code><b id="model">SSD</b>', method: '<code><script>alert(document.domain)</script>' };
    expect((await erase(t, w.workshop.agent, device.id, 'CERT-DISK-MARKUP', typed)).status).toBe(201);
    await step(t, w.workshop.agent, device.id, { action: 'wipe' });
    const res = await certificate(device.id);
    expect(res.status).toBe(200);

    const page = await t.http.get(`/verify/${res.headers['x-certificate-id']}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>');
    expect(page.text).not.toContain('<b id="model">');
    expect(page.text).toContain('&lt;code&gt;&lt;script&gt;alert(document.domain)&lt;/script&gt;');
    expect(page.text).toContain('&lt;code&gt;&lt;b id=&quot;model&quot;&gt;SSD&lt;/b&gt;');

    // And were one ever missed, no inline script runs on the public pages (Swagger UI alone needs them).
    const scriptSrc = (csp: string) => csp.split(';').find((d) => d.startsWith('script-src'));
    expect(scriptSrc(page.headers['content-security-policy'])).toBe("script-src 'self'");
    expect(scriptSrc((await t.http.get(`/d/${device.code}`).expect(200)).headers['content-security-policy'])).toBe("script-src 'self'");
    expect(scriptSrc((await t.http.get('/api/docs').expect(200)).headers['content-security-policy'])).toBe("script-src 'self' 'unsafe-inline'");
  });

  it('states "no storage" for a device wiped without any medium', async () => {
    const { devices } = await registerHosts(t, w, [{ type: 'MONITOR', brand: 'Iiyama', model: 'ProLite', serialNumber: 'SCREEN-0001' }]);
    await step(t, w.workshop.agent, devices[0].id, { action: 'wipe', noStorage: true });
    const res = await certificate(devices[0].id);
    expect(res.status).toBe(200);
    expect((await pdfText(res.body))).toContain('Aucun support de stockage');
  });

  it('is given to a charity that sees the device: the same certificate, QR and facts, without the serial numbers', async () => {
    const [device] = await registerDevices(t, w, [{ serialNumber: 'CERT-SN-CHARITY', media: [{ kind: 'SSD', serialNumber: 'CERT-DISK-CHARITY' }] }]);
    const url = `/api/v1/devices/${device.id}/erasure-certificate.pdf`;
    // Still REGISTERED: not in the catalogue, so a charity does not see it (invisible is 404).
    expect((await t.http.get(url).set(w.charity.agent.auth)).status).toBe(404);
    await toAvailable(t, w, device, ['CERT-DISK-CHARITY']);
    expect((await t.http.get(`/api/v1/devices/${device.id}`).set(w.charity.agent.auth)).status).toBe(200);

    // The charity asks first: the job renders and stores the full certificate of this head, the charity is given the copy without serials.
    const first = await certificate(device.id, w.charity.agent);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/application\/pdf/);
    const certificateId = first.headers['x-certificate-id'];
    const given = await certificate(device.id, w.donor.agent);
    expect(given.status).toBe(200);
    expect(given.headers['x-certificate-id']).toBe(certificateId);
    const donorText = await pdfText(given.body);
    for (const expected of ['CERT-SN-CHARITY', 'CERT-DISK-CHARITY', 'N° de série']) expect(donorText).toContain(expected);
    expect(donorText).not.toContain('ne figurent pas sur cet exemplaire');

    // Asked again once stored: rendered from the stored facts.
    const again = await certificate(device.id, w.charity.agent);
    for (const res of [first, again]) {
      expect(res.status).toBe(200);
      expect(res.headers['x-certificate-id']).toBe(certificateId);
      const text = await pdfText(res.body);
      for (const expected of ['Certificat d', certificateId, device.code, 'SSD SATA', 'PRNG Stream', 'nwipe 0.42', 'RÉUSSI', w.workshop.name, 'ne figurent pas sur cet exemplaire']) {
        expect(text).toContain(expected);
      }
      for (const hidden of ['CERT-SN-CHARITY', 'CERT-DISK-CHARITY', 'INV-0', 'N° de série']) expect(text).not.toContain(hidden);
      expect(await qrOfFirstPage(res.body)).toBe(`http://localhost:3000/verify/${certificateId}`);
    }
    expect(await qrOfFirstPage(given.body)).toBe(`http://localhost:3000/verify/${certificateId}`);

    // A charity of another territory does not see the device.
    expect((await t.http.get(url).set((await t.world('Elsewhere')).charity.agent.auth)).status).toBe(404);
  });

  it('tells a charity how many disks lack a proof, not their serials, when the erasure is no longer proven', async () => {
    const [device] = await registerDevices(t, w, [{ serialNumber: 'CERT-SN-UNPROVEN', media: [{ kind: 'SSD', serialNumber: 'CERT-DISK-UNPROVEN' }] }]);
    await toAvailable(t, w, device, ['CERT-DISK-UNPROVEN']);
    // Refurbished and published, the device turns out to hold a second disk, whose erasure fails.
    expect((await erase(t, w.workshop.agent, device.id, 'CERT-FOUND-DISK', { result: 'FAILED' })).status).toBe(201);
    const url = `/api/v1/devices/${device.id}/erasure-certificate.pdf`;
    const professional = await t.http.get(url).set(w.donor.agent.auth);
    expect(professional.status).toBe(409);
    expect(professional.body).toMatchObject({ type: expect.stringMatching(/erasure-not-proven$/), missingMedia: ['CERT-FOUND-DISK'] });
    const charity = await t.http.get(url).set(w.charity.agent.auth);
    expect(charity.status).toBe(409);
    expect(charity.body.type).toMatch(/erasure-not-proven$/);
    expect(charity.body.detail).toContain('1 support(s) de stockage');
    expect(charity.body).not.toHaveProperty('missingMedia');
    expect(JSON.stringify(charity.body)).not.toMatch(/CERT-(FOUND-DISK|DISK-UNPROVEN|SN-UNPROVEN)/);
  });

  it('is refused while a disk found after the wipe has no valid erasure, and given again once it is erased', async () => {
    const { devices } = await registerHosts(t, w, [{ type: 'DESKTOP', brand: 'Fujitsu', model: 'Esprimo', serialNumber: 'FJ-FOUND-DISK' }]);
    await step(t, w.workshop.agent, devices[0].id, { action: 'wipe', noStorage: true });
    const first = await certificate(devices[0].id);
    expect(first.status).toBe(200);
    expect((await t.http.get(`/verify/${first.headers['x-certificate-id']}`)).text).toContain('Certificat valide');
    // Refurbishing, the technician finds a disk after all; its first erasure fails.
    expect((await erase(t, w.workshop.agent, devices[0].id, 'HIDDEN-DISK-1', { result: 'FAILED' })).status).toBe(201);
    // Whoever holds the printed certificate learns from its QR that it no longer proves the erasure.
    const superseded = await t.http.get(`/verify/${first.headers['x-certificate-id']}`);
    expect(superseded.text).toContain('data-valid="false"');
    expect(superseded.text).toContain('Certificat dépassé : l’effacement n’est plus prouvé');
    expect(superseded.text).toContain('1 support de stockage a été enregistré sur ce matériel sans figurer dans ce certificat');
    expect(superseded.text).not.toContain('Certificat valide');
    const refused = await t.http.get(`/api/v1/devices/${devices[0].id}/erasure-certificate.pdf`).set(w.donor.agent.auth);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/erasure-not-proven$/), missingMedia: ['HIDDEN-DISK-1'], detail: expect.stringMatching(/HIDDEN-DISK-1.*effacer ces supports/) });
    expect((await erase(t, w.workshop.agent, devices[0].id, 'HIDDEN-DISK-1')).status).toBe(201);
    const given = await certificate(devices[0].id, w.donor.agent);
    expect(given.status).toBe(200);
    expect(await pdfText(given.body)).toContain('HIDDEN-DISK-1');
  });

  it("lets whoever may see the device follow a certificate job's status URL (the job is shared per head), and nobody else", async () => {
    const { devices } = await registerHosts(t, w, [{ type: 'MONITOR', brand: 'Iiyama', model: 'ProLite', serialNumber: 'SCREEN-JOB' }]);
    const wiped = await step(t, w.workshop.agent, devices[0].id, { action: 'wipe', noStorage: true });
    // The job a technician's request started is the one a donor asking for the same head is sent to follow.
    const technician = w.workshop.agent;
    const requester = { userId: technician.id, apiKeyId: null, organizationId: w.workshop.id, kind: 'WORKSHOP' as const, role: 'agent' as const, territoryId: w.territoryId };
    const jobId = certificateJobId(devices[0].id, wiped.event.seq);
    await t.get(JobProducer).enqueue('erasure.certificate', { deviceId: devices[0].id, seq: wiped.event.seq, requester }, { jobId });
    await eventually(async () => (await t.http.get(`/api/v1/jobs/${jobId}`).set(technician.auth)).body.state === 'completed', 20000);
    for (const reader of [w.donor.agent, w.coordinator.agent]) expect((await t.http.get(`/api/v1/jobs/${jobId}`).set(reader.auth)).body).toMatchObject({ state: 'completed' });
    await t.http.get(`/api/v1/jobs/${jobId}`).set(w.charity.agent.auth).expect(404);
    await t.http.get(`/api/v1/jobs/${jobId}`).set((await t.world('Elsewhere')).coordinator.agent.auth).expect(404);
  });

  it('writes a lost certificate file again, as the same certificate, even when its folder went away', async () => {
    const { devices } = await registerHosts(t, w, [{ type: 'MONITOR', brand: 'Iiyama', model: 'ProLite', serialNumber: 'SCREEN-LOST' }]);
    await step(t, w.workshop.agent, devices[0].id, { action: 'wipe', noStorage: true });
    const first = await certificate(devices[0].id);
    expect(first.status).toBe(200);
    const [{ file_path: file }] = await t.db.query('SELECT file_path FROM erasure_certificate WHERE id = $1', [first.headers['x-certificate-id']]);
    rmSync(dirname(file), { recursive: true, force: true });

    const again = await certificate(devices[0].id);
    expect(again.status).toBe(200);
    expect(again.headers['x-certificate-id']).toBe(first.headers['x-certificate-id']);
    expect(existsSync(file)).toBe(true);
    expect(await qrOfFirstPage(again.body)).toBe(`http://localhost:3000/verify/${first.headers['x-certificate-id']}`);
  });

  it('keeps one certificate per head, its file naming it, when the job at WIPED and requests render it at once', async () => {
    const { devices } = await registerHosts(t, w, [{ type: 'MONITOR', brand: 'Iiyama', model: 'ProLite', serialNumber: 'SCREEN-RACE' }]);
    await step(t, w.workshop.agent, devices[0].id, { action: 'wipe', noStorage: true });
    const [{ event_seq: seq }] = await t.db.query('SELECT event_seq FROM device WHERE id = $1', [devices[0].id]);
    const requester = { userId: w.workshop.agent.id, apiKeyId: null, organizationId: w.workshop.id, kind: 'WORKSHOP' as const, role: 'agent' as const, territoryId: w.territoryId };
    const results = await Promise.all(Array.from({ length: 3 }, () => t.get(CertificateService).generate({ deviceId: devices[0].id, seq, requester })));

    const rows = await t.db.query('SELECT id, file_path FROM erasure_certificate WHERE device_id = $1 AND event_seq = $2', [devices[0].id, seq]);
    expect(rows).toHaveLength(1);
    expect(results.map((r) => r.certificateId)).toEqual([rows[0].id, rows[0].id, rows[0].id]);
    expect(await qrOfFirstPage(readFileSync(rows[0].file_path))).toBe(`http://localhost:3000/verify/${rows[0].id}`);
  });
});
