import type { DeviceType, Grade } from '@renum/domain';

export interface CatalogFilters {
  type?: DeviceType;
  grade?: Grade;
  maxPriceCents?: number;
}

/** Keyset position: the last item of the previous page. */
export interface CatalogCursor {
  type: string;
  priceCents: number;
  id: string;
}

/**
 * The catalogue's one query (exported so a test can EXPLAIN exactly this SQL). Ordered by
 * (type, price, id): grouped by kind of device, cheapest first. That order is the tail of
 * `device_catalog_idx (territory_id, status, type, price_cents, id)`, so with the equality on
 * territory and status the index returns rows already sorted, the keyset condition is a row
 * comparison on the same columns (an index condition), and LIMIT stops the scan early: a page
 * costs the same on 100 devices or 100,000, whether or not a type is given.
 */
export function catalogQuery(territoryId: string, f: CatalogFilters, after: CatalogCursor | undefined, limit: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [territoryId];
  const where = [`d.territory_id = $1`, `d.status = 'AVAILABLE'`];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.type) add((n) => `d.type = ${n}`, f.type);
  if (f.grade) add((n) => `d.grade = ${n}`, f.grade);
  if (f.maxPriceCents !== undefined) add((n) => `d.price_cents <= ${n}`, f.maxPriceCents);
  if (after) {
    params.push(after.type, after.priceCents, after.id);
    const n = params.length;
    where.push(`(d.type, d.price_cents, d.id) > ($${n - 2}, $${n - 1}::int, $${n}::uuid)`);
  }
  params.push(limit);
  const sql =
    `SELECT d.id, d.code, d.type, d.brand, d.model, d.grade, d.price_cents, d.os, d.battery_health_pct, d.custody_in_at, d.no_storage_declared_at FROM device d ` +
    `WHERE ${where.join(' AND ')} ORDER BY d.type, d.price_cents, d.id LIMIT $${params.length}`;
  return { sql, params };
}
