import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal } from '@renum/identity';
import { OnJob, writeOutbox } from '@renum/jobs';
import type { JobCatalogue } from '@renum/jobs';
import { appendStatusEvent } from '@renum/lifecycle';
import { cursorValue, decodeCursor, keysetPage, notFound, ProblemException, uuidv7 } from '@renum/platform';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { drawForRecheck, recheckShareFromEnv } from './recheck-draw';

/** Where a device is no longer under a workshop's hand: a voided erasure there is an incident. */
const LEFT_CUSTODY = ['DISTRIBUTED', 'RECYCLED', 'DISMANTLED'];

/** The re-checks a caller sees: a workshop its own queue, a coordinator its territory's (erasure_recheck column and value). */
function recheckScope(p: Principal): { column: 'territory_id' | 'organization_id'; value: string } {
  return p.organizationKind === 'COORDINATOR' ? { column: 'territory_id', value: p.territoryId } : { column: 'organization_id', value: p.organizationId };
}

/**
 * An erasure (`e`) whose disk is still on its workshop's bench: its device is in that workshop's
 * custody and has not left, and the erasure counts as its proof now (begun and recorded since the
 * latest custody-in, as `erasedInCustody` says). The scheduled draw considers only these.
 */
const ON_THE_BENCH = `EXISTS (SELECT 1 FROM device d WHERE d.id = e.device_id AND d.custodian_organization_id = e.organization_id
    AND d.status NOT IN (${LEFT_CUSTODY.map((s) => `'${s}'`).join(', ')})
    AND (d.custody_in_at IS NULL OR (e.started_at > d.custody_in_at AND e.created_at > d.custody_in_at)))`;

/**
 * Independent re-checks (R2v3): a share of PASSED logical erasures is drawn for another
 * technician of the workshop to check again. A FAILED re-check voids the erasure.
 */
@Injectable()
export class RecheckService {
  private readonly logger = new Logger('ErasureRecheck');
  /** RECHECK_SHARE (default 0.05), read once: a bad value stops the start-up. */
  readonly share = recheckShareFromEnv(process.env.RECHECK_SHARE);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Puts freshly recorded erasures to the draw, inside the recording transaction. */
  async drawAtRecording(m: EntityManager, p: Principal, erasureIds: string[], seed = randomBytes(12).toString('hex')) {
    return this.draw(m, p.organizationId, erasureIds, seed);
  }

  /**
   * Every PASSED logical erasure of the workshop never put to a draw (those typed by hand): for
   * `POST /erasures/rechecks/draw` and, for every workshop, the scheduled `erasure.draw-for-recheck`,
   * which takes only those still on the bench (`onTheBench`, see ON_THE_BENCH) and leaves the others
   * undrawn: a disk that left cannot be re-checked, and a FAILED re-check of it would be a data
   * incident. The admin's request still draws them all.
   */
  async drawExisting(organizationId: string, { onTheBench = false }: { onTheBench?: boolean } = {}) {
    const usedSeed = randomBytes(12).toString('hex');
    return this.db.transaction(async (m) => {
      // One draw at a time per workshop, so two clicks (or a click and the scheduled job) do not sample the same population twice.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`recheck-draw:${organizationId}`]);
      const rows: { id: string }[] = await m.query(
        `SELECT e.id FROM erasure_record e
          WHERE e.organization_id = $1 AND e.result = 'PASSED' AND e.level <> 'DESTROY' AND e.voided_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM erasure_draw dr WHERE dr.erasure_id = e.id)${onTheBench ? ` AND ${ON_THE_BENCH}` : ''}`,
        [organizationId],
      );
      const selected = await this.draw(m, organizationId, rows.map((r) => r.id), usedSeed);
      return { considered: rows.length, share: this.share, seed: usedSeed, selected };
    });
  }

  /**
   * The scheduled draw: each workshop with erasures never put to a draw, still on its bench, gets
   * one, its own transaction and seed, as if its admin had asked for it.
   */
  async drawEveryWorkshop(): Promise<{ workshops: number; considered: number; selected: number }> {
    const workshops: { organization_id: string }[] = await this.db.query(
      `SELECT DISTINCT e.organization_id FROM erasure_record e JOIN organization o ON o.id = e.organization_id AND o.kind = 'WORKSHOP'
        WHERE e.result = 'PASSED' AND e.level <> 'DESTROY' AND e.voided_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM erasure_draw dr WHERE dr.erasure_id = e.id) AND ${ON_THE_BENCH}`,
    );
    const total = { workshops: 0, considered: 0, selected: 0 };
    for (const { organization_id } of workshops) {
      const draw = await this.drawExisting(organization_id, { onTheBench: true });
      if (draw.considered === 0) continue; // drawn meanwhile by its admin
      total.workshops++;
      total.considered += draw.considered;
      total.selected += draw.selected.length;
      this.logger.log({ msg: 'erasures drawn for re-check', organizationId: organization_id, considered: draw.considered, selected: draw.selected.length, seed: draw.seed });
    }
    return total;
  }

