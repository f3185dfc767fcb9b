import 'reflect-metadata';
import { createHttpApp } from '@renum/composition';
import { ConfigError, exitCleanlyOnSignals, loadConfig } from '@renum/platform';

async function main(): Promise<void> {
  const config = loadConfig(); // fails fast, naming the wrong variable
  const app = await createHttpApp();
  exitCleanlyOnSignals(app);
  await app.listen(config.PORT);
  console.log(JSON.stringify({ level: 30, msg: `Renum API listening on ${await app.getUrl()}`, docs: `${config.PUBLIC_URL}/api/docs` }));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : `Renum API failed to start: ${error?.stack ?? error}`);
  process.exit(1);
});
