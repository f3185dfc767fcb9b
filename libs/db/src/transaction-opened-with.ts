import { escapeLiteral, type Client, type QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { Statement } from './write-together';

// pg's own conversion of a parameter to the text it sends (dates, arrays, JSON, buffers). Not in
// pg's typings; pg is pinned by the lockfile.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): string | null };

/**
 * `sql` with its $1…$n replaced by SQL literals, for a multi-statement simple query (which
 * carries no parameters). Each value becomes the very text pg would have sent as an untyped
 * parameter, quoted by pg's escapeLiteral, so PostgreSQL reads it the same way.
 */
export function inlineParams(sql: string, params: unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index >= params.length || params[index] === undefined) throw new Error(`inlineParams: $${n} is missing`);
    const text = prepareValue(params[index]);
    return text === null ? 'NULL' : escapeLiteral(text);
  });
}

/** What the work of `transactionOpenedWith` hands back: its result and its last write. */
export interface Closing<T> {
  value: T;
  /** Sent with COMMIT in one round trip; it must raise, not return, anything that should roll back. */
  lastWrite?: Statement;
}

/**
 * Runs `work` in a transaction whose BEGIN travels with its first reads, and whose COMMIT
 * travels with its last write: on the transition path every round trip costs a syscall pair
 * on both sides, and they were most of the worker's time. The opening statements run in order,
 * each on its own snapshot (READ COMMITTED takes one per statement, also within one query
 * string), so a read placed after a row lock sees everything committed before the lock was
 * granted. `work` gets their rows, in order. Anything that throws or raises rolls it all back.
 */
export async function transactionOpenedWith<T>(
  db: DataSource,
  opening: Statement[],
  work: (m: EntityManager, rows: Record<string, unknown>[][]) => Promise<Closing<T>>,
): Promise<T> {
  if (opening.length === 0) throw new Error('transactionOpenedWith: nothing to open with');
  const runner = db.createQueryRunner();
  const client = (await runner.connect()) as Client;
  try {
    const text = ['BEGIN', ...opening.map((s) => inlineParams(s.sql, s.params))].join(';\n');
    const results = (await client.query(text)) as unknown as QueryResult[];
    const { value, lastWrite } = await work(
      runner.manager,
      results.slice(1).map((r) => r.rows),
    );
    await client.query(lastWrite ? `${inlineParams(lastWrite.sql, lastWrite.params)};\nCOMMIT` : 'COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