  private async draw(m: EntityManager, organizationId: string, erasureIds: string[], seed: string) {
    if (erasureIds.length === 0) return [];
    const chosen = new Set(drawForRecheck(erasureIds, this.share, seed));
    await m.query(
      `INSERT INTO erasure_draw (erasure_id, organization_id, selected, seed)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::boolean[], $4::text[]) ON CONFLICT (erasure_id) DO NOTHING`,
      [erasureIds, erasureIds.map(() => organizationId), erasureIds.map((id) => chosen.has(id)), erasureIds.map(() => seed)],
    );
    if (chosen.size === 0) return [];
    const ids = [...chosen];
    const rows: { id: string; erasure_id: string; device_id: string; code: string }[] = await m.query(
      `INSERT INTO erasure_recheck (id, erasure_id, device_id, organization_id, territory_id, erased_by_user_id, status)
       SELECT x.id, e.id, e.device_id, e.organization_id, d.territory_id, e.technician_user_id, 'PENDING'
         FROM unnest($1::uuid[], $2::uuid[]) AS x(id, erasure_id)
         JOIN erasure_record e ON e.id = x.erasure_id JOIN device d ON d.id = e.device_id
       ON CONFLICT (erasure_id) DO NOTHING
       RETURNING id, erasure_id, device_id, (SELECT code FROM device WHERE id = device_id) AS code`,
      [ids.map(() => uuidv7()), ids],
    );
    return rows.map((r) => ({ id: r.id, erasureId: r.erasure_id, deviceId: r.device_id, code: r.code }));
  }

