/**
 * Beneficiary data minimisation (RGPD art. 5.1.c) and storage limitation (5.1.e). During a
 * reservation and a distribution carrying a distinctive file reference, the raw reference must
 * reach no table, no log line and no Redis key; the retention job then erases the hashed
 * references past the period and keeps the statistics.
 */
import { BeneficiaryRetentionService, RETENTION_SCHEDULER_ID } from '@renum/catalog';
import { JOB_QUEUE, JobProducer } from '@renum/jobs';
import IORedis from 'ioredis';
import { createHmac } from 'node:crypto';
import { dirname } from 'node:path';
import { step } from '../support/flows';
import { eventually, TestApp, World } from '../support/test-app';
import { availableDevices } from '../support/catalog-support';

const RAW_REF = 'DOSSIER-ZX9-UNIQUE';
const NEEDLES = [RAW_REF, 'ZX9-UNIQUE', 'dossier-zx9'];

// pino writes through sonic-boom straight to the file descriptor, not process.stdout.write:
// capture both, so every line the process emits passes through the net.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SonicBoom = require(require.resolve('sonic-boom', { paths: [dirname(require.resolve('pino'))] }));
const logs: string[] = [];
let capturing = false;
const originals = { boom: SonicBoom.prototype.write, out: process.stdout.write, err: process.stderr.write };

let t: TestApp;
let w: World;
const previousLogLevel = process.env.TEST_LOG_LEVEL;

beforeAll(async () => {
  SonicBoom.prototype.write = function (chunk: string) {
    if (capturing) logs.push(String(chunk));
    return true; // trace-level output would drown the test report
  };
  const tap = (original: typeof process.stdout.write) =>
    function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      if (capturing) {
        logs.push(String(chunk));
        return true;
      }
      // Outside the window, drop the app's JSON log lines (trace level is verbose), keep the rest.
      if (String(chunk).startsWith('{"level":')) return true;
      return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof process.stdout.write;
  process.stdout.write = tap(originals.out);
  process.stderr.write = tap(originals.err);
  // TEST_LOG_LEVEL makes TestApp use the production logger (pino) at that level.
  process.env.TEST_LOG_LEVEL = 'trace';
  t = await TestApp.start({ env: { LOG_LEVEL: 'trace' } });
  w = await t.world('Rgpd');
});

afterAll(async () => {
  await t?.close();
  SonicBoom.prototype.write = originals.boom;
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
  if (previousLogLevel === undefined) delete process.env.TEST_LOG_LEVEL;
  else process.env.TEST_LOG_LEVEL = previousLogLevel;
});

/** Every column of every table, as text, searched case-insensitively. */
async function tablesContaining(needle: string): Promise<string[]> {
  const columns: { table_name: string; column_name: string }[] = await t.db.query(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public'`,
  );
  expect(columns.length).toBeGreaterThan(50);
  const hits: string[] = [];
  for (const { table_name, column_name } of columns) {
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text ILIKE $1`, [`%${needle}%`]);
    if (n > 0) hits.push(`${table_name}.${column_name}`);
  }
  return hits;
}

/** Every key of this app's BullMQ prefix, whatever its Redis type, as one text. */
async function redisDump(): Promise<string> {
  const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    const keys = await redis.keys(`${t.prefix}:*`);
    const parts: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === 'string') parts.push(String(await redis.get(key)));
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      parts.push(key);
    }
    return parts.join('\n');
  } finally {
    redis.quit();
  }
}

/** Waits until the outbox is drained and the queues are idle, so late log lines are captured too. */
async function settled() {
  const producer = t.get(JobProducer);
  await eventually(async () => {
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox_message WHERE published_at IS NULL`);
    if (n > 0) return false;
    for (const q of ['transitions', 'events'] as const) {
      const counts = await producer.queue(q).getJobCounts('waiting', 'active', 'prioritized');
      if (Object.values(counts).some((c) => c > 0)) return false;
    }
    return true;
  });
}

let distributed: { id: string };
let refHash: string;

