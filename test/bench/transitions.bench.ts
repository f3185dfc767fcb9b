/**
 * bench:transitions — N devices driven through collect → wipe → start_refurbish → refurbish →
 * publish by C concurrent HTTP clients against the built api and worker, each its own process,
 * as `npm start` runs them. Prints transitions/s and latency percentiles, when the background
 * work they queued (a certificate per wipe) was done, then the same writes done by raw SQL
 * (row lock, status update, event insert) in the same run, and the ratio.
 *   N=2000 C=16 npm run bench:transitions
 * BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the api and the worker.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { dropRedisPrefix } from '../support/bench-redis';

const N = Number(process.env.N ?? 2000);
const C = Number(process.env.C ?? 16);
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT = join(__dirname, '..', '..', '..');
const DB = `renum_bench_${process.pid}`;
const dbUrl = (() => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${DB}`;
  return u.toString();
})();

const STEPS: Record<string, unknown>[] = [
  { action: 'collect' },
  { action: 'wipe', noStorage: true },
  { action: 'start_refurbish' },
  { action: 'refurbish', grade: 'B', checklist: { ecran: true, clavier: true }, os: 'Linux Mint 22', batteryHealthPct: 80 },
  { action: 'publish', priceCents: 9000 },
];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function admin(sql: string) {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(sql);
  await c.end();
}

function start(app: 'api' | 'worker', env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'apps', app, 'src', 'main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/listening on|worker started/.test(out)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${app} exited ${code}: ${out}`)));
  });
}

// The load generator shares the 2 cores with what it measures, so it should cost little:
// node:http with kept-alive sockets costs about a third of what fetch did per request (0.4 vs 1.2 ms).
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function http(base: string, method: string, path: string, token?: string, body?: unknown, key?: string): Promise<{ status: number; body: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (key) headers['idempotency-key'] = key;
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** User + system CPU time of a process so far, in ms (Linux /proc; clock ticks are 100 Hz there). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU time of every process with this command name so far, in ms, with what their exited children used
 * (PostgreSQL's backends are children of the postmaster). Where the machine's CPU goes besides our own processes.
 */
function cpuMsOfAll(name: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== name) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // the process ended while we read
    }
  }
  return ticks * 10;
}

/** Busy CPU time of the whole machine so far, in ms (user, nice, system, irq, softirq; /proc/stat, 100 Hz). */
function machineBusyMs(): number {
  const [, user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq) * 10;
}

/** Context switches of the whole machine so far: each message between processes costs some. */
function machineContextSwitches(): number {
  return Number(/^ctxt (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]);
}

/** Transactions committed in a database so far (autocommitted statements count one each). */
async function commitsOf(db: string): Promise<number> {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await c.query('SELECT xact_commit::int AS n FROM pg_stat_database WHERE datname = $1', [db]);
    return rows[0].n;
  } finally {
    await c.end();
  }
}

