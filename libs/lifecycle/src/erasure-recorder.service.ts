import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { erasedInCustody, likelyMeantSerial, ErasureLevel, ErasureResult, MediumKind, normalizeSerial, Verification } from '@renum/domain';
import type { Principal } from '@renum/identity';
import { badRequest, cursorValue, decodeCursor, keysetPage, notFound, ProblemException, uuidv7 } from '@renum/platform';
import { DataSource, EntityManager } from 'typeorm';
import { DeviceAccess } from './device-access';
import { seesSerials } from './device.presenter';
import { appendStatusEvent } from './event-log';
import { HISTORY_PAGE_DEFAULT, HistoryPageQuery } from './history-page';

/** One erasure to record, whatever its source (typed by hand or parsed from a tool's report). */
export interface ErasureFacts {
  mediumSerial: string;
  mediumKind?: MediumKind;
  mediumModel?: string;
  capacityGb?: number;
  level: ErasureLevel;
  method: string;
  tool: string;
  toolVersion?: string;
  verification: Verification;
  result: ErasureResult;
  failureReason?: string;
  rounds?: number;
  errors?: number;
  details?: Record<string, unknown>;
  startedAt: Date;
  endedAt: Date;
  source: string;
  reportId?: string;
  reportSha256?: string;
}

export interface RecordedErasure {
  id: string;
  result: ErasureResult;
  mediumId: string;
  mediumAdded: boolean;
  /** False when the erasure predates the device's latest entry into custody. */
  countsForCustody: boolean;
  duplicate?: boolean;
  /** The medium had been declared absent from the device: a tool or a technician saw it, it counts again. */
  wasAbsent?: boolean;
}

interface LockedDevice {
  id: string;
  status: string;
  custodian_organization_id: string;
  custody_in_at: Date | null;
  version: number;
  event_seq: number;
  event_hash: string | null;
}

const notHolding = () =>
  new ProblemException(403, 'not-custodian', 'Matériel hors de votre garde', "Seul l'atelier qui a ce matériel sous sa garde peut enregistrer un effacement.");

/**
 * Records erasure evidence on a device: adds an unknown medium (DOMAIN.md "Storage media"),
 * stores the record and appends an `erasure_recorded` event, so evidence is in the tamper-evident
 * history too. Used by the manual endpoint and by report imports.
 */
