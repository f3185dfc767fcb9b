import type { Principal } from './principal';
import { cursorValue, decodeCursor, keysetPage, Page, uuidv7 } from '@renum/platform';
import { EntityManager } from 'typeorm';

/** Settings changes (catalog) and account administration (identity): who may act, and at what price. */
export const AUDIT_ACTIONS = ['price_cap.changed', 'price_grid.changed', 'organization.created', 'user.created', 'api_key.created', 'api_key.revoked', 'territory.settings_changed', 'user.disabled', 'user.enabled'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Appends an audit event inside the caller's transaction (the table refuses updates and deletes). */
export async function recordAudit(m: EntityManager, p: Principal, action: AuditAction, payload: Record<string, unknown>): Promise<void> {
  await m.query(
    `INSERT INTO audit_event (id, territory_id, actor_user_id, actor_api_key_id, actor_organization_id, action, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [uuidv7(), p.territoryId, p.userId, p.apiKeyId, p.organizationId, action, JSON.stringify(payload)],
  );
}

export interface PresentedAuditEvent {
  id: string;
  action: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  actorOrganizationId: string;
  payload: Record<string, unknown>;
  at: string;
}

/** The territory's audit journal, newest first (index audit_event_territory_idx). */
export async function listAudit(m: EntityManager, p: Principal, q: { action?: string; cursor?: string; limit?: number }): Promise<Page<PresentedAuditEvent>> {
  const limit = q.limit ?? 50;
  const cursor = decodeCursor(q.cursor, { id: cursorValue.uuid });
  const rows = await m.query(
    `SELECT * FROM audit_event
      WHERE territory_id = $1 AND ($2::text IS NULL OR action = $2) AND ($3::uuid IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4`,
    [p.territoryId, q.action ?? null, cursor?.id ?? null, limit + 1],
  );
  return keysetPage(
    rows,
    limit,
    (r: Record<string, any>) => ({
      id: r.id,
      action: r.action,
      actorUserId: r.actor_user_id,
      actorApiKeyId: r.actor_api_key_id,
      actorOrganizationId: r.actor_organization_id,
      payload: r.payload,
      at: new Date(r.at).toISOString(),
    }),
    (last) => ({ id: last.id }),
  );
}
