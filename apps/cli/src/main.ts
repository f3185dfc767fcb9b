import 'reflect-metadata';
import { BootstrapError, IdentityService } from '@renum/identity';
import { ConfigError, loadConfig } from '@renum/platform';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDataSource, runMigrations } from './database';
import { DEMO_DEVICES, DEMO_DONATION_REFERENCE, DEMO_ORGANIZATIONS, DEMO_PASSWORD, seedDemo } from './demo-data';
import { ensureServices } from './services';

const log = (message: string) => console.log(`[renum] ${message}`);

const USAGE = `Usage: npm run cli -- <command>
  bootstrap --territory NAME --email E --password P   first territory, coordinator organisation and admin
  migrate                                             apply pending migrations (creates the database if needed)
  seed-demo                                           demo territory, logins and donation, only into an empty database
  up                                                  services, migrations, demo data if empty, then api + worker`;

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
  const db = await openDataSource(loadConfig().DATABASE_URL);
  try {
    if (await seedDemo(db)) {
      log(`Données de démonstration chargées. Connexions (mot de passe ${DEMO_PASSWORD}) :`);
      for (const o of DEMO_ORGANIZATIONS) log(`  ${o.kind.padEnd(11)} ${o.email}`);
      log(`Don ${DEMO_DONATION_REFERENCE} de la mairie : ${DEMO_DEVICES.length} appareils, à collecter, à effacer, à publier, au catalogue et recyclé.`);
    } else {
      log('La base contient déjà des données : démonstration non chargée.');
    }
  } finally {
    await db.destroy();
  }
}

/** Starts api and worker as child processes; Ctrl-C stops both cleanly. */
async function up(): Promise<void> {
  const config = loadConfig();
  await ensureServices(config.DATABASE_URL, config.REDIS_URL, log);
  const applied = await runMigrations(config.DATABASE_URL);
  log(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'Schéma à jour.');
  await seed();
  const children = ['api', 'worker'].map((app) =>
    spawn(process.execPath, [join(__dirname, '..', '..', app, 'src', 'main.js')], { stdio: 'inherit', env: process.env }),
  );
  // The api listens on PORT (PUBLIC_URL is the address printed on labels, maybe a proxy's).
  const local = `http://localhost:${config.PORT}`;
  log(`Renum démarre : ${local} (API ${local}/api/docs). Ctrl-C pour arrêter.`);
  let stopping = false;
  let asked = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log('Arrêt de l’api et du worker…');
    for (const child of children) if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => ((asked = true), stop('SIGINT')));
  process.on('SIGTERM', () => ((asked = true), stop('SIGTERM')));
  const codes = await Promise.all(children.map((c) => new Promise<number>((r) => c.on('exit', (code) => (stop('SIGTERM'), r(code ?? 0))))));
  process.exit(codes.some((c) => c !== 0) && !asked ? 1 : 0);
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
      return up();
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error) => {
  const known = error instanceof BootstrapError || error instanceof ConfigError || /injoignable/.test(error?.message ?? '');
  console.error(known ? `Erreur : ${error.message}` : error);
  process.exit(1);
});
