import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Repository root: child processes run the built files from here, as `npm start` does. */
export const REPO_ROOT = join(__dirname, '..', '..');

export const BUILT = {
  api: 'dist/apps/api/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
  cli: 'dist/apps/cli/src/main.js',
} as const;

/** A port nobody listens on right now (the OS picks it; the tiny race is acceptable in tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The environment a child sees: ours, minus anything a previous test may have set, plus `env`.
 * A value of `undefined` removes the variable (to test a missing setting).
 */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL', 'JWT_SECRET', 'PORT', 'BULL_PREFIX', 'LOG_LEVEL', 'STORAGE_DIR']) delete base[key];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const running = new Set<ChildProcess>();
/** Process groups of children started with `ownGroup`: killAll kills them whole (what they started too). */
const groups = new Set<number>();

/** A Node process started from a built file, with its output captured. */
export class NodeProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private exit?: Exit;
  private readonly child: ChildProcess;
  private readonly ownGroup: boolean;

  /**
   * `ownGroup`: the process leads a process group of its own, with the children it starts, as a
   * shell makes of a command it runs in the foreground: `signalGroup` then does what a Ctrl-C in
   * the terminal does.
   */
  constructor(script: string, args: string[], env: NodeJS.ProcessEnv, options: { ownGroup?: boolean } = {}) {
    this.child = spawn(process.execPath, [script, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: options.ownGroup ?? false });
    running.add(this.child);
    this.ownGroup = options.ownGroup ?? false;
    if (this.ownGroup && this.child.pid) groups.add(this.child.pid);
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise<Exit>((resolve, reject) => {
      this.child.on('error', reject);
      // 'close' (not 'exit') so that every byte of output has been read.
      this.child.on('close', (code, signal) => {
        running.delete(this.child);
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    this.exited.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exit !== undefined;
  }

  /** What the process said so far, for failure messages. */
  get output(): string {
    return `--- stdout ---\n${this.stdout.slice(-4000)}\n--- stderr ---\n${this.stderr.slice(-4000)}`;
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.hasExited) this.child.kill(signal);
  }

  /** The signal to every process of its group (started with `ownGroup`): a terminal's Ctrl-C is SIGINT so. */
  signalGroup(signal: NodeJS.Signals): void {
    if (!this.ownGroup) throw new Error('signalGroup needs a process started with ownGroup');
    if (!this.hasExited) process.kill(-this.child.pid!, signal);
  }

  /** The pid of the child process it started running `script` (Linux /proc), or undefined. */
  childPid(script: string): number | undefined {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === this.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').some((arg) => arg.endsWith(script))) return Number(entry);
      } catch {
        // gone meanwhile
      }
    }
    return undefined;
  }

  /** Resolves with the exit, or throws (with the output) if it has not come by the deadline. */
  async waitForExit(timeoutMs: number): Promise<Exit> {
    return withDeadline(this.exited, timeoutMs, () => `process ${this.pid} did not exit within ${timeoutMs} ms\n${this.output}`);
  }

  /** Waits until stdout matches, failing early (with the output) if the process dies first. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    await poll(
      async () => {
        if (pattern.test(this.stdout)) return true;
        if (this.hasExited) throw new Error(`process exited (${JSON.stringify(this.exit)}) before printing ${pattern}\n${this.output}`);
        return false;
      },
      timeoutMs,
      () => `no ${pattern} on stdout within ${timeoutMs} ms\n${this.output}`,
    );
  }

  /** Waits until `url` answers `status`, failing early (with the output) if the process dies first. */
  async waitForHttp(url: string, timeoutMs: number, status = 200): Promise<void> {
    await poll(
      async () => {
        if (this.hasExited) throw new Error(`process exited (${JSON.stringify(this.exit)}) before ${url} answered\n${this.output}`);
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
          await res.arrayBuffer();
          return res.status === status;
        } catch {
          return false; // not listening yet
        }
      },
      timeoutMs,
      () => `${url} did not answer ${status} within ${timeoutMs} ms\n${this.output}`,
    );
  }
}

/** Runs a built file to completion (a CLI command) and returns its exit and output. */
export async function runNode(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30000): Promise<Exit & { stdout: string; stderr: string }> {
  const p = new NodeProcess(script, args, env);
  try {
    const exit = await p.waitForExit(timeoutMs);
    return { ...exit, stdout: p.stdout, stderr: p.stderr };
  } finally {
    p.signal('SIGKILL');
  }
}

/** Kills every child still running (for afterAll, whatever happened in the tests), and the groups they lead. */
export async function killAll(timeoutMs = 5000): Promise<void> {
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL'); // what the leader started too, even once the leader has exited
    } catch {
      // nobody left in the group
    }
  }
  groups.clear();
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(resolve, timeoutMs);
          child.once('close', () => (clearTimeout(timer), resolve()));
          child.kill('SIGKILL');
        }),
    ),
  );
  running.clear();
}

async function poll(check: () => Promise<boolean>, timeoutMs: number, message: () => string, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return; // an error thrown by check ends the wait at once
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(message());
}

async function withDeadline<T>(promise: Promise<T>, timeoutMs: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message())), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}
