import { Injectable } from '@nestjs/common';
import { pgCode, pgConstraint, PG_UNIQUE_VIOLATION } from '@renum/db';
import { DeviceInput, deviceFlags, deviceInputProblems, generatePublicCode, normalizeSerial } from '@renum/domain';
import { badRequest, ProblemException, uuidv7 } from '@renum/platform';
import { EntityManager } from 'typeorm';
import { firstEvent } from './event-log';

export interface RegistrationTarget {
  donationId: string;
  donorOrganizationId: string;
  territoryId: string;
}

export interface RegisteredDevice {
  id: string;
  code: string;
  status: 'REGISTERED';
  serialNumber: string;
  /** Legal flags (REEN_TOO_OLD, VALUE_ABOVE_DONATION_CAP) recorded on the device. */
  flags: string[];
}

export class DuplicateSerialsError extends ProblemException {
  constructor(readonly serials: string[]) {
    super(409, 'duplicate-serial', 'Numéro de série déjà enregistré', `Déjà enregistré(s) par votre organisation : ${serials.join(', ')}. Rien n'a été créé.`, { serials });
  }
}

const MAX_CODE_ATTEMPTS = 5;

/** Where a serial the donor already registered lives: the device's code and its donation. */
export interface RegisteredSerial {
  serialNumber: string;
  code: string;
  donationId: string;
  donationReference: string;
}

/** The donor's devices under these serial keys (normalizeSerial), by key: the one lookup of a serial already registered (the duplicate check here, the import's and the 409's details in intake). */
export async function registeredSerials(m: EntityManager, donorOrganizationId: string, serialKeys: string[]): Promise<Map<string, RegisteredSerial>> {
  if (!serialKeys.length) return new Map();
  const rows: { serial_key: string; serial_number: string; code: string; donation_id: string; reference: string }[] = await m.query(
    `SELECT d.serial_key, d.serial_number, d.code, d.donation_id, n.reference
       FROM device d JOIN donation n ON n.id = d.donation_id
      WHERE d.donor_organization_id = $1 AND d.serial_key = ANY($2)`,
    [donorOrganizationId, serialKeys],
  );
  return new Map(rows.map((r) => [r.serial_key, { serialNumber: r.serial_number, code: r.code, donationId: r.donation_id, donationReference: r.reference }]));
}

/** The serials (as typed) the donor already registered among these keys, sorted: those of a DuplicateSerialsError. */
async function existingSerials(m: EntityManager, donorOrganizationId: string, serialKeys: string[]): Promise<string[]> {
  return [...(await registeredSerials(m, donorOrganizationId, serialKeys)).values()].map((r) => r.serialNumber).sort();
}

/**
 * Registers devices (the `register` action) in bulk: one multi-row insert per table through
 * `unnest`, so 1,000 devices cost a handful of statements and a constant number of parameters.
 * Used by the API (`POST /donations/{id}/devices`) and the CSV import alike. The caller owns
 * the transaction, so a batch is all or nothing.
 */
@Injectable()
export class DeviceRegistry {
  async register(
    m: EntityManager,
    target: RegistrationTarget,
    inputs: (DeviceInput & { flags?: string[] })[],
    actor: { userId: string | null; organizationId: string; apiKeyId?: string | null },
  ): Promise<RegisteredDevice[]> {
    // Callers check first (with their own wording); this is the guard that keeps any value the
    // columns would refuse (a raw SQL error) or a placeholder serial from reaching the database.
    const now = new Date();
    const problems = inputs.flatMap((d, i) => deviceInputProblems(d, now).map((x) => ({ field: `devices[${i}].${x.path}`, message: x.message })));
    if (problems.length) throw badRequest(`Appareil(s) invalide(s) : rien n'a été créé.`, problems);
    // Legal flags are computed in one place (the domain); an import passes those of its own day.
    inputs = inputs.map((d) => ({ ...d, flags: d.flags ?? deviceFlags(d, now) }));
    const existing = await existingSerials(m, target.donorOrganizationId, inputs.map((d) => normalizeSerial(d.serialNumber)));
    if (existing.length) throw new DuplicateSerialsError(existing);
    for (let attempt = 1; ; attempt++) {
      try {
        // A savepoint lets a (very rare) code collision retry without losing the caller's transaction.
        await m.query('SAVEPOINT register_devices');
        const result = await this.insert(m, target, inputs, actor);
        await m.query('RELEASE SAVEPOINT register_devices');
        return result;
      } catch (error) {
        await m.query('ROLLBACK TO SAVEPOINT register_devices');
        if (pgCode(error) === PG_UNIQUE_VIOLATION && pgConstraint(error) === 'device_code_key' && attempt < MAX_CODE_ATTEMPTS) continue;
        if (pgCode(error) === PG_UNIQUE_VIOLATION && pgConstraint(error) === 'device_donor_serial_key') {
          throw new DuplicateSerialsError(await existingSerials(m, target.donorOrganizationId, inputs.map((d) => normalizeSerial(d.serialNumber))));
        }
        throw error;
      }
    }
  }

