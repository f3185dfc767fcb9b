import type { INestApplicationContext } from '@nestjs/common';

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
  process.on('SIGTERM', stop).on('SIGINT', stop);
}
