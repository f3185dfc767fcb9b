/**
 * End-to-end: the BUILT processes started as a user starts them (`node dist/...`), driven over
 * HTTP and through the CLI. `npm test` builds before Jest runs; alone, run `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropRedisPrefix } from '../support/bench-redis';
import { Client } from 'pg';
import { openDataSource } from '../../apps/cli/src/database';
import { DEMO_DEVICES, DEMO_ORGANIZATIONS, DEMO_PASSWORD, seedDemo } from '../../apps/cli/src/demo-data';
import { cloneTemplate, databaseUrl, dropDatabase } from '../support/database';
import { BUILT, childEnv, Exit, freePort, killAll, NodeProcess, REPO_ROOT, runNode } from '../support/spawn';

const START_DEADLINE_MS = 30000;
const STOP_DEADLINE_MS = 15000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let counter = 0;
const uniqueName = (kind: string) => `renum_e2e_${kind}_${process.pid}_${++counter}`;

function assertBuilt(): void {
  for (const file of Object.values(BUILT)) {
    if (!existsSync(join(REPO_ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` before the e2e tests (\`npm test\` does).`);
  }
}

/** A clean stop: the process closes everything and exits by itself with code 0, reporting no error. */
function expectCleanStop(exit: Exit, sent: NodeJS.Signals, p: NodeProcess): void {
  const clean = exit.code === 0;
  if (!clean) throw new Error(`unclean stop after ${sent}: ${JSON.stringify(exit)}\n${p.output}`);
  expect(p.stderr).toBe('');
  const errorLines = p.stdout.split('\n').filter((line) => /"level":(50|60)\b/.test(line));
  expect(errorLines).toEqual([]);
}