@Injectable()
export class ErasureRecorder {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: DeviceAccess,
  ) {}

  /** `POST /devices/{device}/erasures`. */
  async recordByHand(p: Principal, deviceRef: string, input: ErasureFacts & { newMedium?: boolean }): Promise<RecordedErasure & { warning?: string }> {
    const deviceId = await this.access.resolve(p, deviceRef);
    const { newMedium, ...facts } = input;
    return this.db.transaction(async (m) => {
      const device = await this.lockHeldDevice(m, p, deviceId);
      if (newMedium !== true) {
        // A typed serial a symbol or two off a listed disk is a typo far more often than another disk.
        const listed: { serial_number: string }[] = await m.query('SELECT serial_number FROM device_medium WHERE device_id = $1', [device.id]);
        const meant = likelyMeantSerial(facts.mediumSerial, listed.map((r) => r.serial_number));
        if (meant) {
          throw new ProblemException(422, 'unlisted-medium', 'Support non listé', `Le support « ${facts.mediumSerial.trim()} » n'est pas listé sur ce matériel ; le plus proche est « ${meant} ». Corrigez le numéro, ou renvoyez avec newMedium: true s'il s'agit bien d'un autre disque.`, {
            closestMediumSerial: meant,
          });
        }
      }
      const recorded = await this.record(m, device, facts, p);
      const warnings = [
        ...(recorded.mediumAdded ? [`Nouveau support « ${facts.mediumSerial.trim()} » ajouté à ce matériel : vérifiez son numéro, chaque support listé doit être effacé ou détruit avant la sortie du matériel.`] : []),
        ...(recorded.countsForCustody ? [] : ["Cet effacement a commencé avant la dernière prise en charge du matériel par l'atelier : il ne compte pas pour sa sortie. Effacez à nouveau ce support."]),
        ...(recorded.wasAbsent ? [
          // Whatever this record's result: a successful one counts now, a failed one is one to do again (the answer's result says which).
          "Ce support avait été déclaré absent de l'appareil : il y est donc, et compte de nouveau pour la sortie du matériel (sa déclaration d'absence est levée).",
        ] : []),
      ];
      return { ...recorded, ...(warnings.length ? { warning: warnings.join(' ') } : {}) };
    });
  }

  async lockHeldDevice(m: EntityManager, p: Principal, deviceId: string): Promise<LockedDevice> {
    const [device]: LockedDevice[] = await m.query('SELECT * FROM device WHERE id = $1 FOR UPDATE', [deviceId]);
    if (!device) throw notFound('Matériel');
    if (p.organizationKind !== 'WORKSHOP' || device.custodian_organization_id !== p.organizationId) throw notHolding();
    return device;
  }

  /**
   * `maxAheadMs`: how far past the server's clock an end time may be (5 min for a technician's
   * entry; an imported log passes more, its machine's clock being often set to local time). The
   * data invariant does not depend on it: a record counts only once recorded after a custody-in.
   */
  async record(m: EntityManager, device: LockedDevice, e: ErasureFacts, p: Principal, opts: { maxAheadMs?: number } = {}): Promise<RecordedErasure> {
    if (e.endedAt.getTime() < e.startedAt.getTime()) throw badRequest('La fin de l’effacement précède son début.', [{ field: 'endedAt', message: 'doit suivre startedAt' }]);
    if (e.endedAt.getTime() > Date.now() + (opts.maxAheadMs ?? 5 * 60_000)) throw badRequest('La date de fin est dans le futur.', [{ field: 'endedAt', message: 'ne peut pas être dans le futur' }]);
    const serialKey = normalizeSerial(e.mediumSerial);
    let [medium] = await m.query('SELECT id, serial_number, absent_at FROM device_medium WHERE device_id = $1 AND serial_key = $2', [device.id, serialKey]);
    const mediumAdded = !medium;
    if (!medium) {
      medium = { id: uuidv7(), serial_number: e.mediumSerial.trim() };
      await m.query(
        `INSERT INTO device_medium (id, device_id, kind, serial_number, serial_key, model, capacity_gb, source) VALUES ($1, $2, $3, $4, $5, $6, $7, 'ERASURE')`,
        [medium.id, device.id, e.mediumKind ?? 'OTHER', e.mediumSerial.trim(), serialKey, e.mediumModel ?? null, e.capacityGb ?? null],
      );
    }
    if (e.reportId) {
      const [existing] = await m.query('SELECT id, result FROM erasure_record WHERE report_id = $1 AND medium_id = $2', [e.reportId, medium.id]);
      if (existing) return { id: existing.id, result: existing.result, mediumId: medium.id, mediumAdded: false, countsForCustody: true, duplicate: true };
    } else if (!mediumAdded) {
      // The same entry sent again (an answer lost on a workshop's Wi-Fi, a double tap, a stock
      // system's retry): the record already made, not a second one in the tamper-evident history.
      const [same] = await m.query(
        `SELECT id, result, created_at FROM erasure_record
          WHERE device_id = $1 AND medium_id = $2 AND report_id IS NULL AND organization_id = $3 AND voided_at IS NULL
            AND started_at = $4 AND ended_at = $5 AND result = $6 AND level = $7 AND method = $8 AND tool = $9`,
        [device.id, medium.id, p.organizationId, e.startedAt, e.endedAt, e.result, e.level, e.method, e.tool],
      );
      if (same) {
        const countsForCustody = erasedInCustody({ startedAt: e.startedAt, recordedAt: new Date(same.created_at) }, device.custody_in_at ? new Date(device.custody_in_at) : null);
        return { id: same.id, result: same.result, mediumId: medium.id, mediumAdded: false, countsForCustody, duplicate: true };
      }
    }
    const id = uuidv7();
    // created_at is when the row is written, under the device lock (now() would be the start of
    // the transaction, maybe before a `return` it waited for): the data invariant compares it
    // with the custody-in.
    await m.query(
      `INSERT INTO erasure_record (id, device_id, medium_id, medium_serial, medium_kind, medium_model, capacity_gb, level, method, tool, tool_version,
                                   verification, rounds, errors, details, result, failure_reason, started_at, ended_at, technician_user_id,
                                   organization_id, source, report_id, report_sha256, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24, clock_timestamp())`,
      [
        id, device.id, medium.id, medium.serial_number, e.mediumKind ?? null, e.mediumModel ?? null, e.capacityGb ?? null, e.level, e.method, e.tool,
        e.toolVersion ?? null, e.verification, e.rounds ?? null, e.errors ?? 0, JSON.stringify(e.details ?? {}), e.result, e.failureReason ?? null,
        e.startedAt, e.endedAt, p.userId, p.organizationId, e.source, e.reportId ?? null, e.reportSha256?.toLowerCase() ?? null,
      ],
    );
    // A medium declared absent that a tool or a technician now names is in the device after all: it counts again.
    const wasAbsent = !mediumAdded && medium.absent_at !== null;
    if (wasAbsent) await m.query('UPDATE device_medium SET absent_at = NULL, absence_reason = NULL WHERE id = $1', [medium.id]);
    const event = await appendStatusEvent(m, device, {
      action: 'erasure_recorded',
      fromStatus: device.status,
      toStatus: device.status,
      actorUserId: p.userId,
      organizationId: p.organizationId,
      payload: {
        erasureId: id, mediumSerial: medium.serial_number, level: e.level, method: e.method, result: e.result, source: e.source,
        ...(mediumAdded ? { mediumAdded: true } : {}), ...(wasAbsent ? { mediumWasAbsent: true } : {}),
      },
    });
    Object.assign(device, { event_seq: event.seq, event_hash: event.hash, version: device.version + 1 });
    // Recorded now, under the device lock: only its start can place it before the custody-in.
    const countsForCustody = erasedInCustody({ startedAt: e.startedAt, recordedAt: new Date() }, device.custody_in_at ? new Date(device.custody_in_at) : null);
    return { id, result: e.result, mediumId: medium.id, mediumAdded, countsForCustody, ...(wasAbsent ? { wasAbsent } : {}) };
  }

  /**
   * The device's erasure records, oldest first (by end, then id), paged. The cursor holds the end
   * in microseconds, as stored (a Date would cut it to milliseconds and skip or repeat a record).
   */
  async list(p: Principal, deviceRef: string, q: HistoryPageQuery = {}) {
    const deviceId = await this.access.resolve(p, deviceRef);
    const limit = q.limit ?? HISTORY_PAGE_DEFAULT;
    const after = decodeCursor(q.cursor, { e: cursorValue.epochMicros, i: cursorValue.uuid });
    const endedUs = 'extract(epoch FROM ended_at) * 1000000';
    const rows = await this.db.query(
      `SELECT id, medium_serial, medium_kind, level, method, tool, tool_version, verification, result, failure_reason, started_at, ended_at, source,
              report_sha256, voided_at, void_reason, (${endedUs})::bigint AS ended_us
         FROM erasure_record WHERE device_id = $1 AND ($2::numeric IS NULL OR (${endedUs}, id) > ($2::numeric, $3::uuid))
        ORDER BY ended_at, id LIMIT $4`,
      [deviceId, after?.e ?? null, after?.i ?? null, limit + 1],
    );
    const serials = seesSerials(p.organizationKind);
    return keysetPage(
      rows,
      limit,
      (r: Record<string, any>) => ({
        id: r.id,
        ...(serials ? { mediumSerial: r.medium_serial } : {}),
        mediumKind: r.medium_kind,
        level: r.level,
        method: r.method,
        tool: r.tool,
        toolVersion: r.tool_version,
        verification: r.verification,
        result: r.result,
        failureReason: r.failure_reason,
        startedAt: new Date(r.started_at).toISOString(),
        endedAt: new Date(r.ended_at).toISOString(),
        source: r.source,
        reportSha256: r.report_sha256,
        voided: r.voided_at !== null,
        ...(r.voided_at ? { voidedAt: new Date(r.voided_at).toISOString(), voidReason: r.void_reason } : {}),
      }),
      (last) => ({ e: Number(last.ended_us), i: last.id }),
    );
  }
}