const progress = (what: string) => console.error(`[bench] ${what}`);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DB}`);
  const port = await freePort();
  const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: dbUrl, BULL_PREFIX: DB, LOG_LEVEL: 'warn', PORT: String(port), JWT_SECRET: randomUUID() + randomUUID(), DATABASE_POOL_SIZE: '20' };
  const children: ChildProcess[] = [];
  try {
    execFileSync(process.execPath, [join(ROOT, 'dist/apps/cli/src/main.js'), 'migrate'], { env, stdio: 'ignore' });
    execFileSync(process.execPath, [join(ROOT, 'dist/apps/cli/src/main.js'), 'bootstrap', '--territory', 'Bench', '--email', 'coord@bench.test', '--password', 'bench-password-1'], { env, stdio: 'ignore' });
    children.push(await start('api', env), await start('worker', env));
    progress('api and worker started');
    const base = `http://127.0.0.1:${port}/api/v1`;
    const login = async (email: string) => (await http(base, 'POST', '/auth/login', undefined, { email, password: 'bench-password-1' })).body.accessToken as string;
    const coord = await login('coord@bench.test');
    const tokens: Record<string, string> = {};
    for (const [kind, role] of [['DONOR', 'agent'], ['WORKSHOP', 'admin']]) {
      const org = await http(base, 'POST', '/organizations', coord, { name: `Bench ${kind}`, kind });
      const email = `${kind.toLowerCase()}@bench.test`;
      await http(base, 'POST', `/organizations/${org.body.id}/users`, coord, { email, password: 'bench-password-1', role });
      tokens[kind] = await login(email);
    }
    const donation = (await http(base, 'POST', '/donations', tokens.DONOR, { pickupAddress: 'Bench' })).body.id;
    const ids: string[] = [];
    for (let i = 0; i < N; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, N - i) }, (_, j) => ({ type: 'LAPTOP', brand: 'Dell', model: 'E5570', serialNumber: `B-${i + j}` }));
      const res = await http(base, 'POST', `/donations/${donation}/devices`, tokens.DONOR, { devices: batch });
      ids.push(...res.body.devices.map((d: { id: string }) => d.id));
    }

    progress(`${ids.length} devices registered; driving transitions`);

    // HTTP → BullMQ → worker → PostgreSQL, C clients, each device's steps in order.
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const cpu0 = children.map((c) => cpuMs(c.pid!));
    const clientCpu0 = process.cpuUsage();
    const postgres0 = cpuMsOfAll('postgres');
    const redis0 = cpuMsOfAll('redis-server');
    const machine0 = machineBusyMs();
    const switches0 = machineContextSwitches();
    const commits0 = await commitsOf(DB);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (next < ids.length) {
          const id = ids[next++];
          for (const step of STEPS) {
            const s = performance.now();
            const res = await http(base, 'POST', `/devices/${id}/transitions`, tokens.WORKSHOP, step, randomUUID());
            latencies.push(performance.now() - s);
            if (res.status !== 200) failures++;
          }
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const machineCpu = (machineBusyMs() - machine0) / latencies.length;
    const postgresCpu = (cpuMsOfAll('postgres') - postgres0) / latencies.length;
    const redisCpu = (cpuMsOfAll('redis-server') - redis0) / latencies.length;
    const switches = (machineContextSwitches() - switches0) / latencies.length;
    const commits = ((await commitsOf(DB)) - commits0) / latencies.length;
    const [apiCpu, workerCpu] = children.map((c, i) => (cpuMs(c.pid!) - cpu0[i]) / latencies.length);
    const { user, system } = process.cpuUsage(clientCpu0);
    const clientCpu = (user + system) / 1000 / latencies.length;
    latencies.sort((a, b) => a - b);
    const rate = latencies.length / seconds;

    // The background work the transitions queued (a certificate per wipe): did it keep up?
    const pool = new Pool({ connectionString: dbUrl, max: C });
    const certificates = async () => Number((await pool.query('SELECT count(DISTINCT device_id)::int AS n FROM erasure_certificate')).rows[0].n);
    const pendingAtEnd = ids.length - (await certificates());
    while ((await certificates()) < ids.length) {
      if (performance.now() - t0 > 1000 * seconds + 300_000) throw new Error('certificates not all rendered 5 minutes after the last transition');
      await new Promise((r) => setTimeout(r, 100));
    }
    const allDone = (performance.now() - t0) / 1000;

    // Raw baseline: the same status changes and event inserts, straight SQL, C connections.
    await pool.query(`UPDATE device SET status = 'REGISTERED', version = 1`);
    let k = 0;
    const r0 = performance.now();
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (k < ids.length) {
          const id = ids[k++];
          for (const step of STEPS) {
            const c = await pool.connect();
            try {
              await c.query('BEGIN');
              const { rows } = await c.query('SELECT version, event_seq FROM device WHERE id = $1 FOR UPDATE', [id]);
              await c.query('UPDATE device SET status = $2, version = version + 1, event_seq = event_seq + 1 WHERE id = $1 AND version = $3', [id, 'COLLECTED', rows[0].version]);
              await c.query(
                `INSERT INTO device_event (device_id, seq, action, from_status, to_status, at, payload, prev_hash, hash) VALUES ($1, $2, $3, 'X', 'Y', now(), $4, '', '')`,
                [id, rows[0].event_seq + 1, String(step.action), JSON.stringify(step)],
              );
              await c.query('COMMIT');
            } finally {
              c.release();
            }
          }
        }
      }),
    );
    const rawRate = (ids.length * STEPS.length) / ((performance.now() - r0) / 1000);
    await pool.end();

    console.log(`bench:transitions  N=${N} devices × ${STEPS.length} steps, C=${C} concurrent HTTP clients`);
    console.log(`  renum (HTTP → BullMQ → worker → PostgreSQL): ${rate.toFixed(0)} transitions/s, ${failures} non-200`);
    console.log(`  latency p50 ${pct(latencies, 50).toFixed(1)} ms · p95 ${pct(latencies, 95).toFixed(1)} ms · p99 ${pct(latencies, 99).toFixed(1)} ms`);
    console.log(
      `  CPU per transition: api ${apiCpu.toFixed(2)} ms · worker ${workerCpu.toFixed(2)} ms (certificates and notifications included) · ` +
        `these HTTP clients ${clientCpu.toFixed(2)} ms · PostgreSQL ${postgresCpu.toFixed(2)} ms · Redis ${redisCpu.toFixed(2)} ms · ` +
        `whole machine ${machineCpu.toFixed(2)} ms · wall ${((1000 * seconds) / latencies.length).toFixed(2)} ms on ${availableParallelism()} cores`,
    );
    console.log(
      `  background: ${pendingAtEnd} of ${ids.length} certificates still to render when the last transition answered; all rendered ${(allDone - seconds).toFixed(1)} s later`,
    );
    console.log(`  per transition: ${commits.toFixed(2)} PostgreSQL commits (api, worker, outbox relay), ${switches.toFixed(1)} context switches on the machine`);
    console.log(`  raw SQL baseline (lock, update, insert event): ${rawRate.toFixed(0)} transitions/s`);
    console.log(`  ratio raw / renum: ${(rawRate / rate).toFixed(1)}×`);
  } finally {
    await Promise.all(children.map((c) => new Promise((exited) => (c.once('exit', exited), c.kill('SIGTERM')))));
    await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
    await dropRedisPrefix(DB).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
