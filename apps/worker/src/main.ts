import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { RenumModule } from '@renum/composition';
import { JobWorkerHost, OutboxRelay } from '@renum/jobs';
import { ConfigError, exitCleanlyOnSignals, loadConfig } from '@renum/platform';
import { Logger } from 'nestjs-pino';

/** The worker runs job processors and the outbox relay; it serves no HTTP. */
async function main(): Promise<void> {
  loadConfig();
  const app = await NestFactory.createApplicationContext(RenumModule.forRoot(), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  exitCleanlyOnSignals(app);
  await app.get(JobWorkerHost).start();
  app.get(OutboxRelay).start();
  // Printed whatever LOG_LEVEL says, like the api's line: supervisors and tests wait for it.
  console.log(JSON.stringify({ level: 30, msg: 'Renum worker started' }));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : `Renum worker failed to start: ${error?.stack ?? error}`);
  process.exit(1);
});
