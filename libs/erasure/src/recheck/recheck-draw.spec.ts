import { drawForRecheck, recheckShareFromEnv, seededRandom } from './recheck-draw';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `erasure-${String(i).padStart(5, '0')}`);

describe('drawForRecheck', () => {
  it('selects exactly the configured share of a large population', () => {
    expect(drawForRecheck(ids(1000), 0.05, 'seed-1')).toHaveLength(50);
    expect(drawForRecheck(ids(1000), 0.1, 'seed-1')).toHaveLength(100);
    expect(drawForRecheck(ids(400), 0.05, 'other')).toHaveLength(20);
  });

  it('is deterministic for a seed, independent of input order, and differs between seeds', () => {
    const population = ids(1000);
    const a = drawForRecheck(population, 0.05, 'audit-2026-11');
    expect(drawForRecheck([...population].reverse(), 0.05, 'audit-2026-11')).toEqual(a);
    expect(drawForRecheck(population, 0.05, 'audit-2026-12')).not.toEqual(a);
    expect(new Set(a).size).toBe(50);
    a.forEach((id) => expect(population).toContain(id));
  });

  it('spreads the selection over the whole population', () => {
    const population = ids(1000);
    const counts = new Map<string, number>();
    for (let s = 0; s < 200; s++) for (const id of drawForRecheck(population, 0.05, `s${s}`)) counts.set(id, (counts.get(id) ?? 0) + 1);
    // 200 draws × 50 = 10,000 picks over 1000 ids: every id is picked about 10 times.
    expect(counts.size).toBeGreaterThan(990);
    expect(Math.max(...counts.values())).toBeLessThan(30);
  });

  it('gives a lone erasure the configured chance (small imports are still sampled)', () => {
    let selected = 0;
    for (let s = 0; s < 10000; s++) selected += drawForRecheck(['only-one'], 0.05, `single-${s}`).length;
    expect(selected).toBeGreaterThan(400);
    expect(selected).toBeLessThan(600);
  });

  it('selects nothing at 0 %, everything at 100 %, and refuses a share outside [0, 1]', () => {
    expect(drawForRecheck(ids(30), 0, 'x')).toEqual([]);
    expect(drawForRecheck(ids(30), 1, 'x').sort()).toEqual(ids(30));
    expect(drawForRecheck([], 0.05, 'x')).toEqual([]);
    expect(() => drawForRecheck(ids(3), 1.5, 'x')).toThrow(RangeError);
    expect(() => drawForRecheck(ids(3), NaN, 'x')).toThrow(RangeError);
  });

  it('has a uniform generator', () => {
    const random = seededRandom('uniform');
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100000; i++) buckets[Math.floor(random() * 10)]++;
    buckets.forEach((b) => expect(Math.abs(b - 10000)).toBeLessThan(500));
  });
});

describe('recheckShareFromEnv', () => {
  it('defaults to 5 % and refuses nonsense', () => {
    expect(recheckShareFromEnv(undefined)).toBe(0.05);
    expect(recheckShareFromEnv('0.2')).toBe(0.2);
    expect(() => recheckShareFromEnv('5%')).toThrow(/RECHECK_SHARE/);
    expect(() => recheckShareFromEnv('2')).toThrow(/RECHECK_SHARE/);
  });
});
