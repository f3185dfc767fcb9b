import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import type { EntityManager } from 'typeorm';

// Statements on the hot paths are planned once per connection, not at every call: PostgreSQL
// spent more time planning the transition's few short statements than running them.

const names = new Map<string, string>();

/** A stable name for a statement's text (the same text gets the same name on every connection). */
export function statementName(sql: string, prefix = 'p'): string {
  const key = prefix + sql;
  let name = names.get(key);
  if (!name) {
    // Our statements come in a bounded number of shapes; this bounds the map anyway.
    if (names.size > 2000) names.clear();
    name = `${prefix}_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    names.set(key, name);
  }
  return name;
}

/**
 * Runs one statement as a named prepared statement of pg (parsed and planned once per
 * connection), within `manager`'s transaction if it has one. For the statements that every
 * request runs; the rest go through TypeORM as usual.
 */
export async function preparedQuery<T = Record<string, unknown>>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  const client = (await runner.connect()) as Client;
  try {
    return (await client.query({ name: statementName(sql), text: sql, values: params })).rows as T[];
  } finally {
    if (runner !== manager.queryRunner) await runner.release();
  }
}
