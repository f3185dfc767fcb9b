import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DEVICE_TYPES, DeviceType, formatEuros, Grade, LEGAL_PRICE_CAPS_CENTS } from '@renum/domain';
import { recordAudit } from '@renum/identity';
import type { Principal } from '@renum/identity';
import { DeviceAccess } from '@renum/lifecycle';
import { ProblemException } from '@renum/platform';
import { DataSource, EntityManager } from 'typeorm';


export interface PresentedPriceCap {
  type: DeviceType;
  capCents: number;
  legalCapCents: number;
  /** True when the territory's coordinator set its own cap (it may be lower or higher than the legal one). */
  overridden: boolean;
  updatedAt: string | null;
}

export interface PresentedGridEntry {
  type: DeviceType;
  grade: Grade;
  priceCents: number;
  /** The cap in force now; a suggestion never exceeds it. */
  capCents: number;
  updatedAt: string;
}

const priceAboveCap = (priceCents: number, capCents: number) =>
  new ProblemException(
    422,
    'price-above-cap',
    'Prix au-dessus du plafond',
    `Le prix proposé (${formatEuros(priceCents)}) dépasse le plafond en vigueur (${formatEuros(capCents)}) pour ce type de matériel.`,
  );

/** Price caps (legal, or the coordinator's), the coordinator's grid, and suggestions from it. */
@Injectable()
export class PricingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: DeviceAccess,
  ) {}

  /** Every device type with the cap in force in the caller's territory. */
  async caps(p: Principal, m: EntityManager = this.db.manager): Promise<PresentedPriceCap[]> {
    const rows: { type: DeviceType; cap_cents: number; updated_at: Date }[] = await m.query('SELECT type, cap_cents, updated_at FROM price_cap WHERE territory_id = $1', [p.territoryId]);
    const byType = new Map(rows.map((r) => [r.type, r]));
    return DEVICE_TYPES.map((type) => {
      const row = byType.get(type);
      return {
        type,
        capCents: row?.cap_cents ?? LEGAL_PRICE_CAPS_CENTS[type],
        legalCapCents: LEGAL_PRICE_CAPS_CENTS[type],
        overridden: !!row,
        updatedAt: row ? new Date(row.updated_at).toISOString() : null,
      };
    });
  }

  /**
   * Sets a territory's cap for one type and journals it in the same transaction. An advisory
   * lock per (territory, type) makes "from" exact when two coordinators edit at once.
   */
  async setCap(p: Principal, type: DeviceType, capCents: number): Promise<PresentedPriceCap & { devicesAboveCap: number }> {
    return this.db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`price_cap:${p.territoryId}:${type}`]);
      const from = await this.capOf(m, p.territoryId, type);
      if (from !== capCents) {
        await m.query(
          `INSERT INTO price_cap (territory_id, type, cap_cents, updated_by_user_id, updated_at) VALUES ($1, $2, $3, $4, now())
           ON CONFLICT (territory_id, type) DO UPDATE SET cap_cents = EXCLUDED.cap_cents, updated_by_user_id = EXCLUDED.updated_by_user_id, updated_at = now()`,
          [p.territoryId, type, capCents, p.userId],
        );
        await recordAudit(m, p, 'price_cap.changed', { type, from, to: capCents, legal: LEGAL_PRICE_CAPS_CENTS[type] });
      }
      // Devices already published above the new cap cannot be handed over at that price any more.
      const [{ n }] = await m.query(
        `SELECT count(*)::int AS n FROM device WHERE territory_id = $1 AND status IN ('AVAILABLE', 'RESERVED') AND type = $2 AND price_cents > $3`,
        [p.territoryId, type, capCents],
      );
      const cap = (await this.caps(p, m)).find((c) => c.type === type)!;
      return { ...cap, devicesAboveCap: n };
    });
  }

  async grid(p: Principal): Promise<{ items: PresentedGridEntry[] }> {
    const [rows, caps] = await Promise.all([
      this.db.query('SELECT type, grade, price_cents, updated_at FROM price_grid WHERE territory_id = $1 ORDER BY type, grade', [p.territoryId]),
      this.caps(p),
    ]);
    const capOf = new Map(caps.map((c) => [c.type, c.capCents]));
    return {
      items: rows.map((r: { type: DeviceType; grade: Grade; price_cents: number; updated_at: Date }) => ({
        type: r.type,
        grade: r.grade,
        priceCents: r.price_cents,
        capCents: capOf.get(r.type)!,
        updatedAt: new Date(r.updated_at).toISOString(),
      })),
    };
  }

  /** A grid price above the cap in force would suggest an illegal price: refused. */
  async setGrid(p: Principal, type: DeviceType, grade: Grade, priceCents: number): Promise<PresentedGridEntry> {
    return this.db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`price_cap:${p.territoryId}:${type}`]);
      const cap = await this.capOf(m, p.territoryId, type);
      if (priceCents > cap) throw priceAboveCap(priceCents, cap);
      const [previous] = await m.query('SELECT price_cents FROM price_grid WHERE territory_id = $1 AND type = $2 AND grade = $3', [p.territoryId, type, grade]);
      const [row] = await m.query(
        `INSERT INTO price_grid (territory_id, type, grade, price_cents, updated_by_user_id, updated_at) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (territory_id, type, grade) DO UPDATE SET price_cents = EXCLUDED.price_cents, updated_by_user_id = EXCLUDED.updated_by_user_id, updated_at = now()
         RETURNING updated_at`,
        [p.territoryId, type, grade, priceCents, p.userId],
      );
      if (previous?.price_cents !== priceCents) {
        await recordAudit(m, p, 'price_grid.changed', { type, grade, from: previous?.price_cents ?? null, to: priceCents });
      }
      return { type, grade, priceCents, capCents: cap, updatedAt: new Date(row.updated_at).toISOString() };
    });
  }

  /** The grid's price for the device's type and grade, never above the cap in force. */
  async suggestion(p: Principal, ref: string) {
    const id = await this.access.resolve(p, ref);
    const [device] = await this.db.query('SELECT id, code, type, grade, territory_id FROM device WHERE id = $1', [id]);
    const capCents = await this.capOf(this.db.manager, device.territory_id, device.type);
    const [grid] = device.grade
      ? await this.db.query('SELECT price_cents FROM price_grid WHERE territory_id = $1 AND type = $2 AND grade = $3', [device.territory_id, device.type, device.grade])
      : [];
    const suggested = grid ? Math.min(grid.price_cents, capCents) : null;
    return {
      deviceId: device.id,
      code: device.code,
      type: device.type as DeviceType,
      grade: device.grade as Grade | null,
      suggestedPriceCents: suggested,
      capCents,
      source: grid ? 'grid' : 'none',
    };
  }

  private async capOf(m: EntityManager, territoryId: string, type: DeviceType): Promise<number> {
    const [row] = await m.query('SELECT cap_cents FROM price_cap WHERE territory_id = $1 AND type = $2', [territoryId, type]);
    return row?.cap_cents ?? LEGAL_PRICE_CAPS_CENTS[type];
  }
}
