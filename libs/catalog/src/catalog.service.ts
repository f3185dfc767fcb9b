import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DEVICE_TYPES, type DeviceType, type Grade } from '@renum/domain';
import type { Principal } from '@renum/identity';
import { cursorValue, decodeCursor, encodeCursor, Page } from '@renum/platform';
import { DataSource } from 'typeorm';
import { CatalogQuery } from './catalog.dto';
import { CatalogCursor, catalogQuery } from './catalog-query';

/** What a charity sees of a device: enough to choose for a beneficiary, no serial numbers. */
export interface CatalogItem {
  id: string;
  code: string;
  type: DeviceType;
  brand: string;
  model: string;
  grade: Grade | null;
  priceCents: number;
  os: string | null;
  batteryHealthPct: number | null;
  media: { kind: string; capacityGb: number | null }[];
}

@Injectable()
export class CatalogService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** AVAILABLE devices of the caller's territory; two queries per page (devices, then their media). */
  async list(p: Principal, q: CatalogQuery): Promise<Page<CatalogItem>> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, { t: cursorValue.oneOf(DEVICE_TYPES), p: cursorValue.int, i: cursorValue.uuid });
    const cursor: CatalogCursor | undefined = after ? { type: after.t, priceCents: after.p, id: after.i } : undefined;
    const { sql, params } = catalogQuery(p.territoryId, { type: q.type, grade: q.grade, maxPriceCents: q.maxPriceCents }, cursor, limit + 1);
    const rows: Record<string, any>[] = await this.db.query(sql, params);
    const page = rows.slice(0, limit);
    const media: { device_id: string; kind: string; capacity_gb: number | null }[] = page.length
      ? await this.db.query('SELECT device_id, kind, capacity_gb FROM device_medium WHERE device_id = ANY($1) ORDER BY created_at, id', [page.map((r) => r.id)])
      : [];
    const mediaOf = new Map<string, CatalogItem['media']>();
    for (const m of media) {
      const list = mediaOf.get(m.device_id) ?? [];
      list.push({ kind: m.kind, capacityGb: m.capacity_gb });
      mediaOf.set(m.device_id, list);
    }
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        code: r.code,
        type: r.type,
        brand: r.brand,
        model: r.model,
        grade: r.grade,
        priceCents: r.price_cents,
        os: r.os,
        batteryHealthPct: r.battery_health_pct,
        media: mediaOf.get(r.id) ?? [],
      })),
      nextCursor: rows.length > limit ? encodeCursor({ t: last.type, p: last.price_cents, i: last.id }) : null,
    };
  }
}
