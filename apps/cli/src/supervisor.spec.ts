import { ChildProcess, spawn } from 'node:child_process';
import { supervise } from './supervisor';

/**
 * Real child processes (`node -e`) standing for the api and the worker: each installs its signal
 * handling, says "ready", and the test waits for that line before going on.
 */
const CLEAN = `process.on('SIGTERM', () => process.exit(0))`;
/** As exitCleanlyOnSignals: a second signal during the close exits at once, with 1. */
const SLOW_CLOSE = `let closing = false; process.on('SIGTERM', () => { if (closing) process.exit(1); closing = true; setTimeout(() => process.exit(0), 300); })`;
const FAILS_TO_CLOSE = `process.on('SIGTERM', () => process.exit(3))`;
const IGNORES_SIGTERM = `process.on('SIGTERM', () => undefined)`;

async function child(handling: string): Promise<ChildProcess> {
  const p = spawn(process.execPath, ['-e', `${handling}; setInterval(() => undefined, 1000); console.log('ready')`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    p.stdout!.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('ready') && resolve());
    p.once('exit', (code, signal) => reject(new Error(`fake child exited before it was ready (${code ?? signal})`)));
  });
  return p;
}

async function start(api: string, worker: string, stopTimeoutMs = 10000) {
  const processes = { api: await child(api), worker: await child(worker) };
  const said: string[] = [];
  const problems: string[] = [];
  const supervision = supervise(
    Object.entries(processes).map(([name, process]) => ({ name, process })),
    { stopTimeoutMs, log: (m) => said.push(m), warn: (m) => problems.push(m) },
  );
  return { processes, supervision, said, problems };
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});
const watch = <T extends { processes: Record<string, ChildProcess> }>(s: T) => (running.push(...Object.values(s.processes)), s);

describe('supervise (cli up: api and worker)', () => {
  it('exits 0 when both stop cleanly once asked', async () => {
    const s = watch(await start(CLEAN, CLEAN));
    s.supervision.stop();
    expect(await s.supervision.exitCode).toBe(0);
    expect(s.problems).toEqual([]);
    expect(s.said).toEqual(['Arrêt des processus api et worker…']);
  });

  it('passes a stop on once, however often it is asked (a Ctrl-C comes from the terminal and from npm)', async () => {
    const s = watch(await start(SLOW_CLOSE, SLOW_CLOSE));
    s.supervision.stop();
    s.supervision.stop();
    expect(await s.supervision.exitCode).toBe(0);
    expect(s.problems).toEqual([]);
  });

  it('exits 1, naming it, when a child exits with an error while stopping', async () => {
    const s = watch(await start(CLEAN, FAILS_TO_CLOSE));
    s.supervision.stop();
    expect(await s.supervision.exitCode).toBe(1);
    expect(s.problems).toEqual(["le processus worker s'est arrêté en erreur (code 3)."]);
  });

  it('kills a child still running after the timeout, and exits 1 naming it', async () => {
    const s = watch(await start(IGNORES_SIGTERM, CLEAN, 300));
    s.supervision.stop();
    expect(await s.supervision.exitCode).toBe(1);
    expect(s.processes.api.signalCode).toBe('SIGKILL');
    expect(s.problems).toEqual(["le processus api ne s'est pas arrêté dans les 0,3 s : arrêté de force (SIGKILL)."]);
  });

  it('stops the other and exits 1 when a child dies by itself, even of a signal', async () => {
    const s = watch(await start(CLEAN, CLEAN));
    s.processes.worker.kill('SIGKILL');
    expect(await s.supervision.exitCode).toBe(1);
    expect(s.processes.api.exitCode).toBe(0); // asked to stop, and stopped cleanly
    expect(s.problems).toEqual(["le processus worker s'est arrêté de lui-même (signal SIGKILL) : arrêt des autres."]);
    s.supervision.stop(); // a Ctrl-C now changes nothing
  });
});
