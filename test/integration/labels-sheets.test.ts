import { JOB_QUEUE, JobProducer } from '@renum/jobs';
import { Logger } from '@nestjs/common';
import { SHEET_FAILED_DETAIL, SHEET_FILE_KEPT_MS, SHEETS_SWEEP_SCHEDULER_ID } from '@renum/labels';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { createDonation, registerDevices } from '../support/flows';
import { binary } from '../support/labels-support';
import { eventually, TestApp, TestUser, World } from '../support/test-app';

const PT_PER_MM = 72 / 25.4;
const mm = (pt: number) => Math.round((pt / PT_PER_MM) * 10) / 10;

async function pdfFacts(body: Buffer) {
  const pdf = await PDFDocument.load(body);
  const sizes = pdf.getPages().map((p) => p.getSize());
  return { pages: pdf.getPageCount(), sizesMm: [...new Set(sizes.map((s) => `${mm(s.width)}x${mm(s.height)}`))] };
}

/** The ^XA…^XZ label formats of a ZPL stream. */
const zplBlocks = (zpl: string) => zpl.match(/\^XA[\s\S]*?\^XZ/g) ?? [];

describe('label sheets: POST /api/v1/labels/sheets', () => {
  let t: TestApp;
  let w: World;
  let other: World;
  let donation: string;
  let devices: { id: string; code: string }[];

  const sheet = (user: TestUser, body: Record<string, unknown>) => t.http.post('/api/v1/labels/sheets').set(user.auth).send(body).buffer(true).parse(binary);

  beforeAll(async () => {
    t = await TestApp.start();
    w = await t.world('Sheet');
    other = await t.world('OtherSheet');
    donation = await createDonation(t, w.donor.agent);
    devices = await registerDevices(t, w, Array.from({ length: 15 }, () => ({})), donation);
  });
  afterAll(() => t?.close());

  it.each([
    ['avery-l7163', 2, '210x297'], // 2 × 7 per A4 page: 15 labels → 2 pages
    ['avery-l7160', 1, '210x297'], // 3 × 7 per page
    ['brother-62x29', 15, '62x29'], // one label per page of tape
  ])('a donation of 15 devices on %s: %i page(s) of %s mm, streamed as application/pdf', async (template, pages, size) => {
    const res = await sheet(w.donor.agent, { donationId: donation, template });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename=".*\.pdf"/);
    expect(await pdfFacts(res.body)).toEqual({ pages, sizesMm: [size] });
  });

  it('ZPL for a list of codes (as scanned: lower case, no dashes): one ^XA…^XZ block per label, each with its code, in order', async () => {
    const chosen = [devices[3], devices[0], devices[7]];
    const res = await sheet(w.workshop.agent, { codes: [chosen[0].code, chosen[1].code.replace(/-/g, '').toLowerCase(), chosen[2].code], template: 'zebra-zpl-50x25' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const blocks = zplBlocks(res.body.toString('utf8'));
    expect(blocks).toHaveLength(3);
    blocks.forEach((block, i) => {
      expect(block).toContain(chosen[i].code);
      expect(block).toContain(`/d/${chosen[i].code}`); // the QR field
    });
  });

  it('refuses what it cannot print, naming the culprit', async () => {
    const [stranger] = await registerDevices(t, other, [{}]);
    const invisible = await sheet(w.donor.agent, { codes: [devices[0].code, stranger.code], template: 'avery-l7163' });
    expect(invisible.status).toBe(404);
    expect(JSON.parse(invisible.body.toString()).detail).toContain(stranger.code);

    const mistyped = devices[1].code.slice(0, -1) + (devices[1].code.endsWith('0') ? '1' : '0');
    const typo = await sheet(w.donor.agent, { codes: [devices[0].code, mistyped], template: 'avery-l7163' });
    expect(typo.status).toBe(400);
    expect(JSON.parse(typo.body.toString())).toMatchObject({ type: expect.stringMatching(/invalid-code$/), detail: expect.stringContaining(mistyped) });

    // Every culprit of a list at once, so a 200-code list is fixed in one go.
    const [stranger2] = await registerDevices(t, other, [{}]);
    const many = JSON.parse((await sheet(w.donor.agent, { codes: [mistyped, devices[0].code, 'RN-AB', 'RN-NFQZ-HUZV'], template: 'avery-l7163' })).body.toString());
    expect(many).toMatchObject({ status: 400, codes: [mistyped, 'RN-AB', 'RN-NFQZ-HUZV'], detail: expect.stringMatching(/^3 codes mal saisis/) });
    expect(many.errors.map((e: { field: string }) => e.field)).toEqual(['codes[0]', 'codes[2]', 'codes[3]']);
    expect(many.errors[2].message).toMatch(/sans doute un V/);
    const unseen = JSON.parse((await sheet(w.donor.agent, { codes: [stranger.code, devices[0].code, stranger2.code], template: 'avery-l7163' })).body.toString());
    expect(unseen).toMatchObject({ status: 404, codes: [stranger.code, stranger2.code], detail: expect.stringContaining(`${stranger.code}, ${stranger2.code}`) });

    expect((await sheet(w.donor.agent, { codes: [devices[0].code], donationId: donation, template: 'avery-l7163' })).status).toBe(400);
    expect((await sheet(w.donor.agent, { template: 'avery-l7163' })).status).toBe(400);
    expect((await sheet(w.donor.agent, { codes: [], template: 'avery-l7163' })).status).toBe(400);
    expect((await sheet(w.donor.agent, { codes: [devices[0].code], template: 'dymo-99012' })).status).toBe(400);
    expect((await sheet(other.donor.agent, { donationId: donation, template: 'avery-l7163' })).status).toBe(404);
    // The donor's own donation with no device yet: not « introuvable », but what to do first.
    const empty = await createDonation(t, w.donor.agent);
    for (const user of [w.donor.agent, w.coordinator.admin]) {
      const res = await sheet(user, { donationId: empty, template: 'avery-l7163' });
      expect(res.status).toBe(422);
      expect(JSON.parse(res.body.toString())).toMatchObject({ type: expect.stringMatching(/donation-without-devices$/), detail: expect.stringMatching(/ne contient encore aucun appareil/) });
    }
    expect((await sheet(other.donor.agent, { donationId: empty, template: 'avery-l7163' })).status).toBe(404);
    expect((await sheet(w.charity.agent, { codes: [devices[0].code], template: 'avery-l7163' })).status).toBe(403);
    expect((await sheet(w.donor.viewer, { codes: [devices[0].code], template: 'avery-l7163' })).status).toBe(403);
  });

  describe('more than 200 labels: made by a documents job, answered when it is done', () => {
    let bigDonation: string;
    let big: { id: string; code: string }[];

    beforeAll(async () => {
      bigDonation = await createDonation(t, w.donor.agent);
      big = await registerDevices(t, w, Array.from({ length: 205 }, (_, i) => ({ type: i % 2 ? 'DESKTOP' : 'LAPTOP' })), bigDonation);
    });

    it('a donation of 205 devices: 200 application/pdf, as a short sheet is answered, sent from the file the job kept', async () => {
      const res = await sheet(w.donor.agent, { donationId: bigDonation, template: 'avery-l7160' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe('attachment; filename="etiquettes-avery-l7160.pdf"');
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(await pdfFacts(res.body)).toEqual({ pages: 10, sizesMm: ['210x297'] }); // 205 labels, 21 a page

      // The job that made it, and where the sheet can be fetched again.
      const downloadUrl = res.headers['content-location'];
      expect(downloadUrl).toMatch(/^\/api\/v1\/labels\/sheets\/doc-/);
      const jobId = downloadUrl.split('/').pop();
      const status = await t.http.get(`/api/v1/jobs/${jobId}`).set(w.donor.agent.auth).expect(200);
      expect(status.body).toMatchObject({ state: 'completed', progress: 100, result: { labels: 205, pages: 10, file: `labels/${jobId}.pdf`, downloadUrl } });
      // Kept under STORAGE_DIR, with no half-written leftovers beside it.
      expect(existsSync(join(t.storageDir, status.body.result.file))).toBe(true);
      expect(readdirSync(join(t.storageDir, 'labels')).filter((f) => f.endsWith('.part'))).toEqual([]);
      const again = await t.http.get(downloadUrl).set(w.donor.agent.auth).buffer(true).parse(binary).expect(200);
      expect(again.body.equals(res.body)).toBe(true);
    });

    it('a list of 201 codes in ZPL: 200 text/plain, one block per label, in order', async () => {
      const codes = big.slice(0, 201).map((d) => d.code);
      const res = await sheet(w.workshop.agent, { codes, template: 'zebra-zpl-50x25' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.headers['content-disposition']).toBe('attachment; filename="etiquettes-zebra-zpl-50x25.zpl"');
      expect(res.headers['cache-control']).toBe('private, no-store');
      const blocks = zplBlocks(res.body.toString('utf8'));
      expect(blocks).toHaveLength(201);
      expect(blocks[0]).toContain(big[0].code);
      expect(blocks[200]).toContain(big[200].code);
    });

    it('a job that fails: the problem its download gives (409 sheet-failed), in French, its raw reason in the server log only', async () => {
      // Where the job writes is a file, not a directory: every attempt fails.
      const dir = join(t.storageDir, 'labels');
      mkdirSync(dir, { recursive: true });
      renameSync(dir, `${dir}.kept`);
      writeFileSync(dir, 'not a directory');
      const warned = jest.spyOn(Logger.prototype, 'warn');
      let res;
      try {
        res = await sheet(w.donor.agent, { donationId: bigDonation, template: 'avery-l7163' });
      } finally {
        rmSync(dir);
        renameSync(`${dir}.kept`, dir);
      }
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(res.body.toString());
      expect(problem).toMatchObject({ status: 409, type: expect.stringMatching(/sheet-failed$/), title: 'Planche non produite', detail: SHEET_FAILED_DETAIL });
      // What failed and what to do; not where the server keeps its files, nor its errno.
      expect(problem.detail).toMatch(/a échoué.*Relancez la demande.*moins d'étiquettes/);
      const [failed] = await t.get(JobProducer).queue('documents').getFailed();
      expect(failed.failedReason).toMatch(/EEXIST|ENOTDIR/); // the job's own reason…
      expect(JSON.stringify(problem)).not.toContain(t.storageDir);
      expect(JSON.stringify(problem)).not.toMatch(/EEXIST|ENOTDIR|\.part/);
      // …is in the api's log, with the job it belongs to.
      const logged = warned.mock.contexts.map((logger, i) => [(logger as { context?: string }).context, String(warned.mock.calls[i][0])]);
      warned.mockRestore();
      expect(logged).toContainEqual(['LabelSheets', expect.stringMatching(new RegExp(`${failed.id}.*(EEXIST|ENOTDIR)`))]);
      const download = await t.http.get(`/api/v1/labels/sheets/${failed.id}`).set(w.donor.agent.auth).expect(409);
      expect(download.body).toMatchObject({ type: problem.type, title: problem.title, detail: SHEET_FAILED_DETAIL });
      // The job's status says the same.
      const status = await t.http.get(`/api/v1/jobs/${failed.id}`).set(w.donor.agent.auth).expect(200);
      expect(status.body).toMatchObject({ state: 'failed', failedReason: SHEET_FAILED_DETAIL });
    });
  });
});

describe('label sheets: a job that outlasts LABEL_SHEET_WAIT_MS', () => {
  let t: TestApp;
  let w: World;
  let other: World;
  let big: { id: string; code: string }[];
  let bigDonation: string;

  const sheet = (user: TestUser, body: Record<string, unknown>) => t.http.post('/api/v1/labels/sheets').set(user.auth).send(body).buffer(true).parse(binary);

  async function completed(user: TestUser, statusUrl: string) {
    return eventually(async () => {
      const res = await t.http.get(statusUrl).set(user.auth).expect(200);
      if (res.body.state === 'failed') throw new Error(`job failed: ${res.body.failedReason}`);
      return res.body.state === 'completed' ? res.body : undefined;
    }, 30000);
  }

  beforeAll(async () => {
    t = await TestApp.start({ env: { LABEL_SHEET_WAIT_MS: '0' } });
    w = await t.world('SlowSheet');
    other = await t.world('OtherSlowSheet');
    bigDonation = await createDonation(t, w.donor.agent);
    big = await registerDevices(t, w, Array.from({ length: 205 }, (_, i) => ({ type: i % 2 ? 'DESKTOP' : 'LAPTOP' })), bigDonation);
  });
  afterAll(() => t?.close());

  it('answers 202 with the job, reports it when done, and serves the PDF to the requester only', async () => {
    const res = await sheet(w.donor.agent, { donationId: bigDonation, template: 'avery-l7160' });
    expect(res.status).toBe(202);
    const accepted = JSON.parse(res.body.toString());
    expect(accepted).toEqual({
      jobId: expect.stringMatching(/^doc-/),
      statusUrl: `/api/v1/jobs/${accepted.jobId}`,
      downloadUrl: `/api/v1/labels/sheets/${accepted.jobId}`,
    });
    const status = await completed(w.donor.agent, accepted.statusUrl);
    expect(status).toMatchObject({ progress: 100, result: { labels: 205, pages: 10, file: `labels/${accepted.jobId}.pdf`, downloadUrl: accepted.downloadUrl } });
    expect(existsSync(join(t.storageDir, status.result.file))).toBe(true);
    expect(readdirSync(join(t.storageDir, 'labels')).filter((f) => f.endsWith('.part'))).toEqual([]);

    const file = await t.http.get(accepted.downloadUrl).set(w.donor.agent.auth).buffer(true).parse(binary).expect(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(await pdfFacts(file.body)).toEqual({ pages: 10, sizesMm: ['210x297'] }); // 205 labels, 21 a page

    // Nobody else: another organisation, nor a colleague, nor anyone for an id that is not a sheet.
    await t.http.get(accepted.downloadUrl).set(other.donor.agent.auth).expect(404);
    await t.http.get(accepted.statusUrl).set(other.donor.agent.auth).expect(404);
    await t.http.get(accepted.downloadUrl).set(w.donor.admin.auth).expect(404);
    await t.http.get('/api/v1/labels/sheets/doc-..%2F..%2Fetc%2Fpasswd').set(w.donor.agent.auth).expect(404);
  });

  it('a list of 201 codes in ZPL: 409 not-ready while the job waits, then one block per label', async () => {
    const documents = t.get(JobProducer).queue('documents');
    await documents.pause();
    let accepted;
    try {
      const codes = big.slice(0, 201).map((d) => d.code);
      const res = await sheet(w.workshop.agent, { codes, template: 'zebra-zpl-50x25' });
      expect(res.status).toBe(202);
      accepted = JSON.parse(res.body.toString());
      const early = await t.http.get(accepted.downloadUrl).set(w.workshop.agent.auth).expect(409);
      expect(early.body.type).toMatch(/not-ready$/);
    } finally {
      await documents.resume();
    }
    const status = await completed(w.workshop.agent, accepted.statusUrl);
    expect(status.result).toMatchObject({ labels: 201, file: `labels/${accepted.jobId}.zpl` });
    const file = await t.http.get(accepted.downloadUrl).set(w.workshop.agent.auth).buffer(true).parse(binary).expect(200);
    expect(file.headers['content-type']).toMatch(/^text\/plain/);
    const blocks = zplBlocks(file.body.toString('utf8'));
    expect(blocks).toHaveLength(201);
    expect(blocks[0]).toContain(big[0].code);
    expect(blocks[200]).toContain(big[200].code);
  });
});

describe('old label sheet files', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t?.close());

  it('are swept daily by a repeatable job, once no job can point to them, with any .part a crash left', async () => {
    const scheduler = await eventually(() => t.get(JobProducer).queue(JOB_QUEUE['labels.sweep']).getJobScheduler(SHEETS_SWEEP_SCHEDULER_ID));
    expect(scheduler).toMatchObject({ name: 'labels.sweep', pattern: '41 4 * * *', tz: 'Europe/Paris' });

    const dir = join(t.storageDir, 'labels');
    mkdirSync(dir, { recursive: true });
    const aged = (name: string, ageMs: number) => {
      writeFileSync(join(dir, name), 'sheet');
      const at = new Date(Date.now() - ageMs);
      utimesSync(join(dir, name), at, at);
    };
    aged('doc-old.pdf', SHEET_FILE_KEPT_MS + 60_000);
    aged('doc-old.zpl.123.0.part', SHEET_FILE_KEPT_MS + 60_000);
    aged('doc-yesterday.pdf', 24 * 3600_000 + 60_000); // its job may still be in Redis
    aged('doc-new.zpl', 0);

    const jobs = t.get(JobProducer);
    const job = await jobs.enqueue('labels.sweep', {}, { jobId: 'doc-sweep-test' });
    const outcome = await jobs.waitFor<{ removed: number }>(job, 15000);
    expect(outcome).toEqual({ state: 'completed', value: { removed: 2 } });
    expect(readdirSync(dir).sort()).toEqual(['doc-new.zpl', 'doc-yesterday.pdf']);
  });
});
