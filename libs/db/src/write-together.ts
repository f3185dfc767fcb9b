import type { EntityManager } from 'typeorm';

/** One INSERT, UPDATE or DELETE with its parameters ($1…$n), not yet sent. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Sends several writes as one statement (writable CTEs), one round trip instead of one each: on
 * the single path of every transition, round trips were most of the worker's time. Postgres runs
 * them all, in the caller's transaction and on one snapshot, so none may depend on another's
 * rows. Returns how many rows each one touched, in order. A statement must not carry RETURNING.
 */
export async function writeTogether(m: EntityManager, statements: Statement[]): Promise<number[]> {
  if (statements.length === 0) return [];
  const params: unknown[] = [];
  const parts = statements.map((s, i) => {
    const offset = params.length;
    params.push(...s.params);
    const sql = s.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    return `w${i} AS (${sql} RETURNING 1)`;
  });
  const counts = statements.map((_, i) => `(SELECT count(*)::int FROM w${i}) AS c${i}`);
  const [row]: Record<string, number>[] = await m.query(`WITH ${parts.join(',\n')} SELECT ${counts.join(', ')}`, params);
  return statements.map((_, i) => row[`c${i}`]);
}
