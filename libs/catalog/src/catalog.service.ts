import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { checkDataInvariant, DEVICE_TYPES, type DeviceType, type Grade } from '@renum/domain';
import type { Principal } from '@renum/identity';
import { loadDevicesFacts } from '@renum/lifecycle';
import { cursorValue, decodeCursor, keysetPage, Page } from '@renum/platform';
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

  /**
   * AVAILABLE devices of the caller's territory; two queries per page (devices, then their media
   * and erasures). A device whose erasure is no longer proven (a disk found on it since, an erasure
   * voided by a re-check) is left out: a charity could not reserve it (422) until the workshop
   * erases it again. A page may then hold fewer items than `limit`; its cursor goes on after it.
   */
  async list(p: Principal, q: CatalogQuery): Promise<Page<CatalogItem>> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, { t: cursorValue.oneOf(DEVICE_TYPES), p: cursorValue.int, i: cursorValue.uuid });
    const cursor: CatalogCursor | undefined = after ? { type: after.t, priceCents: after.p, id: after.i } : undefined;
    const { sql, params } = catalogQuery(p.territoryId, { type: q.type, grade: q.grade, maxPriceCents: q.maxPriceCents }, cursor, limit + 1);
    const rows: Record<string, any>[] = await this.db.query(sql, params);
    const { items: page, nextCursor } = keysetPage(rows, limit, (r) => r, (last) => ({ t: last.type, p: last.price_cents, i: last.id }));
    const facts = await loadDevicesFacts(this.db.manager, page as { id: string; custody_in_at: Date | null; no_storage_declared_at: Date | null }[]);
    return {
      items: page.filter((r) => checkDataInvariant(facts.get(r.id)!.custody).ok).map((r) => ({
        id: r.id,
        code: r.code,
        type: r.type,
        brand: r.brand,
        model: r.model,
        grade: r.grade,
        priceCents: r.price_cents,
        os: r.os,
        batteryHealthPct: r.battery_health_pct,
        // What the device holds: not a disk the donor listed that the workshop found absent.
        media: facts.get(r.id)!.media.filter((m) => m.absent_at === null).map((m) => ({ kind: m.kind, capacityGb: m.capacity_gb })),
      })),
      nextCursor,
    };
  }
}
