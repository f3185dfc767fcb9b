import type { ChildProcess } from 'node:child_process';

export interface Supervised {
  name: string;
  process: ChildProcess;
}

export interface Supervision {
  /** Asks every child still running to stop (SIGTERM), once; a later call does nothing. */
  stop(): void;
  /**
   * Once every child has exited: 0 if they all exited with 0 after `stop()`, else 1 (a child
   * exited by itself, with an error or a signal, or was killed for outliving the timeout).
   */
  readonly exitCode: Promise<number>;
}

const how = (code: number | null, signal: NodeJS.Signals | null) => (signal ? `signal ${signal}` : `code ${code}`);

/**
 * Watches long-running children (`cli up`: api and worker). A child that exits before `stop()`
 * stops the others, and the exit code says so; after `stop()`, a child still running
 * `stopTimeoutMs` later is killed (SIGKILL). Each problem is told as it happens, naming the child.
 */
export function supervise(children: Supervised[], options: { stopTimeoutMs: number; log: (m: string) => void; warn: (m: string) => void }): Supervision {
  const { stopTimeoutMs, log, warn } = options;
  let stopping = false;
  let failed = false;
  let timer: NodeJS.Timeout | undefined;
  const killed = new Set<ChildProcess>();
  const fail = (message: string) => ((failed = true), warn(message));
  const running = () => children.filter(({ process: p }) => p.exitCode === null && p.signalCode === null);

  const stop = () => {
    if (stopping) return;
    stopping = true;
    const still = running();
    if (!still.length) return;
    for (const { process: p } of still) p.kill('SIGTERM');
    log(`Arrêt des processus ${still.map((c) => c.name).join(' et ')}…`);
    timer = setTimeout(() => {
      for (const { name, process: p } of running()) {
        killed.add(p);
        p.kill('SIGKILL');
        fail(`le processus ${name} ne s'est pas arrêté dans les ${(stopTimeoutMs / 1000).toLocaleString('fr-FR')} s : arrêté de force (SIGKILL).`);
      }
    }, stopTimeoutMs);
  };

  const exited = children.map(
    ({ name, process: p }) =>
      new Promise<void>((resolve) => {
        const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
          if (!stopping) {
            fail(`le processus ${name} s'est arrêté de lui-même (${how(code, signal)}) : arrêt des autres.`);
            stop();
          } else if (code !== 0 && !killed.has(p)) {
            fail(`le processus ${name} s'est arrêté en erreur (${how(code, signal)}).`);
          }
          resolve();
        };
        if (p.exitCode !== null || p.signalCode !== null) return onExit(p.exitCode, p.signalCode as NodeJS.Signals | null);
        p.once('exit', onExit);
        // Could not be started (or signalled): no 'exit' may follow.
        p.once('error', (error) => (fail(`le processus ${name} : ${error.message}`), resolve()));
      }),
  );
  const exitCode = Promise.all(exited).then(() => {
    clearTimeout(timer);
    return failed ? 1 : 0;
  });
  return { stop, exitCode };
}
