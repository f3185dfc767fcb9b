import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import IORedis from 'ioredis';
import { Client } from 'pg';

const LOCAL = ['localhost', '127.0.0.1', '::1', '[::1]'];

/**
 * docker/compose.yml publishes no PostgreSQL or Redis port on the host (and its PostgreSQL user is
 * `renum`): starting only those two there left this command as unable to reach them as before.
 * The whole of Renum runs there instead (README « Without local services »).
 */
const COMPOSE_HINT =
  'Sans PostgreSQL ni Redis locaux, lancez Renum entier avec Docker : `JWT_SECRET=$(openssl rand -hex 32) docker compose -f docker/compose.yml up`, ' +
  'puis, pour les données de démonstration : `docker compose -f docker/compose.yml exec api node dist/apps/cli/src/main.js seed-demo`.';

async function postgresReachable(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function redisReachable(redisUrl: string): Promise<boolean> {
  const client = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

async function waitFor(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 4; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * Uses running local services; starts installed-but-stopped ones; otherwise explains the
 * compose alternative and stops.
 */
export async function ensureServices(databaseUrl: string, redisUrl: string, log: (m: string) => void): Promise<void> {
  if (!(await postgresReachable(databaseUrl))) {
    const host = new URL(databaseUrl).hostname;
    if (LOCAL.includes(host) && has('pg_ctlcluster') && existsSync('/etc/postgresql')) {
      const version = readdirSync('/etc/postgresql')[0];
      log(`PostgreSQL ne répond pas : démarrage du cluster local ${version}/main…`);
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
    }
    if (!(await waitFor(() => postgresReachable(databaseUrl), 15))) {
      throw new Error(`PostgreSQL injoignable à ${host} (DATABASE_URL). ${COMPOSE_HINT}`);
    }
  }
  if (!(await redisReachable(redisUrl))) {
    const url = new URL(redisUrl);
    if (LOCAL.includes(url.hostname) && has('redis-server')) {
      log('Redis ne répond pas : démarrage du serveur local…');
      execFileSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', url.port || '6379', '--save', '', '--appendonly', 'no'], { stdio: 'inherit' });
    }
    if (!(await waitFor(() => redisReachable(redisUrl), 15))) {
      throw new Error(`Redis injoignable à ${url.host} (REDIS_URL). ${COMPOSE_HINT}`);
    }
  }
}
