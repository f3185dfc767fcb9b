import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** Admin connection (superuser on the local cluster, trust auth). */
export const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/**
 * The migrated template every test file clones, named per `jest` run by the global setup
 * (inherited by the test workers), so two runs on one machine never drop each other's.
 */
export function templateDb(): string {
  return process.env.RENUM_TEST_TEMPLATE_DB ?? 'renum_test_template';
}

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database cloned from the migrated template: cheap, isolated, parallel-safe. */
export async function cloneTemplate(name: string): Promise<string> {
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDb()}"`);
  });
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/**
 * Resolves once a transaction opened by `transactionOpenedWith` (its query string starts with
 * BEGIN;) waits for a row lock in `db`'s database. Asked from the pool, outside the lock
 * holder's transaction: pg_stat_activity is read once per transaction.
 */
export async function untilAnOpeningWaitsForALock(db: DataSource, timeoutMs = 10000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'BEGIN;%'`);
    if (n > 0) return;
    if (Date.now() > deadline) throw new Error('no opening query waited for a lock');
    await new Promise((r) => setTimeout(r, 20));
  }
}
