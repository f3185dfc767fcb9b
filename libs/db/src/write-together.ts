/** One INSERT, UPDATE or DELETE with its parameters ($1…$n), not yet sent. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Several writes as one statement (writable CTEs), one round trip instead of one each: on the
 * single path of every transition, round trips were most of the worker's time. Postgres runs
 * them all, in the caller's transaction and on one snapshot, so none may depend on another's
 * rows. The statement returns one row, `c0`…`cn`: how many rows each write touched. A write
 * listed in `exactlyOne` that touches another number of rows makes the statement fail (a
 * compare-and-set that lost), so the check holds even when nobody reads the answer.
 * A statement must not carry RETURNING.
 */
export function together(statements: Statement[], exactlyOne: number[] = []): Statement {
  const params: unknown[] = [];
  const parts = statements.map((s, i) => {
    const offset = params.length;
    params.push(...s.params);
    const sql = s.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    return `w${i} AS (${sql} RETURNING 1)`;
  });
  const counts = statements.map((_, i) =>
    exactlyOne.includes(i)
      ? // Not 1 → the cast of the explanation to int fails, naming the write.
        `(SELECT CASE count(*) WHEN 1 THEN '1' ELSE 'write ${i} touched ' || count(*) || ' rows, not exactly one' END::int FROM w${i}) AS c${i}`
      : `(SELECT count(*)::int FROM w${i}) AS c${i}`,
  );
  return { sql: `WITH ${parts.join(',\n')} SELECT ${counts.join(', ')}`, params };
}
