import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUrl, Max, Min, MinLength, validateSync } from 'class-validator';
import { isIP } from 'node:net';

export const DEV_JWT_SECRET = 'renum-dev-secret-change-me-in-production';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** Every setting Renum reads, validated at start-up. Defaults suit a developer's machine. */
export class RenumConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true }, { message: 'DATABASE_URL doit être une URL postgres://utilisateur@hôte:port/base' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/renum';

  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true }, { message: 'REDIS_URL doit être une URL redis://hôte:port' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true }, { message: 'PUBLIC_URL doit être une URL http(s)://…' })
  PUBLIC_URL = 'http://localhost:3000';

  @IsString()
  @MinLength(32, { message: 'JWT_SECRET doit faire au moins 32 caractères' })
  JWT_SECRET = DEV_JWT_SECRET;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  JWT_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Key prefix of every BullMQ queue: lets tests and tenants share one Redis. */
  @IsString()
  BULL_PREFIX = 'renum';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** How long the API waits for a transition job before answering 202. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  TRANSITION_WAIT_MS = 5000;

  /**
   * How long `POST /labels/sheets` waits for a sheet of more than 200 labels (made by a job)
   * before answering 202 with the job instead of the file; 0 always answers 202. 15 s covers a
   * donation of 1,000 devices with margin (3–5 s on Avery L7163, under 1 s in ZPL; see README).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  LABEL_SHEET_WAIT_MS = 15000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  WORKER_CONCURRENCY = 32;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  OUTBOX_POLL_MS = 250;

  /** A job whose worker died is retried after this lock expires. */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  JOB_LOCK_MS = 30000;

  /** Where uploaded evidence (erasure reports) and generated documents are kept. */
  @IsString()
  STORAGE_DIR = 'var/storage';

  /**
   * Requests a minute one client address may make to the public pages (`/d/{code}`,
   * `/verify/{id}`, no login), counted together across api instances; then 429 for a minute.
   * 300 (5 a second, for a whole minute) lets a workshop scan a pallet of labels from phones behind
   * one NAT address, and keeps enumerating codes out of reach.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  PUBLIC_PAGE_RATE_LIMIT = 300;

  /**
   * Which peers may tell the client's address in `X-Forwarded-For` (Express `trust proxy`): the
   * address the login and public-page limits count. `loopback` (a proxy on the same host) by
   * default; a reverse proxy or load balancer elsewhere is named by address or network
   * (`10.0.0.5`, `172.16.0.0/12`, `uniquelocal`), comma-separated, or a number of hops (only if
   * that many proxies always stand in front: a client reaching the api directly would choose its address).
   * Never "everyone": any client could then choose its address and dodge the limits.
   */
  @IsString()
  TRUST_PROXY = 'loopback';

  /** PostgreSQL connections per api or worker process (the CLI opens its own, smaller pool). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  DATABASE_POOL_SIZE = 20;
}

export class ConfigError extends Error {}

/** Validates the environment; in production a missing or development secret is fatal. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): RenumConfig {
  const known = Object.keys(new RenumConfig());
  const raw = Object.fromEntries(Object.entries(env).filter(([k, v]) => known.includes(k) && v !== undefined && v !== ''));
  const config = plainToInstance(RenumConfig, raw, { exposeDefaultValues: true });
  const problems = validateSync(config).flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
  if (!isTrustProxy(config.TRUST_PROXY)) {
    problems.push('TRUST_PROXY: loopback, linklocal, uniquelocal, une adresse IP ou un réseau (10.0.0.0/8), séparés par des virgules, ou un nombre de relais');
  }
  if (config.NODE_ENV === 'production') {
    if (!env.JWT_SECRET) problems.push('JWT_SECRET: obligatoire en production');
    else if (env.JWT_SECRET === DEV_JWT_SECRET) problems.push('JWT_SECRET: la valeur de développement est interdite en production');
  }
  if (problems.length) {
    throw new ConfigError(`Configuration invalide :\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}

const TRUSTED_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
/** TRUST_PROXY as a number of proxies in front. */
const HOP_COUNT = /^\s*\d{1,2}\s*$/;

/** A `trust proxy` value Express reads as a list of peers (or a hop count), never as "trust all". */
function isTrustProxy(value: string): boolean {
  if (HOP_COUNT.test(value)) return true;
  return value.split(',').every((item) => {
    const [address, bits, ...rest] = item.trim().split('/');
    if (rest.length) return false;
    if (TRUSTED_NAMES.includes(address)) return bits === undefined;
    const family = isIP(address);
    if (!family) return false;
    // A /0 network is every address (and Express's proxy-addr refuses it at start, with a bare TypeError).
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) >= 1 && Number(bits) <= (family === 4 ? 32 : 128));
  });
}

/** TRUST_PROXY as Express takes it: a hop count as a number, else the list of peers. */
export function trustProxySetting(value: string): number | string {
  return HOP_COUNT.test(value) ? Number(value) : value.split(',').map((item) => item.trim()).join(', ');
}