  private async insert(
    m: EntityManager,
    target: RegistrationTarget,
    inputs: (DeviceInput & { flags?: string[] })[],
    actor: { userId: string | null; organizationId: string; apiKeyId?: string | null },
  ): Promise<RegisteredDevice[]> {
    const now = new Date();
    const devices = inputs.map((input) => ({ id: uuidv7(), code: generatePublicCode(), input }));
    const events = devices.map((d) => this.registerEvent(d.id, d.input, actor, target, now));
    const col = <T>(f: (d: (typeof devices)[number], i: number) => T) => devices.map(f);
    await m.query(
      `INSERT INTO device (id, code, donation_id, donor_organization_id, territory_id, type, brand, model, serial_number, serial_key,
                           inventory_number, acquisition_date, estimated_value_cents, weight_kg, status, custodian_organization_id,
                           flags, event_seq, event_hash, created_at, updated_at)
       SELECT id, code, $3, $4, $5, type, brand, model, serial, serial_key, inv, acq, val, kg, 'REGISTERED', $4,
              string_to_array(flags, ','), 1, hash, $6, $6
         FROM unnest($1::uuid[], $2::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::date[],
                     $14::int[], $15::numeric[], $16::text[], $17::text[])
           AS t(id, code, type, brand, model, serial, serial_key, inv, acq, val, kg, flags, hash)`,
      [
        col((d) => d.id),
        col((d) => d.code),
        target.donationId,
        target.donorOrganizationId,
        target.territoryId,
        now,
        col((d) => d.input.type),
        col((d) => d.input.brand.trim()),
        col((d) => d.input.model.trim()),
        col((d) => d.input.serialNumber.trim()),
        col((d) => normalizeSerial(d.input.serialNumber)),
        col((d) => d.input.inventoryNumber?.trim() || null),
        col((d) => d.input.acquisitionDate ?? null),
        col((d) => d.input.estimatedValueCents ?? null),
        col((d) => d.input.weightKg ?? null),
        col((d) => (d.input.flags ?? []).join(',')),
        col((_, i) => events[i].hash),
      ],
    );
    const media = devices.flatMap((d) => (d.input.media ?? []).map((medium) => ({ deviceId: d.id, medium })));
    if (media.length) {
      await m.query(
        `INSERT INTO device_medium (id, device_id, kind, serial_number, serial_key, model, capacity_gb, source)
         SELECT id, device_id, kind, serial, serial_key, model, cap, 'DONOR'
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[]) AS t(id, device_id, kind, serial, serial_key, model, cap)`,
        [
          media.map(() => uuidv7()),
          media.map((x) => x.deviceId),
          media.map((x) => x.medium.kind),
          media.map((x) => x.medium.serialNumber.trim()),
          media.map((x) => normalizeSerial(x.medium.serialNumber)),
          media.map((x) => x.medium.model ?? null),
          media.map((x) => x.medium.capacityGb ?? null),
        ],
      );
    }
    await m.query(
      `INSERT INTO device_event (device_id, seq, action, from_status, to_status, actor_user_id, organization_id, at, payload, prev_hash, hash)
       SELECT device_id, 1, 'register', NULL, 'REGISTERED', $2, $3, $4, payload, prev_hash, hash
         FROM unnest($1::uuid[], $5::jsonb[], $6::text[], $7::text[]) AS t(device_id, payload, prev_hash, hash)`,
      [events.map((e) => e.deviceId), actor.userId, actor.organizationId, now, events.map((e) => JSON.stringify(e.payload)), events.map((e) => e.prevHash), events.map((e) => e.hash)],
    );
    return devices.map((d) => ({ id: d.id, code: d.code, status: 'REGISTERED' as const, serialNumber: d.input.serialNumber.trim(), flags: d.input.flags ?? [] }));
  }

  private registerEvent(
    deviceId: string,
    input: DeviceInput & { flags?: string[] },
    actor: { userId: string | null; organizationId: string; apiKeyId?: string | null },
    target: RegistrationTarget,
    at: Date,
  ) {
    const payload: Record<string, unknown> = {
      donationId: target.donationId,
      type: input.type,
      brand: input.brand.trim(),
      model: input.model.trim(),
      serialNumber: input.serialNumber.trim(),
      ...(input.inventoryNumber ? { inventoryNumber: input.inventoryNumber.trim() } : {}),
      ...(input.acquisitionDate ? { acquisitionDate: input.acquisitionDate } : {}),
      ...(input.estimatedValueCents !== undefined ? { estimatedValueCents: input.estimatedValueCents } : {}),
      ...(input.media?.length ? { media: input.media.map((x) => ({ kind: x.kind, serialNumber: x.serialNumber.trim() })) } : {}),
      ...(input.flags?.length ? { flags: input.flags } : {}),
      ...(actor.apiKeyId ? { apiKeyId: actor.apiKeyId } : {}),
    };
    return firstEvent(deviceId, { action: 'register', fromStatus: null, toStatus: 'REGISTERED', actorUserId: actor.userId, organizationId: actor.organizationId, payload }, at);
  }
}