describe('the raw beneficiary reference', () => {
  it('reaches no table, no log line and no Redis key during a reservation and a distribution', async () => {
    const [device] = await availableDevices(t, w, 1);
    distributed = device;
    await settled();
    logs.length = 0;
    capturing = true;
    let bodies: string;
    try {
      const reserved = await step(t, w.charity.agent, device.id, { action: 'reserve', beneficiaryRef: RAW_REF });
      const handed = await step(t, w.charity.agent, device.id, {
        action: 'distribute',
        priceCents: 5000,
        paymentMethod: 'CASH',
        beneficiary: { ref: RAW_REF, eligibility: 'etudiant_boursier', postalCode: '69100' },
      });
      bodies = JSON.stringify([reserved, handed]);
      await settled();
    } finally {
      capturing = false;
    }
    const logText = logs.join('');

    // The nets work: they catch what is really there.
    expect(logText).toContain(`/api/v1/devices/${device.id}/transitions`);
    const [{ beneficiary_secret }] = await t.db.query('SELECT beneficiary_secret FROM territory WHERE id = $1', [w.territoryId]);
    refHash = createHmac('sha256', beneficiary_secret).update(`${w.charity.id}\n${RAW_REF}`).digest('hex');
    expect((await tablesContaining(refHash)).sort()).toEqual(['distribution.beneficiary_ref_hash', 'reservation.beneficiary_ref_hash']);
    const dump = await redisDump();
    expect(dump).toContain(device.id);

    // ...and the raw reference is nowhere.
    for (const needle of NEEDLES) {
      expect(await tablesContaining(needle)).toEqual([]);
      expect(logText.toLowerCase()).not.toContain(needle.toLowerCase());
      expect(dump.toLowerCase()).not.toContain(needle.toLowerCase());
      expect(bodies.toLowerCase()).not.toContain(needle.toLowerCase());
    }
    // Not even the hash is in the immutable event log, which retention could not clean.
    expect((await tablesContaining(refHash)).filter((c) => c.startsWith('device_event'))).toEqual([]);
  });
});

describe('retention', () => {
  it('is scheduled as a repeatable job when the application starts', async () => {
    const scheduler = await eventually(() => t.get(JobProducer).queue(JOB_QUEUE['beneficiary.retention']).getJobScheduler(RETENTION_SCHEDULER_ID));
    expect(scheduler).toMatchObject({ name: 'beneficiary.retention', pattern: '17 3 * * *', tz: 'Europe/Paris' });
  });

  it('erases hashed references past the period (36 months) and keeps the statistics', async () => {
    const [recent] = await availableDevices(t, w, 1);
    await step(t, w.charity.agent, recent.id, { action: 'reserve', beneficiaryRef: 'DOSSIER-RECENT' });
    await step(t, w.charity.agent, recent.id, {
      action: 'distribute',
      priceCents: 7000,
      paymentMethod: 'CHEQUE',
      beneficiary: { ref: 'DOSSIER-RECENT', eligibility: 'senior_isole', postalCode: '69008' },
    });
    // The first hand-over happened 37 months ago, the second 35 months ago.
    const backdate = (deviceId: string, months: number) =>
      Promise.all([
        t.db.query(`UPDATE distribution SET distributed_at = now() - make_interval(months => $2) WHERE device_id = $1`, [deviceId, months]),
        t.db.query(`UPDATE reservation SET created_at = now() - make_interval(months => $2, days => 1), closed_at = now() - make_interval(months => $2) WHERE device_id = $1`, [deviceId, months]),
      ]);
    await backdate(distributed.id, 37);
    await backdate(recent.id, 35);
    const statistics = () =>
      t.db.query(`SELECT device_id, eligibility, postal_code, price_cents, payment_method, distributed_at FROM distribution ORDER BY device_id`);
    const before = await statistics();
    expect(before).toHaveLength(2);

    const sweep = await t.get(BeneficiaryRetentionService).sweep();
    expect(sweep).toMatchObject({ months: 36, distributions: 1, reservations: 1 });

    expect(await statistics()).toEqual(before);
    const hashes = await t.db.query(
      `SELECT device_id, beneficiary_ref_hash IS NOT NULL AS kept FROM distribution UNION ALL SELECT device_id, beneficiary_ref_hash IS NOT NULL FROM reservation ORDER BY 1, 2`,
    );
    expect(hashes).toEqual(
      [
        { device_id: distributed.id, kept: false },
        { device_id: distributed.id, kept: false },
        { device_id: recent.id, kept: true },
        { device_id: recent.id, kept: true },
      ].sort((a, b) => a.device_id.localeCompare(b.device_id)),
    );
    expect(await tablesContaining(refHash)).toEqual([]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM reservation`);
    expect(n).toBe(2);

    // A second run finds nothing more to erase.
    expect(await t.get(BeneficiaryRetentionService).sweep()).toMatchObject({ distributions: 0, reservations: 0 });

    // The scheduled job runs the same sweep through BullMQ once the second hand-over ages too.
    await backdate(recent.id, 40);
    const jobs = t.get(JobProducer);
    const job = await jobs.enqueue('beneficiary.retention', {}, { jobId: `ev-retention-test-${Date.now()}` });
    const outcome = await jobs.waitFor<{ distributions: number; reservations: number }>(job, 15000);
    expect(outcome).toEqual({ state: 'completed', value: expect.objectContaining({ distributions: 1, reservations: 1 }) });
    const [{ left }] = await t.db.query(`SELECT count(*)::int AS left FROM distribution WHERE beneficiary_ref_hash IS NOT NULL`);
    expect(left).toBe(0);
    expect(await statistics()).toHaveLength(2);
  });
});
