import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { types } from 'pg';
import { PG_DATE_OID, readPgDate } from './data-source-options';

describe('DATE columns (acquisition date, planned pickup) are calendar days', () => {
  it('are read as their YYYY-MM-DD text by every pg connection', () => {
    expect(PG_DATE_OID).toBe(1082);
    expect(types.getTypeParser(PG_DATE_OID, 'text')).toBe(readPgDate);
    expect(readPgDate('2026-12-01')).toBe('2026-12-01');
  });

  it('keep their day in a process east of UTC (TZ=Europe/Paris), where pg’s default parser loses one', () => {
    // Jest sandboxes process.env, so the time zone is set on a child process.
    const script = `
      const { types } = require('pg');
      const pgDefault = types.getTypeParser(1082, 'text');
      require(${JSON.stringify(join(__dirname, 'data-source-options.ts'))});
      const ours = types.getTypeParser(1082, 'text');
      const asApiDay = (v) => (typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10));
      process.stdout.write(JSON.stringify({ pgDefault: asApiDay(pgDefault('2026-12-01')), ours: asApiDay(ours('2026-12-01')) }));`;
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      env: { ...process.env, TZ: 'Europe/Paris' },
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ pgDefault: '2026-11-30', ours: '2026-12-01' });
  });
});
