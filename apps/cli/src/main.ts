import 'reflect-metadata';
import { BootstrapError, IdentityService } from '@renum/identity';
import { ConfigError, loadConfig, STARTED_BY_UP } from '@renum/platform';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDataSource, runMigrations } from './database';
import { DEMO_DEVICES, DEMO_DONATION_REFERENCE, DEMO_ORGANIZATIONS, DEMO_PASSWORD, seedDemo } from './demo-data';
import { ensureServices } from './services';
import { supervise } from './supervisor';

const log = (message: string) => console.log(`[renum] ${message}`);

/** A mistake or a situation the user can act on: told in one sentence, without a stack trace. */
class CliError extends Error {}

const USAGE = `Usage: npm run cli -- <command>
  bootstrap --territory NAME --email E --password P   first territory, coordinator organisation and admin
  migrate                                             apply pending migrations (creates the database if needed)
  seed-demo                                           demo territory, logins and donation, only into an empty database
                                                      (or to complete a demo whose loading was interrupted)
  up [--stop-timeout SECONDS]                         services, migrations, demo data if empty, then api + worker
                                                      (Ctrl-C stops both; one still running after 30 s is killed)`;

async function bootstrap(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { territory: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } } });
  if (!values.territory || !values.email || !values.password) throw new BootstrapError('bootstrap demande --territory, --email et --password.');
  const db = await openDataSource(loadConfig().DATABASE_URL);
  try {
    const result = await new IdentityService(db).bootstrap(values.territory, values.email, values.password);
    log(`Territoire « ${result.territory.name} » créé, coordinateur ${result.user.email} (admin).`);
  } finally {
    await db.destroy();
  }
}

async function seed(): Promise<void> {
  const { DATABASE_URL } = loadConfig();
  const db = await openDataSource(DATABASE_URL);
  try {
    // Until its logins are found or made, the database may be a real deployment's: never advise
    // dropping it, nor speak of a demo load, for a failure then (its own error is told).
    let demo = false;
    const outcome = await seedDemo(db, { afterStep: () => (demo = true) }).catch((error) => {
      if (!demo) throw error;
      throw new CliError(`le chargement de la démonstration s'est arrêté en route : ${error?.message ?? error}\n${resumeOrReload(DATABASE_URL)}`);
    });
    if (outcome === 'other-data') return log('La base contient déjà d’autres données que la démonstration : démonstration non chargée.');
    if (outcome === 'present') return log('Données de démonstration déjà chargées.');
    log(
      outcome === 'loaded'
        ? `Données de démonstration chargées. Connexions (mot de passe ${DEMO_PASSWORD}) :`
        : `Données de démonstration complétées (un chargement précédent avait été interrompu). Connexions (mot de passe ${DEMO_PASSWORD}) :`,
    );
    for (const o of DEMO_ORGANIZATIONS) log(`  ${o.kind.padEnd(11)} ${o.email}`);
    log(`Don ${DEMO_DONATION_REFERENCE} de la mairie : ${DEMO_DEVICES.length} appareils, à collecter, à effacer, à publier, au catalogue et recyclé.`);
  } finally {
    await db.destroy().catch(() => undefined); // after a lost connection, the error to tell is the seed's
  }
}

/** What to do when the demo could not be loaded: run again (it resumes), else start from an empty database. */
function resumeOrReload(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const quoted = (word: string) => (/^[\w.:@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
  const dropdb = ['dropdb', '-h', url.hostname.replace(/^\[|\]$/g, ''), '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), decodeURIComponent(url.pathname.slice(1))].map(quoted).join(' ');
  return [
    'Relancez la même commande : elle reprend la démonstration là où elle s’est arrêtée.',
    'Si elle échoue encore, repartez d’une base vide, que `npm start` recrée (ce qui y a été saisi sera perdu) :',
    `  ${dropdb} && npm start`,
  ].join('\n');
}

/**
 * Starts api and worker as child processes; Ctrl-C (or SIGTERM) stops both. Exits 0 only when both
 * stopped cleanly after that; 1 when one exited by itself (the other is then stopped), with an
 * error, or outlived `--stop-timeout` and was killed. package.json's `start` runs it with `exec`
 * so that npm's child is `up` itself and `npm start` ends with its code: with sh in between, a
 * Ctrl-C killed sh at once and npm ended with 130 whatever happened next.
 */
async function up(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'stop-timeout': { type: 'string', default: '30' } } });
  const stopTimeout = Number(values['stop-timeout']);
  if (!(stopTimeout > 0)) throw new CliError(`--stop-timeout attend un nombre de secondes positif, pas « ${values['stop-timeout']} ».`);
  const config = loadConfig();
  await ensureServices(config.DATABASE_URL, config.REDIS_URL, log);
  const applied = await runMigrations(config.DATABASE_URL);
  log(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'Schéma à jour.');
  await seed();
  const env = { ...process.env, [STARTED_BY_UP]: '1' };
  const children = ['api', 'worker'].map((name) => ({
    name,
    process: spawn(process.execPath, [join(__dirname, '..', '..', name, 'src', 'main.js')], { stdio: 'inherit', env }),
  }));
  const supervision = supervise(children, { stopTimeoutMs: stopTimeout * 1000, log, warn: (m) => console.error(`[renum] Erreur : ${m}`) });
  // The api listens on PORT (PUBLIC_URL is the address printed on labels, maybe a proxy's).
  const local = `http://localhost:${config.PORT}`;
  log(`Renum démarre : ${local} (API ${local}/api/docs). Ctrl-C pour arrêter.`);
  // Under `npm start` one Ctrl-C may come twice (from the terminal and from npm): stop() acts once.
  process.on('SIGINT', supervision.stop).on('SIGTERM', supervision.stop);
  const code = await supervision.exitCode;
  if (code === 0) log('Arrêt terminé.');
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'bootstrap':
      return bootstrap(args);
    case 'migrate': {
      const applied = await runMigrations(loadConfig().DATABASE_URL);
      return log(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'Schéma à jour.');
    }
    case 'seed-demo':
      return seed();
    case 'up':
      return up(args);
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error) => {
  const known = error instanceof BootstrapError || error instanceof ConfigError || error instanceof CliError || error?.code?.startsWith?.('ERR_PARSE_ARGS') || /injoignable/.test(error?.message ?? '');
  console.error(known ? `Erreur : ${error.message}` : error);
  process.exit(1);
});
