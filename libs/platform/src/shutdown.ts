import type { INestApplicationContext } from '@nestjs/common';

/**
 * Set by `cli up` (`npm start`) in the environment of the api and the worker it starts: a
 * terminal's Ctrl-C reaches the whole foreground process group, so each of them would get the
 * terminal's SIGINT and then the SIGTERM `up` passes on, and that second signal exits at once,
 * with 1, in the middle of the close. Under `up` they leave SIGINT to it and stop on its SIGTERM.
 */
export const STARTED_BY_UP = 'RENUM_STARTED_BY_UP';

/**
 * SIGTERM or SIGINT: close the application (HTTP server, queues, workers finish their active
 * jobs, pools) and exit 0, or 1 if a shutdown hook failed. Nest's enableShutdownHooks would
 * re-raise the signal instead, which supervisors read as a crash and which loses `--cpu-prof`
 * output; a second signal during the close exits at once.
 */
export function exitCleanlyOnSignals(app: INestApplicationContext, onError: (error: unknown) => void = console.error): void {
  let closing = false;
  const stop = () => {
    if (closing) process.exit(1);
    closing = true;
    app.close().then(
      () => process.exit(0),
      (error) => {
        onError(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop).on('SIGINT', process.env[STARTED_BY_UP] === '1' ? () => undefined : stop);
}
