import { catalogQuery } from './catalog-query';

const T = '01a00000-0000-7000-8000-000000000001';

describe('catalogQuery', () => {
  it('lists AVAILABLE devices of one territory in the order of device_catalog_idx', () => {
    const { sql, params } = catalogQuery(T, {}, undefined, 51);
    expect(sql).toContain(`d.territory_id = $1 AND d.status = 'AVAILABLE'`);
    expect(sql).toMatch(/ORDER BY d\.type, d\.price_cents, d\.id LIMIT \$2$/);
    expect(params).toEqual([T, 51]);
  });

  it('numbers filter and cursor parameters in order', () => {
    const { sql, params } = catalogQuery(T, { type: 'LAPTOP', grade: 'B', maxPriceCents: 9000 }, { type: 'LAPTOP', priceCents: 5000, id: 'x' }, 11);
    expect(sql).toContain('d.type = $2 AND d.grade = $3 AND d.price_cents <= $4 AND (d.type, d.price_cents, d.id) > ($5, $6::int, $7::uuid)');
    expect(sql).toMatch(/LIMIT \$8$/);
    expect(params).toEqual([T, 'LAPTOP', 'B', 9000, 'LAPTOP', 5000, 'x', 11]);
  });

  it('keeps a zero price ceiling (free devices only)', () => {
    expect(catalogQuery(T, { maxPriceCents: 0 }, undefined, 5).params).toEqual([T, 0, 5]);
  });

  it('never selects serial numbers or donor data', () => {
    expect(catalogQuery(T, {}, undefined, 5).sql).not.toMatch(/serial|inventory|donor|estimated/);
  });
});
