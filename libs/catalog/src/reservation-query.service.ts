import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal } from '@renum/identity';
import { cursorValue, decodeCursor, forbidden, keysetPage, Page } from '@renum/platform';
import { DataSource } from 'typeorm';
import { ReservationListQuery, ReservationStatus } from './catalog.dto';

export interface PresentedReservation {
  id: string;
  deviceId: string;
  code: string;
  status: ReservationStatus;
  charityOrganizationId: string;
  expiresAt: string;
  createdAt: string;
  closedAt: string | null;
}

/** Reservations a caller may list: a charity its own, a coordinator its territory's. Never the beneficiary hash. */
@Injectable()
export class ReservationQueryService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(p: Principal, q: ReservationListQuery): Promise<Page<PresentedReservation>> {
    const scope =
      p.organizationKind === 'CHARITY' ? { sql: 'r.charity_organization_id = $1', param: p.organizationId }
      : p.organizationKind === 'COORDINATOR' ? { sql: 'r.territory_id = $1', param: p.territoryId }
      : undefined;
    if (!scope) throw forbidden('Seuls les partenaires solidaires et les coordinateurs consultent les réservations.');
    const limit = q.limit ?? 50;
    const cursor = decodeCursor(q.cursor, { id: cursorValue.uuid });
    // Newest first: UUID v7 ids follow creation time.
    const rows = await this.db.query(
      `SELECT r.id, r.device_id, d.code, r.status, r.charity_organization_id, r.expires_at, r.created_at, r.closed_at
         FROM reservation r JOIN device d ON d.id = r.device_id
        WHERE ${scope.sql} AND ($2::text IS NULL OR r.status = $2) AND ($3::uuid IS NULL OR r.id < $3)
        ORDER BY r.id DESC LIMIT $4`,
      [scope.param, q.status ?? null, cursor?.id ?? null, limit + 1],
    );
    return keysetPage(
      rows,
      limit,
      (r: Record<string, any>) => ({
        id: r.id,
        deviceId: r.device_id,
        code: r.code,
        status: r.status,
        charityOrganizationId: r.charity_organization_id,
        expiresAt: new Date(r.expires_at).toISOString(),
        createdAt: new Date(r.created_at).toISOString(),
        closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
      }),
      (last) => ({ id: last.id }),
    );
  }
}
