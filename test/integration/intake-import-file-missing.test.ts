/**
 * An import whose stored file is gone when the worker reads it (a storage volume not shared
 * between api and worker, a file removed by hand): the donor is told in French to import again,
 * and never reads the server's storage path or the system error.
 */
import { IMPORT_FILE_MISSING } from '@renum/intake';
import { JobWorkerHost } from '@renum/jobs';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDonation } from '../support/flows';
import { generateGlpiExport, uploadInventory } from '../support/intake-import';
import { eventually, TestApp, World } from '../support/test-app';

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await TestApp.start({ workers: false });
  w = await t.world('ImportGone');
});
afterAll(async () => {
  await t?.close();
});

it('a stored file gone before the worker reads it fails the import in French, without the storage path', async () => {
  const donationId = await createDonation(t, w.donor.agent);
  const upload = await uploadInventory(t, w.donor.agent, donationId, generateGlpiExport(3, 'GONE-'));
  expect(upload.status).toBe(202);
  rmSync(join(t.storageDir, 'imports'), { recursive: true, force: true });
  await t.get(JobWorkerHost).start();

  const job = await eventually(async () => {
    const res = await t.http.get(`/api/v1/jobs/${upload.body.jobId}`).set(w.donor.agent.auth);
    return res.body.state === 'failed' ? res.body : undefined;
  }, 20000);
  expect(job.failedReason).toBe(IMPORT_FILE_MISSING);
  const report = await t.http.get(`/api/v1/imports/${upload.body.importId}`).set(w.donor.agent.auth).expect(200);
  expect(report.body.failureReason).toBe(IMPORT_FILE_MISSING);
  for (const text of [job.failedReason, report.body.failureReason]) {
    expect(text).not.toContain(t.storageDir);
    expect(text).not.toMatch(/ENOENT|no such file/i);
  }
  const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM device WHERE donation_id = $1', [donationId]);
  expect(n).toBe(0);
});
