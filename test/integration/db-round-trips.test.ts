/**
 * The two helpers that cut round trips on the transition path, against real PostgreSQL:
 * `transactionOpenedWith` (BEGIN with the first reads, the last write with COMMIT, each in one
 * query string) and `together` (several writes as one statement, with a compare-and-set guard).
 */
import 'reflect-metadata';
import { dataSourceOptions, inlineParams, preparedQuery, together, transactionOpenedWith } from '@renum/db';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { cloneTemplate, dropDatabase, untilAnOpeningWaitsForALock } from '../support/database';

const name = `renum_roundtrips_${process.env.JEST_WORKER_ID ?? 0}_${process.pid}`;
let url: string;
let db: DataSource;

beforeAll(async () => {
  url = await cloneTemplate(name);
  db = await new DataSource(dataSourceOptions(url, [], [], 4)).initialize();
  await db.query('CREATE TABLE probe (id int PRIMARY KEY, v text NOT NULL)');
  await db.query(`INSERT INTO probe VALUES (1, 'locked'), (2, 'before')`);
});
afterAll(async () => {
  await db?.destroy();
  await dropDatabase(name);
});

const valueOf = async (id: number) => (await db.query('SELECT v FROM probe WHERE id = $1', [id]))[0]?.v;

describe('transactionOpenedWith', () => {
  it('runs the opening reads in order, hands their rows over, and commits what the work writes', async () => {
    const tricky = `l'apostrophe ; DROP TABLE probe; -- \\ "`;
    const seen = await transactionOpenedWith(
      db,
      [
        { sql: 'SELECT v FROM probe WHERE id = $1 FOR UPDATE', params: [1] },
        { sql: 'SELECT $1::text AS echoed, $2::int AS n, $3::text IS NULL AS absent', params: [tricky, 42, null] },
      ],
      async (m, rows) => {
        await m.query('INSERT INTO probe VALUES (3, $1)', [tricky]);
        return { value: rows };
      },
    );
    expect(seen).toEqual([[{ v: 'locked' }], [{ echoed: tricky, n: 42, absent: true }]]);
    expect(await valueOf(3)).toBe(tricky);
  });

  it('rolls back everything when the work throws, and when an opening statement fails', async () => {
    await expect(
      transactionOpenedWith(db, [{ sql: 'SELECT 1 AS one', params: [] }], async (m) => {
        await m.query(`INSERT INTO probe VALUES (4, 'never')`);
        if (m) throw new Error('refused half-way');
        return { value: 'unreached' };
      }),
    ).rejects.toThrow('refused half-way');
    expect(await valueOf(4)).toBeUndefined();
    await expect(transactionOpenedWith(db, [{ sql: 'SELECT * FROM no_such_table', params: [] }], async () => ({ value: 'unreached' }))).rejects.toThrow(/no_such_table/);
    // The connection went back to the pool usable, outside any transaction.
    expect(await db.query('SELECT count(*)::int AS n FROM probe')).toEqual([{ n: 3 }]);
  });

  it('gives a read placed after a row lock its own snapshot: it sees what the lock holder committed', async () => {
    const holder = new Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM probe WHERE id = 1 FOR UPDATE');
      const opened = transactionOpenedWith(
        db,
        [
          { sql: 'SELECT v FROM probe WHERE id = $1 FOR UPDATE', params: [1] },
          { sql: 'SELECT v FROM probe WHERE id = $1', params: [2] },
        ],
        async (_m, rows) => ({ value: rows[1][0].v }),
      );
      // Once the opening query is queued behind the lock, commit a change it must see.
      await untilAnOpeningWaitsForALock(db);
      await holder.query(`UPDATE probe SET v = 'after' WHERE id = 2`);
      await holder.query('COMMIT');
      expect(await opened).toBe('after');
    } finally {
      await holder.end();
    }
  });
});

