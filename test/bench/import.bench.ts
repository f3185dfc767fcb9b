/**
 * Inventory import benchmark: a generated 10,000-row GLPI 10 export (French header, like the
 * shared fixture) imported end to end — HTTP upload (with its synchronous whole-file check),
 * the `inventory.import` job (parse, chunks of 500 rows registered through DeviceRegistry with
 * their hash-chained `register` events), job done — on a throwaway database, against a raw
 * baseline measured in the same run.
 *
 *   npm run bench:import
 *   npx ts-node -r tsconfig-paths/register test/bench/import.bench.ts   (while developing)
 *
 * Baseline: a raw `COPY … FROM STDIN` (pg-copy-streams) of the same 10,000 parsed rows into a
 * scratch table shaped like `device` (same columns, defaults and indexes), without events, media
 * or checks.
 *
 * The app (API and worker) runs in this process; peak RSS is sampled every 10 ms while the import
 * runs (it includes the API, the worker and this script). Target: ≥ 2,000 rows/s.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createHttpApp } from '@renum/composition';
import { ALL_ENTITIES, ALL_MIGRATIONS } from '@renum/composition';
import { dataSourceOptions } from '@renum/db';
import { normalizeSerial } from '@renum/domain';
import { AuthService, IdentityService } from '@renum/identity';
import { parseInventoryCsv } from '@renum/intake';
import { JobWorkerHost, OutboxRelay } from '@renum/jobs';
import { uuidv7 } from '@renum/platform';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { generateGlpiExport } from '../support/bench-inventory-csv';
import { dropRedisPrefix } from '../support/bench-redis';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const TARGET_ROWS_PER_S = 2000;
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MB = 1024 * 1024;

function dbUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Samples RSS every 10 ms until stopped. */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const name = `renum_bench_import_${process.pid}`;
  const url = dbUrl(name);
  const storageDir = mkdtempSync(join(tmpdir(), 'renum-bench-import-'));
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${name}"`);
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: url,
    BULL_PREFIX: name,
    LOG_LEVEL: 'silent',
    STORAGE_DIR: storageDir,
    OUTBOX_POLL_MS: '100',
  });
  let app: Awaited<ReturnType<typeof createHttpApp>> | undefined;
  try {
    const migrator = await new DataSource(dataSourceOptions(url, ALL_ENTITIES, ALL_MIGRATIONS, 2)).initialize();
    await migrator.runMigrations();
    await migrator.destroy();

    Logger.overrideLogger(false); // figures only
    app = await createHttpApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    await app.get(JobWorkerHost).start();
    app.get(OutboxRelay).start();
    const db = app.get(DataSource);

    // A donor organisation with an agent, token minted directly (login has its own tests).
    const identity = app.get(IdentityService);
    const territory = await identity.createTerritory(db.manager, 'Bench');
    const org = await identity.insertOrganization(db.manager, territory.id, 'Mairie de Bench', 'DONOR');
    const userId = uuidv7();
    await db.query(`INSERT INTO app_user (id, organization_id, email, password_hash, role) VALUES ($1, $2, 'agent@bench.test', 'x', 'agent')`, [userId, org.id]);
    const { accessToken } = await app.get(AuthService).issueToken({ sub: userId, email: 'agent@bench.test', org: org.id, kind: 'DONOR', role: 'agent', ter: territory.id });
    const auth = { Authorization: `Bearer ${accessToken}` };
    const donation = (await (
      await fetch(`${base}/api/v1/donations`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ pickupAddress: '1 place de la Mairie' }) })
    ).json()) as { id: string };

    const file = generateGlpiExport(ROWS, 'BENCH-');
    console.log(`inventory import benchmark: ${fmt(ROWS)} GLPI rows (${fmt(file.length / MB, 2)} MB), chunks of 500, database ${name}`);

    // --- end to end: upload → job completed ---
    const rssBefore = process.memoryUsage().rss;
    const sampler = rssSampler();
    const t0 = performance.now();
    const form = new FormData();
    form.append('file', new Blob([file], { type: 'text/csv' }), 'export-glpi.csv');
    const upload = await fetch(`${base}/api/v1/donations/${donation.id}/import`, { method: 'POST', headers: auth, body: form });
    const accepted = (await upload.json()) as { jobId: string };
    const tUpload = performance.now() - t0;
    if (upload.status !== 202) throw new Error(`upload: ${upload.status} ${JSON.stringify(accepted)}`);
    let job: { state: string; result?: { created: number; skipped: number; errors: unknown[] }; failedReason?: string };
    for (;;) {
      job = (await (await fetch(`${base}/api/v1/jobs/${accepted.jobId}`, { headers: auth })).json()) as typeof job;
      if (job.state === 'completed' || job.state === 'failed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const tTotal = performance.now() - t0;
    const peakRss = sampler.stop();
    if (job.state !== 'completed') throw new Error(`import failed: ${job.failedReason}`);
    const [{ n: registered }] = await db.query('SELECT count(*)::int AS n FROM device WHERE donation_id = $1', [donation.id]);
    if (job.result!.created !== ROWS || registered !== ROWS) throw new Error(`expected ${ROWS} devices, got created=${job.result!.created} in db=${registered}`);

    // --- baseline: parse alone, then one raw multi-row insert of the same rows ---
    const p0 = performance.now();
    const parsed = parseInventoryCsv(file, { today: new Date() });
    const tParse = performance.now() - p0;
    await db.query('CREATE TABLE bench_raw_device (LIKE device INCLUDING DEFAULTS INCLUDING INDEXES)');
    const rows = parsed.rows.map((r) => r.device);
    // One COPY … FROM STDIN (CSV) of the same rows: what PostgreSQL can ingest at best.
    const csvField = (v: string | null | undefined) => (v === null || v === undefined ? '' : `"${v.replace(/"/g, '""')}"`);
    const copyText = rows
      .map((d, i) =>
        [uuidv7(), `RAW-${String(i).padStart(8, '0')}`, donation.id, org.id, territory.id, d.type, d.brand, d.model, d.serialNumber, normalizeSerial(d.serialNumber), d.inventoryNumber, d.acquisitionDate, 'REGISTERED', org.id]
          .map(csvField)
          .join(','),
      )
      .join('\n');
    const client = new Client({ connectionString: url });
    await client.connect();
    const r0 = performance.now();
    await pipeline(
      Readable.from([copyText]),
      client.query(
        copyFrom(`COPY bench_raw_device (id, code, donation_id, donor_organization_id, territory_id, type, brand, model, serial_number, serial_key,
                                         inventory_number, acquisition_date, status, custodian_organization_id) FROM STDIN (FORMAT csv)`),
      ),
    );
    const tRaw = performance.now() - r0;
    await client.end();

    const rate = (ROWS * 1000) / tTotal;
    console.log(`  end to end (upload → job done) ${fmt(tTotal)} ms  → ${fmt(rate)} rows/s  (target ≥ ${fmt(TARGET_ROWS_PER_S)}: ${rate >= TARGET_ROWS_PER_S ? 'met' : 'NOT met'})`);
    console.log(`    of which upload answered (202, whole-file check) in ${fmt(tUpload)} ms; parse alone ${fmt(tParse)} ms`);
    console.log(`  peak RSS during the import      ${fmt(peakRss / MB)} MB (api + worker + bench in one process; ${fmt(rssBefore / MB)} MB before, +${fmt((peakRss - rssBefore) / MB)} MB)`);
    console.log(`  raw baseline: COPY of the same ${fmt(ROWS)} rows (COPY FROM STDIN, CSV) ${fmt(tRaw)} ms → ${fmt((ROWS * 1000) / tRaw)} rows/s`);
    console.log(`  ratio end to end / raw COPY: ${fmt(tTotal / tRaw, 1)}× (raw + parse: ${fmt(tTotal / (tRaw + tParse), 1)}×)`);
  } finally {
    await app?.close().catch(() => undefined);
    await dropRedisPrefix(name);
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    rmSync(storageDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