async function countIdentityRows(databaseUrl: string): Promise<Record<string, number>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ territory: number; organization: number; app_user: number }>(
      `SELECT (SELECT count(*)::int FROM territory) AS territory,
              (SELECT count(*)::int FROM organization) AS organization,
              (SELECT count(*)::int FROM app_user) AS app_user`,
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

afterAll(() => killAll());

describe('the built api, started as a user starts it', () => {
  const name = uniqueName('api');
  const storageDir = mkdtempSync(join(tmpdir(), 'renum-e2e-'));
  const email = `Coordination.${name}@Renum.test`; // mixed case: the CLI stores it lower-cased
  const password = 'e2e-password-long-enough';
  const territory = `Territoire ${name}`;
  let databaseUrl: string;
  let env: NodeJS.ProcessEnv;
  let baseUrl: string;
  let api: NodeProcess;

  beforeAll(async () => {
    assertBuilt();
    databaseUrl = await cloneTemplate(name);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    // A production configuration, with a real secret: what a deployment runs.
    env = childEnv({
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      PUBLIC_URL: baseUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      PORT: String(port),
      BULL_PREFIX: name,
      LOG_LEVEL: 'warn',
      STORAGE_DIR: storageDir,
    });
    api = new NodeProcess(BUILT.api, [], env);
    await api.waitForHttp(`${baseUrl}/health`, START_DEADLINE_MS);
  });

  afterAll(() => leaveNothing(name, storageDir));

  it('reports a healthy database and Redis on /health, having started without a warning', async () => {
    // A warning at every start (Nest's « Unsupported route path » was one) teaches to ignore them.
    expect(api.stdout.split('\n').filter((line) => /"level":40\b/.test(line))).toEqual([]);
    const res = await fetch(`${baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up', redis: 'up' });
  });

  it('creates the first coordinator with the CLI, and a second run with the same e-mail fails and changes nothing', async () => {
    const first = await runNode(BUILT.cli, ['bootstrap', '--territory', territory, '--email', email, '--password', password], env);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.stdout).toContain(email.toLowerCase());

    const before = await countIdentityRows(databaseUrl);
    expect(before).toEqual({ territory: 1, organization: 1, app_user: 1 });

    // Another territory, same e-mail: nothing of it may be created.
    const second = await runNode(BUILT.cli, ['bootstrap', '--territory', `${territory} bis`, '--email', email.toUpperCase(), '--password', password], env);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/^Erreur : Un utilisateur .+ existe déjà : rien n'a été modifié\./m);
    expect(second.stderr).toContain(email.toLowerCase());
    expect(second.stderr).not.toMatch(/\bat .+\.js:\d+/); // a message, not a stack trace
    expect(await countIdentityRows(databaseUrl)).toEqual(before);
  });

  it('logs the coordinator in over HTTP and tells who they are', async () => {
    const wrong = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'not-the-password' }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    expect(accessToken).toEqual(expect.any(String));

    const me = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      user: { id: expect.any(String), email: email.toLowerCase(), role: 'admin' },
      organization: expect.objectContaining({ kind: 'COORDINATOR', name: `Coordination ${territory}`, territoryId: expect.any(String) }),
    });
  });

  it('stops cleanly on Ctrl-C (SIGINT)', async () => {
    api.signal('SIGINT');
    const exit = await api.waitForExit(STOP_DEADLINE_MS);
    expectCleanStop(exit, 'SIGINT', api);
    await expect(fetch(`${baseUrl}/health`)).rejects.toThrow(); // nobody listens any more
  });
});

/**
 * `up` and its api and worker, each `up` leading a process group of its own as a shell makes of a
 * foreground command (so a terminal's Ctrl-C can be replayed, and killAll ends what it started).
 */
function upRunner(env: () => NodeJS.ProcessEnv, baseUrl: () => string) {
  /** `viaNpm`: `npm start`, exactly as the README's quick start runs it (npm, then sh, then `up`). */
  async function up(args: string[] = [], options: { viaNpm?: boolean } = {}): Promise<NodeProcess> {
    const p = options.viaNpm
      ? new NodeProcess(npmCli(), ['start', ...(args.length ? ['--', ...args] : [])], { ...env(), npm_config_update_notifier: 'false' }, { ownGroup: true })
      : new NodeProcess(BUILT.cli, ['up', ...args], env(), { ownGroup: true });
    try {
      await p.waitForHttp(`${baseUrl()}/health`, START_DEADLINE_MS);
      await p.waitForOutput(/Renum worker started/, START_DEADLINE_MS); // printed whatever LOG_LEVEL
    } catch (error) {
      await stopUp(p).catch(() => undefined);
      throw error;
    }
    return p;
  }

  /** Stopped with SIGINT to `up` alone (as `kill -INT` or npm passing a signal on), which passes it on to both. */
  async function stopUp(p: NodeProcess): Promise<void> {
    p.signal('SIGINT');
    const exit = await p.waitForExit(STOP_DEADLINE_MS);
    expectCleanStop(exit, 'SIGINT', p);
    await expect(fetch(`${baseUrl()}/health`)).rejects.toThrow();
  }

  return { up, stopUp };
}

/** Ends every process a block started, then drops its database, Redis keys and storage folder. */
async function leaveNothing(name: string, storageDir: string): Promise<void> {
  await killAll();
  await dropDatabase(name);
  await dropRedisPrefix(name, REDIS_URL);
  rmSync(storageDir, { recursive: true, force: true });
}

/** npm's own script, run with this Node: the one running the tests (`npm test`), else the one on the PATH. */
function npmCli(): string {
  return process.env.npm_execpath || realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
}

async function postLogin(baseUrl: string, email: string, password: string): Promise<Response> {
  return fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
}

describe('`npm start` (cli up), the quick start, on a database that does not exist yet', () => {
  const name = uniqueName('up');
  const storageDir = mkdtempSync(join(tmpdir(), 'renum-e2e-'));
  let env: NodeJS.ProcessEnv;
  let baseUrl: string;
  const { up, stopUp } = upRunner(() => env, () => baseUrl);

  beforeAll(async () => {
    assertBuilt();
    await dropDatabase(name);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = childEnv({ DATABASE_URL: databaseUrl(name), REDIS_URL, PORT: String(port), BULL_PREFIX: name, LOG_LEVEL: 'warn', STORAGE_DIR: storageDir });
  });

  afterAll(() => leaveNothing(name, storageDir));

  it('creates the database, migrates, loads the demo data, serves the demo logins, and stops both processes on Ctrl-C', async () => {
    const p = await up();
    try {
      expect(p.stdout).toMatch(/Migrations appliquées/);
      expect(p.stdout).toMatch(/Données de démonstration chargées/);
      expect(p.stdout).toContain(`Renum démarre : http://localhost:${new URL(baseUrl).port} `); // the port it listens on
      for (const email of ['coordination', 'mairie', 'atelier', 'association', 'recyclerie'].map((n) => `${n}@demo.renum.fr`)) {
        const login = await postLogin(baseUrl, email, 'renum-demo-2026');
        expect([email, login.status]).toEqual([email, 200]);
        if (email.startsWith('association')) {
          const { accessToken } = (await login.json()) as { accessToken: string };
          const catalog = (await (await fetch(`${baseUrl}/api/v1/catalog`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { items: { code: string }[] };
          expect(catalog.items.length).toBeGreaterThan(0);
          expect((await fetch(`${baseUrl}/d/${catalog.items[0].code}`)).status).toBe(200);
        }
      }
      expect((await fetch(`${baseUrl}/api/docs-json`)).status).toBe(200);
    } finally {
      await stopUp(p);
    }
  });

  it('starts again on the now non-empty database without loading the demo data twice', async () => {
    const p = await up();
    await stopUp(p);
    expect(p.stdout).toMatch(/Schéma à jour/);
    expect(p.stdout).toMatch(/Données de démonstration déjà chargées/);
    expect(await countIdentityRows(databaseUrl(name))).toEqual({ territory: 1, organization: 5, app_user: 5 });
  });

  it('`npm start` stops cleanly, exit code 0, on a Ctrl-C in the terminal, which reaches npm, sh, the api and the worker too', async () => {
    const p = await up([], { viaNpm: true });
    p.signalGroup('SIGINT'); // to every process of the group at once, as the terminal sends it
    const exit = await p.waitForExit(STOP_DEADLINE_MS);
    expectCleanStop(exit, 'SIGINT', p);
    expect(p.stdout).toMatch(/Arrêt terminé/);
    await expect(fetch(`${baseUrl}/health`)).rejects.toThrow();
  });

  it('stops the api and exits non-zero, naming the worker, when the worker dies by itself', async () => {
    const p = await up();
    const worker = p.childPid(BUILT.worker);
    expect(worker).toEqual(expect.any(Number));
    process.kill(worker!, 'SIGKILL');
    const exit = await p.waitForExit(STOP_DEADLINE_MS);
    expect({ exit, stderr: p.stderr }).toEqual({ exit: { code: 1, signal: null }, stderr: expect.stringMatching(/processus worker s'est arrêté de lui-même \(signal SIGKILL\)/) });
    await expect(fetch(`${baseUrl}/health`)).rejects.toThrow(); // the api was stopped
  });

  it('kills a process still running --stop-timeout seconds after Ctrl-C, and exits non-zero naming it', async () => {
    const p = await up(['--stop-timeout', '1']);
    const api = p.childPid(BUILT.api);
    expect(api).toEqual(expect.any(Number));
    process.kill(api!, 'SIGSTOP'); // frozen: it cannot act on the SIGTERM `up` sends it
    p.signal('SIGINT');
    const exit = await p.waitForExit(STOP_DEADLINE_MS);
    expect({ exit, stderr: p.stderr }).toEqual({
      exit: { code: 1, signal: null },
      stderr: expect.stringMatching(/processus api ne s'est pas arrêté dans les 1 s : arrêté de force \(SIGKILL\)/),
    });
    expect(p.stderr).not.toMatch(/worker/); // the worker stopped cleanly
    await expect(fetch(`${baseUrl}/health`)).rejects.toThrow();
  });
});

describe('`npm start` on a demo whose loading was interrupted', () => {
  const name = uniqueName('resume');
  const storageDir = mkdtempSync(join(tmpdir(), 'renum-e2e-'));
  let env: NodeJS.ProcessEnv;
  let baseUrl: string;
  const { up, stopUp } = upRunner(() => env, () => baseUrl);

  beforeAll(async () => {
    assertBuilt();
    const url = await cloneTemplate(name);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = childEnv({ DATABASE_URL: url, REDIS_URL, PORT: String(port), BULL_PREFIX: name, LOG_LEVEL: 'warn', STORAGE_DIR: storageDir });
    // The load stopped in the middle of the devices, as a Ctrl-C or a crash would leave it.
    const db = await openDataSource(url);
    try {
      const cut = `${DEMO_DEVICES[1].input.serialNumber} wipe`;
      const interrupt = (step: string) => {
        if (step === cut) throw new Error('interrupted');
      };
      await expect(seedDemo(db, { afterStep: interrupt })).rejects.toThrow('interrupted');
    } finally {
      await db.destroy();
    }
  });

  afterAll(() => leaveNothing(name, storageDir));

  it('completes the demo, each thing once, and says so', async () => {
    const p = await up();
    try {
      expect(p.stdout).toMatch(/Données de démonstration complétées/);
      for (const o of DEMO_ORGANIZATIONS) expect([o.email, (await postLogin(baseUrl, o.email, DEMO_PASSWORD)).status]).toEqual([o.email, 200]);
      const { accessToken } = (await (await postLogin(baseUrl, 'coordination@demo.renum.fr', DEMO_PASSWORD)).json()) as { accessToken: string };
      const headers = { authorization: `Bearer ${accessToken}` };
      const { items } = (await (await fetch(`${baseUrl}/api/v1/devices`, { headers })).json()) as { items: { id: string; status: string }[] };
      expect(items.map((d) => d.status).sort()).toEqual(['AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'COLLECTED', 'RECYCLED', 'REFURBISHED', 'REGISTERED', 'REGISTERED', 'REGISTERED']);
      for (const d of items) expect([d.id, ((await (await fetch(`${baseUrl}/api/v1/devices/${d.id}/events/verify`, { headers })).json()) as { valid: boolean }).valid]).toEqual([d.id, true]);
    } finally {
      await stopUp(p);
    }
    expect(await countIdentityRows(env.DATABASE_URL!)).toEqual({ territory: 1, organization: 5, app_user: 5 });
  });
});

describe('start-up refuses a wrong configuration, naming the variable', () => {
  beforeAll(assertBuilt);

  it('exits non-zero on an invalid DATABASE_URL', async () => {
    const port = await freePort();
    const run = await runNode(BUILT.api, [], childEnv({ DATABASE_URL: 'not-a-url', PORT: String(port), LOG_LEVEL: 'warn' }));
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.stderr).toMatch(/DATABASE_URL/);
    expect(run.stderr).not.toMatch(/\bat .+\.js:\d+/);
  });

  it.each([
    ['missing', undefined],
    ['the development default', 'renum-dev-secret-change-me-in-production'],
  ])('refuses to start in production when JWT_SECRET is %s', async (_label, secret) => {
    const port = await freePort();
    const run = await runNode(BUILT.api, [], childEnv({ NODE_ENV: 'production', JWT_SECRET: secret, PORT: String(port), LOG_LEVEL: 'warn' }));
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.stderr).toMatch(/JWT_SECRET/);
    expect(run.stderr).not.toMatch(/DATABASE_URL|REDIS_URL|PUBLIC_URL/); // only the wrong one is named
  });
});

describe('the built worker', () => {
  const name = uniqueName('worker');
  const storageDir = mkdtempSync(join(tmpdir(), 'renum-e2e-'));

  beforeAll(assertBuilt);

  afterAll(() => leaveNothing(name, storageDir));

  it('starts, says so, and stops cleanly on SIGTERM', async () => {
    const databaseUrl = await cloneTemplate(name);
    const worker = new NodeProcess(
      BUILT.worker,
      [],
      childEnv({ NODE_ENV: 'development', DATABASE_URL: databaseUrl, REDIS_URL, BULL_PREFIX: name, LOG_LEVEL: 'info', STORAGE_DIR: storageDir }),
    );
    await worker.waitForOutput(/Renum worker started/, START_DEADLINE_MS);
    worker.signal('SIGTERM');
    const exit = await worker.waitForExit(STOP_DEADLINE_MS);
    expectCleanStop(exit, 'SIGTERM', worker);
  });
});

describe('seed-demo failing before it knows the database is the demo’s', () => {
  const name = uniqueName('seedfail');

  afterAll(() => dropDatabase(name));

  it('never advises to drop a database that may be a real deployment’s, nor says a demo load stopped', async () => {
    const url = await cloneTemplate(name);
    const env = childEnv({ NODE_ENV: 'development', DATABASE_URL: url, REDIS_URL, BULL_PREFIX: name, LOG_LEVEL: 'warn' });
    const boot = await runNode(BUILT.cli, ['bootstrap', '--territory', 'Territoire réel', '--email', 'admin@collectivite.test', '--password', 'a-real-password-123'], env);
    expect(boot.code).toBe(0);
    // The seed's very first read fails (a schema out of step, a lost connection: whatever it is).
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query('ALTER TABLE app_user RENAME COLUMN role TO role_elsewhere');
    await client.end();
    const run = await runNode(BUILT.cli, ['seed-demo'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/role/);
    expect(run.stderr).not.toMatch(/dropdb|démonstration s'est arrêté en route|reprend la démonstration/);
  });
});