describe('prepared statements', () => {
  // One connection, so every call below meets the statements the previous ones prepared.
  let single: DataSource;
  beforeAll(async () => {
    single = await new DataSource(dataSourceOptions(url, [], [], 1)).initialize();
  });
  afterAll(() => single?.destroy());

  const executions = (m: { query(sql: string): Promise<{ name: string; runs: number }[]> }) =>
    m.query(`SELECT name, (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements WHERE from_sql OR name LIKE 'p\\_%' ORDER BY name`);

  it('plans the opening reads and the last write once per connection, then executes the plan', async () => {
    const open = (id: number) =>
      transactionOpenedWith(single, [{ sql: 'SELECT v FROM probe WHERE id = $1 FOR UPDATE', params: [id] }], async (_m, [rows]) => ({
        value: rows[0]?.v,
        lastWrite: { sql: 'UPDATE probe SET v = v WHERE id = $1', params: [id] },
      }));
    expect([await open(1), await open(2), await open(1)]).toEqual(['locked', expect.any(String), 'locked']);
    const prepared = await executions(single);
    expect(prepared.filter((s) => s.name.startsWith('tx_'))).toEqual([
      { name: expect.stringMatching(/^tx_/), runs: 3 },
      { name: expect.stringMatching(/^tx_/), runs: 3 },
    ]);
  });

  it('names a hot query once per connection outside and inside a transaction', async () => {
    const read = (m = single.manager) => preparedQuery<{ v: string }>(m, 'SELECT v FROM probe WHERE id = $1 AND v IS NOT NULL', [1]);
    expect(await read()).toEqual([{ v: 'locked' }]);
    expect(await single.transaction((m) => read(m))).toEqual([{ v: 'locked' }]);
    const named = (await executions(single)).filter((s) => s.name.startsWith('p_'));
    expect(named).toEqual([{ name: expect.stringMatching(/^p_/), runs: 2 }]);
  });

  it('recovers when the schema changes under a prepared statement: that call fails, the next one works', async () => {
    await single.query('CREATE TABLE widening (id int PRIMARY KEY)');
    await single.query('INSERT INTO widening VALUES (1)');
    const open = () => transactionOpenedWith(single, [{ sql: 'SELECT * FROM widening WHERE id = $1', params: [1] }], async (_m, [rows]) => ({ value: rows[0] }));
    expect(await open()).toEqual({ id: 1 });
    await single.query(`ALTER TABLE widening ADD COLUMN label text NOT NULL DEFAULT 'new'`);
    // PostgreSQL refuses a prepared statement whose columns changed; the job that meets it is retried.
    await expect(open()).rejects.toThrow(/cached plan must not change result type/);
    expect(await open()).toEqual({ id: 1, label: 'new' });
  });
});

describe('inlineParams', () => {
  it('writes each value as the text pg would send for it, quoted, and NULL for null', () => {
    const at = new Date('2026-11-23T10:00:00.000Z');
    const sql = inlineParams('SELECT $1, $2, $3, $4, $5, $10', ["it's", 7, null, at, ['a', 'b'], ...Array(4).fill(0), 'ten']);
    expect(sql).toMatch(/^SELECT 'it''s', '7', NULL, '2026-11-23T\d\d:00:00\.000[+-]\d\d:\d\d', '\{"a","b"\}', 'ten'$/);
    expect(() => inlineParams('SELECT $2', ['only one'])).toThrow(/\$2 is missing/);
  });

  it('round-trips through PostgreSQL as the same values', async () => {
    const at = new Date('2026-11-23T10:00:00.123Z');
    const [row] = await db.query(inlineParams('SELECT $1::timestamptz AS at, $2::text[] AS list, $3::jsonb AS doc, $4::int AS n', [at, ['x', "y'z", 'b"\\c'], JSON.stringify({ a: "l'é \\ \"" }), -5]));
    expect(row).toEqual({ at, list: ['x', "y'z", 'b"\\c'], doc: { a: "l'é \\ \"" }, n: -5 });
  });
});

describe('together, as the last write sent with COMMIT', () => {
  it('applies every write in one statement and commits them', async () => {
    await transactionOpenedWith(db, [{ sql: 'SELECT 1', params: [] }], async () => ({
      value: undefined,
      lastWrite: together(
        [
          { sql: 'INSERT INTO probe VALUES ($1, $2)', params: [10, 'ten'] },
          { sql: 'UPDATE probe SET v = $2 WHERE id = $1', params: [2, 'updated'] },
          { sql: 'UPDATE probe SET v = $1 WHERE id = -1', params: ['nobody'] },
        ],
        [1],
      ),
    }));
    expect([await valueOf(10), await valueOf(2)]).toEqual(['ten', 'updated']);
  });

  it('fails, naming the write, and rolls everything back when a guarded write touches no row', async () => {
    await expect(
      transactionOpenedWith(db, [{ sql: 'SELECT 1', params: [] }], async (m) => {
        await m.query(`INSERT INTO probe VALUES (11, 'earlier in the transaction')`);
        return {
          value: undefined,
          lastWrite: together(
            [
              { sql: 'INSERT INTO probe VALUES ($1, $2)', params: [12, 'same statement'] },
              { sql: 'UPDATE probe SET v = $2 WHERE id = $1', params: [-1, 'lost compare-and-set'] },
            ],
            [1],
          ),
        };
      }),
    ).rejects.toThrow(/write 1 touched 0 rows, not exactly one/);
    expect([await valueOf(11), await valueOf(12)]).toEqual([undefined, undefined]);
  });
});
