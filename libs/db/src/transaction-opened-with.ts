import { escapeLiteral, type Client, type QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { statementName } from './prepared-statements';
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

/** SQL-level prepared statements (PREPARE … / EXECUTE …) per connection, by name. */
const preparedOn = new WeakMap<Client, Set<string>>();
const PREFIX = 'tx';

/**
 * `statement` as text for a multi-statement query: EXECUTE of its prepared form, preceded by
 * its PREPARE the first time on this connection (planned once per connection, not per call;
 * planning was most of PostgreSQL's time on the transition path).
 */
function executeText(statement: Statement, prepared: Set<string>, preparing: string[]): string {
  const name = statementName(statement.sql, PREFIX);
  const args = statement.params.length ? `(${inlineParams(statement.params.map((_, i) => `$${i + 1}`).join(', '), statement.params)})` : '';
  if (prepared.has(name) || preparing.includes(name)) return `EXECUTE ${name}${args}`;
  preparing.push(name);
  return `PREPARE ${name} AS ${statement.sql};\nEXECUTE ${name}${args}`;
}

/**
 * Runs `work` in a transaction whose BEGIN travels with its first reads, and whose COMMIT
 * travels with its last write: on the transition path every round trip costs a syscall pair
 * on both sides, and they were most of the worker's time. The opening statements run in order,
 * each on its own snapshot (READ COMMITTED takes one per statement, also within one query
 * string), so a read placed after a row lock sees everything committed before the lock was
 * granted. `work` gets their rows, in order. Anything that throws or raises rolls it all back.
 * The opening statements and the last write are prepared once per connection.
 */
export async function transactionOpenedWith<T>(
  db: DataSource,
  opening: Statement[],
  work: (m: EntityManager, rows: Record<string, unknown>[][]) => Promise<Closing<T>>,
): Promise<T> {
  if (opening.length === 0) throw new Error('transactionOpenedWith: nothing to open with');
  const runner = db.createQueryRunner();
  const client = (await runner.connect()) as Client;
  let prepared = preparedOn.get(client);
  if (!prepared) preparedOn.set(client, (prepared = new Set()));
  try {
    const preparing: string[] = [];
    const text = ['BEGIN', ...opening.map((s) => executeText(s, prepared, preparing))].join(';\n');
    // One result per statement, PREPAREs included: the rows of each EXECUTE, in order.
    const results = ((await client.query(text)) as unknown as QueryResult[]).filter((r) => r.command !== 'PREPARE');
    preparing.forEach((name) => prepared.add(name));
    const { value, lastWrite } = await work(
      runner.manager,
      results.slice(1).map((r) => r.rows),
    );
    const closing: string[] = [];
    await client.query(lastWrite ? `${executeText(lastWrite, prepared, closing)};\nCOMMIT` : 'COMMIT');
    closing.forEach((name) => prepared.add(name));
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    await forgetPrepared(client, prepared).catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * After a failure we do not know which PREPAREs of the failed query ran (PREPARE outlives a
 * rollback), and a prepared statement may have failed because the schema changed under it
 * ("cached plan must not change result type"). Failures are rare: drop ours and start over.
 */
async function forgetPrepared(client: Client, prepared: Set<string>): Promise<void> {
  prepared.clear();
  const { rows } = await client.query<{ name: string }>(`SELECT name FROM pg_prepared_statements WHERE name LIKE '${PREFIX}\\_%'`);
  if (rows.length) await client.query(rows.map((r) => `DEALLOCATE ${r.name}`).join(';\n'));
}
