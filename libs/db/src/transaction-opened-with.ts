import { escapeLiteral, type Client, type QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { Statement } from './write-together';

/**
 * `sql` with its $1…$n replaced by SQL literals, for a multi-statement simple query (which
 * carries no parameters). Only strings, finite numbers and null: anything else is refused
 * rather than guessed at. Strings go through pg's escapeLiteral.
 */
export function inlineParams(sql: string, params: unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (value === null) return 'NULL';
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'string') return escapeLiteral(value);
    throw new Error(`inlineParams: $${n} is ${value === undefined ? 'missing' : typeof value}`);
  });
}

/**
 * Runs `work` in a transaction whose BEGIN travels with its first reads in one round trip
 * (on the transition path every round trip costs a syscall pair on both sides, and they were
 * most of the worker's time). The opening statements run in order, each on its own snapshot
 * (READ COMMITTED takes one per statement, also within one query string), so a read placed
 * after a row lock sees everything committed before the lock was granted. `work` gets their
 * rows, in order; the transaction commits when it resolves and rolls back when it throws.
 */
export async function transactionOpenedWith<T>(
  db: DataSource,
  opening: Statement[],
  work: (m: EntityManager, rows: Record<string, unknown>[][]) => Promise<T>,
): Promise<T> {
  if (opening.length === 0) throw new Error('transactionOpenedWith: nothing to open with');
  const runner = db.createQueryRunner();
  const client = (await runner.connect()) as Client;
  try {
    const text = ['BEGIN', ...opening.map((s) => inlineParams(s.sql, s.params))].join(';\n');
    const results = (await client.query(text)) as unknown as QueryResult[];
    const value = await work(
      runner.manager,
      results.slice(1).map((r) => r.rows),
    );
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
