import { readdirSync } from 'node:fs';
import { ALL_MIGRATIONS } from './index';

describe('migrations index', () => {
  it('lists every migration file, in timestamp order', () => {
    const files = readdirSync(__dirname).filter((f) => /^\d+-.+\.ts$/.test(f) && !f.endsWith('.spec.ts')).sort();
    const classes = ALL_MIGRATIONS.map((m) => m.name);
    expect(classes).toEqual(files.map((f) => { const [ts, name] = f.replace(/\.ts$/, '').split('-'); return `${name}${ts}`; }));
  });
});
