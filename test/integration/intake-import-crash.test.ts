/**
 * A worker killed (SIGKILL) in the middle of an import: the built worker runs as its own
 * process (`npm test` builds first), is killed while a chunk's transaction is in flight, and
 * another worker finishes the job. Nothing is registered twice and the report covers the file.
 */
import type { ChildProcess } from 'node:child_process';
import { DeviceRegistry } from '@renum/lifecycle';
import { createDonation } from '../support/flows';
import { generateGlpiExport, uploadInventory, waitForImport } from '../support/intake-import';
import { eventually, TestApp, World } from '../support/test-app';
import { killHard, startWorkerProcess } from '../support/worker-process';

const ROWS = 2000; // four chunks of 500
const BLOCKED_SERIAL = 'KILL-00700'; // in the second chunk

let t: TestApp;
let w: World;
const children: ChildProcess[] = [];

beforeAll(async () => {
  t = await TestApp.start({ workers: false });
  w = await t.world('ImportKill');
});
afterAll(async () => {
  await Promise.all(children.map(killHard));
  await t?.close();
});

async function committedDevices(donationId: string): Promise<number> {
  const [row] = await t.db.query('SELECT count(*)::int AS n FROM device WHERE donation_id = $1', [donationId]);
  return row.n;
}

it('a worker killed mid-import leaves whole chunks only; the retried job resumes without duplicates', async () => {
  const donationId = await createDonation(t, w.donor.agent);
  const env = { DATABASE_URL: process.env.DATABASE_URL!, BULL_PREFIX: process.env.BULL_PREFIX!, STORAGE_DIR: t.storageDir, JOB_LOCK_MS: '2000', OUTBOX_POLL_MS: '50' };

  // Another registration of one serial of the second chunk, left uncommitted: the worker's
  // insert of that chunk waits on the unique index, inside its transaction.
  const blocker = t.db.createQueryRunner();
  await blocker.connect();
  await blocker.startTransaction();
  await t.get(DeviceRegistry).register(
    blocker.manager,
    { donationId, donorOrganizationId: w.donor.id, territoryId: w.territoryId },
    [{ type: 'DESKTOP', brand: 'Dell Inc.', model: 'OptiPlex 7060', serialNumber: BLOCKED_SERIAL }],
    { userId: w.donor.agent.id, organizationId: w.donor.id },
  );

  const first = await startWorkerProcess(env);
  children.push(first);
  const upload = await uploadInventory(t, w.donor.agent, donationId, generateGlpiExport(ROWS, 'KILL-'));
  expect(upload.status).toBe(202);
  const jobId = upload.body.jobId;

  // The first chunk is committed and reported, the second is stuck inside its transaction.
  await eventually(async () => {
    const waiting = await t.db.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO device %'`,
    );
    const job = await t.http.get(`/api/v1/jobs/${jobId}`).set(w.donor.agent.auth);
    return waiting.length > 0 && job.body.progress > 0 && (await committedDevices(donationId)) === 500;
  }, 20000);

  await killHard(first);
  await blocker.rollbackTransaction();
  await blocker.release();

  // What the dead worker left: exactly one whole chunk, and the resume point after it.
  expect(await committedDevices(donationId)).toBe(500);
  const [state] = await t.db.query('SELECT status, next_row, created_count FROM inventory_import WHERE job_id = $1', [jobId]);
  expect(state).toEqual({ status: 'RUNNING', next_row: 500, created_count: 500 });

  children.push(await startWorkerProcess(env));
  const done = await waitForImport(t, w.donor.agent, jobId, 30000);
  expect(done.result.created).toBe(ROWS);
  expect(done.result.skipped).toBe(0);
  expect(done.result.alreadyRegistered).toEqual([]);
  expect(done.result.errors).toEqual([]);

  expect(await committedDevices(donationId)).toBe(ROWS);
  const duplicates = await t.db.query('SELECT serial_key FROM device WHERE donor_organization_id = $1 GROUP BY serial_key HAVING count(*) > 1', [w.donor.id]);
  expect(duplicates).toEqual([]);
  const [events] = await t.db.query(
    `SELECT count(*)::int AS n FROM device_event e JOIN device d ON d.id = e.device_id WHERE d.donation_id = $1 AND e.action = 'register'`,
    [donationId],
  );
  expect(events.n).toBe(ROWS);
}, 90000);