  /** A workshop sees its own queue; a coordinator its territory's. Pending by default. */
  async list(p: Principal, q: { status?: string; cursor?: string; limit?: number }) {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, { id: cursorValue.uuid });
    const scope = recheckScope(p);
    const rows = await this.db.query(
      `SELECT r.id, r.erasure_id, r.device_id, d.code, r.status, r.erased_by_user_id, r.decided_by_user_id, r.decided_at, r.note, r.created_at,
              r.organization_id, e.medium_serial, e.medium_model, e.method, e.level, e.tool, e.ended_at
         FROM erasure_recheck r JOIN device d ON d.id = r.device_id JOIN erasure_record e ON e.id = r.erasure_id
        WHERE r.${scope.column} = $1 AND r.status = $2 AND ($3::uuid IS NULL OR r.id > $3::uuid)
        ORDER BY r.id LIMIT $4`,
      [scope.value, q.status ?? 'PENDING', after?.id ?? null, limit + 1],
    );
    return keysetPage(
      rows,
      limit,
      (r: Record<string, any>) => ({
        id: r.id,
        erasureId: r.erasure_id,
        deviceId: r.device_id,
        code: r.code,
        workshopOrganizationId: r.organization_id,
        mediumSerial: r.medium_serial,
        mediumModel: r.medium_model,
        level: r.level,
        method: r.method,
        tool: r.tool,
        erasedAt: new Date(r.ended_at).toISOString(),
        erasedByUserId: r.erased_by_user_id,
        status: r.status,
        decidedByUserId: r.decided_by_user_id,
        decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
        note: r.note,
        createdAt: new Date(r.created_at).toISOString(),
      }),
      (last) => ({ id: last.id }),
    );
  }

  /** 404 unless the caller sees re-check `id` (recheckScope, as in `list`). */
  async assertVisible(p: Principal, id: string): Promise<void> {
    const scope = recheckScope(p);
    const [r] = await this.db.query(`SELECT 1 FROM erasure_recheck WHERE id = $1 AND ${scope.column} = $2`, [id, scope.value]);
    if (!r) throw notFound('Contre-vérification');
  }

  /** `POST /erasures/rechecks/{id}`: by another technician of the workshop that erased. */
  async decide(p: Principal, id: string, outcome: 'CONFIRMED' | 'FAILED', note?: string) {
    if (!p.userId) throw new ProblemException(403, 'technician-required', 'Technicien requis', 'Une contre-vérification est faite par une personne identifiée, pas par une clé d’API.');
    return this.db.transaction(async (m) => {
      const [r] = await m.query('SELECT * FROM erasure_recheck WHERE id = $1 AND organization_id = $2 FOR UPDATE', [id, p.organizationId]);
      if (!r) throw notFound('Contre-vérification');
      if (r.erased_by_user_id && r.erased_by_user_id === p.userId) {
        throw new ProblemException(403, 'same-technician', 'Contre-vérification par un autre technicien', 'Vous avez vous-même réalisé cet effacement : la contre-vérification doit être faite par un autre technicien de l’atelier.');
      }
      if (r.status !== 'PENDING') {
        throw new ProblemException(409, 'recheck-decided', 'Contre-vérification déjà tranchée', `Cette contre-vérification est déjà close (${r.status === 'CONFIRMED' ? 'confirmée' : 'en échec'}).`);
      }
      await m.query(`UPDATE erasure_recheck SET status = $2, decided_by_user_id = $3, decided_at = now(), note = $4 WHERE id = $1`, [id, outcome, p.userId, note ?? null]);
      let incidentId: string | undefined;
      if (outcome === 'FAILED') incidentId = await this.voidErasure(m, p, r, note);
      return { id, status: outcome, erasureId: r.erasure_id, deviceId: r.device_id, voided: outcome === 'FAILED', ...(incidentId ? { incidentId } : {}) };
    });
  }

  /** Voids the erasure and says so in the device history; raises an incident if the device has left. */
  private async voidErasure(m: EntityManager, p: Principal, r: Record<string, any>, note?: string): Promise<string | undefined> {
    const [device] = await m.query(
      `SELECT d.id, d.status, d.event_seq, d.event_hash, d.territory_id, d.custodian_organization_id, o.kind AS custodian_kind
         FROM device d JOIN organization o ON o.id = d.custodian_organization_id WHERE d.id = $1 FOR UPDATE OF d`,
      [r.device_id],
    );
    const reason = `Contre-vérification en échec${note ? ` : ${note}` : ''}`;
    const [[erasure]] = await m.query('UPDATE erasure_record SET voided_at = now(), void_reason = $2 WHERE id = $1 AND voided_at IS NULL RETURNING medium_serial', [r.erasure_id, reason]);
    await appendStatusEvent(m, device, {
      action: 'erasure_voided',
      fromStatus: device.status,
      toStatus: device.status,
      actorUserId: p.userId,
      organizationId: p.organizationId,
      payload: { erasureId: r.erasure_id, recheckId: r.id, mediumSerial: erasure?.medium_serial ?? null, reason },
    });
    if (!LEFT_CUSTODY.includes(device.status) && device.custodian_kind === 'WORKSHOP') return undefined;
    const incidentId = uuidv7();
    await m.query(
      `INSERT INTO data_incident (id, device_id, erasure_id, recheck_id, territory_id, holder_organization_id, device_status, status, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'OPEN', $8)`,
      [incidentId, device.id, r.erasure_id, r.id, device.territory_id, device.custodian_organization_id, device.status,
        `L’effacement du disque n° ${erasure?.medium_serial ?? '?'} a échoué à sa contre-vérification alors que le matériel a quitté l’atelier : contacter son détenteur pour le récupérer et l’effacer à nouveau.`],
    );
    const payload: JobCatalogue['erasure.incident'] = { incidentId, deviceId: device.id, erasureId: r.erasure_id, territoryId: device.territory_id };
    await writeOutbox(m, [{ jobName: 'erasure.incident', payload }]);
    return incidentId;
  }

  /** The coordinator's list of data incidents, with the holder to contact. */
  async incidents(p: Principal, q: { cursor?: string; limit?: number }) {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, { id: cursorValue.uuid });
    const rows = await this.db.query(
      `SELECT i.id, i.device_id, d.code, i.erasure_id, e.medium_serial, e.ended_at, i.device_status, d.status AS current_status, i.status, i.detail, i.created_at,
              o.id AS holder_id, o.name AS holder_name, o.kind AS holder_kind
         FROM data_incident i JOIN device d ON d.id = i.device_id JOIN erasure_record e ON e.id = i.erasure_id
         JOIN organization o ON o.id = d.custodian_organization_id
        WHERE i.territory_id = $1 AND ($2::uuid IS NULL OR i.id > $2::uuid) ORDER BY i.id LIMIT $3`,
      [p.territoryId, after?.id ?? null, limit + 1],
    );
    return keysetPage(
      rows,
      limit,
      (r: Record<string, any>) => ({
        id: r.id,
        deviceId: r.device_id,
        code: r.code,
        deviceStatus: r.current_status,
        holder: { organizationId: r.holder_id, name: r.holder_name, kind: r.holder_kind },
        erasure: { id: r.erasure_id, mediumSerial: r.medium_serial, endedAt: new Date(r.ended_at).toISOString() },
        status: r.status,
        detail: r.detail,
        createdAt: new Date(r.created_at).toISOString(),
      }),
      (last) => ({ id: last.id }),
    );
  }

  /** The outbox job: the incident is in the database already; this is the notification hook. */
  @OnJob('erasure.incident')
  async notifyIncident(data: JobCatalogue['erasure.incident']) {
    this.logger.warn(`data incident ${data.incidentId}: erasure ${data.erasureId} voided on device ${data.deviceId} that left custody (territory ${data.territoryId})`);
    return { logged: true };
  }
}
