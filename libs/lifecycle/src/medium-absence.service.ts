import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { decideMediumAbsence, DeviceStatus } from '@renum/domain';
import { actorOf, Principal } from '@renum/identity';
import { notFound, ProblemException } from '@renum/platform';
import { DataSource } from 'typeorm';
import { DeviceAccess } from './device-access';
import { MediumRow, presentMedium } from './device.presenter';
import { appendStatusEvent } from './event-log';

/**
 * A medium the donor declared that is not in the device, declared absent by the workshop holding
 * it: it stops counting for the data invariant, the row stays, and an event
 * naming it and the reason joins the device history. Evidence about a medium, as an erasure
 * record is: one transaction under the device row lock, no job (the status does not change).
 */
@Injectable()
export class MediumAbsenceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: DeviceAccess,
  ) {}

  /**
   * `POST /devices/{device}/media/{mediumId}/absence`. The same declaration sent again (a lost
   * answer, a double tap) finds the medium absent with that reason: the same answer, with
   * `duplicate`, and nothing appended.
   */
  async declare(p: Principal, deviceRef: string, mediumId: string, reason: string) {
    const deviceId = await this.access.resolve(p, deviceRef);
    return this.db.transaction(async (m) => {
      const [device] = await m.query(
        'SELECT id, status, territory_id, custodian_organization_id, version, event_seq, event_hash FROM device WHERE id = $1 FOR UPDATE',
        [deviceId],
      );
      // Read once the lock is held: an erasure recorded meanwhile is seen.
      const [medium]: (MediumRow & { erasure_records: number })[] = await m.query(
        `SELECT dm.*, (SELECT count(*)::int FROM erasure_record e WHERE e.medium_id = dm.id) AS erasure_records
           FROM device_medium dm WHERE dm.id = $1 AND dm.device_id = $2`,
        [mediumId, deviceId],
      );
      if (!medium) throw notFound('Support de stockage');
      const verdict = decideMediumAbsence(
        actorOf(p),
        {
          status: device.status as DeviceStatus,
          territoryId: device.territory_id,
          custodianOrganizationId: device.custodian_organization_id,
          medium: { declaredByDonor: medium.source === 'DONOR', absenceReason: medium.absence_reason },
          erasureRecords: medium.erasure_records,
        },
        reason,
      );
      if (!verdict.ok) throw new ProblemException(verdict.refusal.status, verdict.refusal.code, verdict.refusal.title, verdict.refusal.detail);
      if (verdict.already) return { deviceId, medium: presentMedium(medium, p.organizationKind), duplicate: true };

      const at = new Date();
      const [[declared]]: [MediumRow[]] = await m.query('UPDATE device_medium SET absent_at = $2, absence_reason = $3 WHERE id = $1 RETURNING *', [medium.id, at, reason.trim()]);
      await appendStatusEvent(
        m,
        device,
        {
          action: 'medium_declared_absent',
          fromStatus: device.status,
          toStatus: device.status,
          actorUserId: p.userId,
          organizationId: p.organizationId,
          payload: { mediumId: medium.id, mediumSerial: medium.serial_number, mediumKind: medium.kind, reason: reason.trim(), ...(p.apiKeyId ? { apiKeyId: p.apiKeyId } : {}) },
        },
        at,
      );
      return { deviceId, medium: presentMedium(declared, p.organizationKind) };
    });
  }
}
