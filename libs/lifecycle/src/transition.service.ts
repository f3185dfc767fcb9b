import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  ACTING_FOR,
  actingOrganization,
  canonicalJson,
  decideTransition,
  DeviceStatus,
  GuardFacts,
  LEGAL_PRICE_CAPS_CENTS,
  Refusal,
  SYSTEM_ACTOR,
  TransitionAction,
  TransitionPayload,
} from '@renum/domain';
import { Closing, Statement, together, transactionOpenedWith } from '@renum/db';
import { JobCatalogue, outboxInsert, OutboxEntry } from '@renum/jobs';
import { notFound, PROBLEM_BASE, uuidv7 } from '@renum/platform';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { visibilitySql } from './device-access';
import { DeviceRow, EventViewer, presentDevice, RefusalFacts, refusalFor } from './device.presenter';
import { nextEvent, presentEvent } from './event-log';
import { deviceFactsFrom, deviceFactsOf, deviceFactsQuery, DeviceFactsRow, LoadedDeviceFacts } from './device-queries';

export type TransitionJob = JobCatalogue['device.transition'];

/** What a request asks, hashed: a key reused with another action or payload shows as another fingerprint. */
export function requestFingerprint(action: string, payload: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson({ action, payload })).digest('hex');
}

/** What the API answers, stored with the idempotency key so every retry gets the same. */
export interface TransitionOutcome {
  statusCode: number;
  body: Record<string, unknown>;
}

/**
 * A hand-over's eligibility category outside the territory's list: an invalid payload (400,
 * API.md: « a code of the territory's list ») naming the codes to choose from. The api answers it
 * before enqueueing (free text reaches neither Redis nor the database), the worker again under
 * the device lock (the list may have changed meanwhile).
 */
export function eligibilityRefusal(eligibility: string, codes: string[]): RefusalFacts | undefined {
  if (codes.includes(eligibility)) return undefined;
  const detail = `« ${eligibility} » n'est pas une catégorie d'éligibilité du territoire : indiquez l'un de ces codes : ${codes.join(', ')}.`;
  return { code: 'validation-error', status: 400, title: 'Requête invalide', detail, errors: [{ field: 'beneficiary.eligibility', message: detail }] };
}

/**
 * A transition's problem with its RFC 9457 `instance`, as the api's other problems carry one: the
 * device's transitions path by its id, whatever the request named (id or public code), so every
 * replay of an Idempotency-Key, and the job's result, answer the same body. Added by the api when
 * answering, not stored: answers stored before it get it too.
 */
export function withInstance(outcome: TransitionOutcome, deviceId: string): TransitionOutcome {
  if (outcome.statusCode < 400 || outcome.body.instance !== undefined) return outcome;
  return { statusCode: outcome.statusCode, body: { ...outcome.body, instance: `/api/v1/devices/${deviceId}/transitions` } };
}

/**
 * The worker's answer to a transition job: the outcome and the fingerprint of the request it
 * answers. A key reused for another request shows as another fingerprint, so the api needs no
 * read of its own to answer 422.
 */
export interface TransitionAnswer extends TransitionOutcome {
  fingerprint: string;
  /** Not stored under the key (the caller may not see the device): a retry is decided afresh. */
  ephemeral?: true;
}

interface DeviceLockRow {
  id: string;
  type: string;
  status: DeviceStatus;
  territory_id: string;
  custodian_organization_id: string;
  reserved_by_organization_id: string | null;
  last_workshop_id: string | null;
  custody_in_at: Date | null;
  no_storage_declared_at: Date | null;
  version: number;
  event_seq: number;
  event_hash: string | null;
  /** The territory's cap for this type of device, if it set one (read once the lock is held). */
  price_cap_cents: number | null;
  /** Whether the caller's organisation may see the device (DOMAIN.md visibility), read once the lock is held. */
  visible: boolean;
}

/** Changes to the device row and rows of other tables that an action implies. */
interface Effects {
  set: Record<string, unknown>;
  eventPayload: Record<string, unknown>;
  parties: string[];
  outbox: OutboxEntry[];
}

class Refused extends Error {
  constructor(readonly refusal: Refusal | RefusalFacts) {
    super(refusal.detail);
  }
}

/**
 * The single path of every lifecycle change (worker side): in one transaction, lock the device,
 * return the stored answer if this key was already applied, ask the domain, compare-and-set,
 * append the event, write outbox rows and the idempotency record.
 */
@Injectable()
export class TransitionService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async apply(job: TransitionJob): Promise<TransitionAnswer> {
    // The api sends a device named by its id without looking it up: visibility is decided here,
    // on the locked row, which saves the api a database round trip on every transition.
    const viewer =
      job.actor === 'system' ? undefined : visibilitySql({ organizationKind: job.actor.kind, organizationId: job.actor.organizationId, territoryId: job.actor.territoryId }, 2);
    return transactionOpenedWith(
      this.db,
      [
        { sql: `SELECT d.* FROM device d WHERE d.id = $1 FOR UPDATE OF d`, params: [job.deviceId] },
        // Own statements, so they read after the lock is granted: they see what a twin job, or the
        // transition that made the caller a party, committed meanwhile (a statement that waited
        // for the lock still reads other tables on the snapshot it took before the wait).
        deviceFactsQuery(job.deviceId, job.key),
        {
          // The territory's price cap (publish and distribute need it) and whether the caller may see the device.
          sql: `SELECT (SELECT cap_cents FROM price_cap pc WHERE pc.territory_id = d.territory_id AND pc.type = d.type) AS price_cap_cents,
                       ${viewer?.sql ?? 'true'} AS visible
                  FROM device d WHERE d.id = $1`,
          params: [job.deviceId, ...(viewer?.params ?? [])],
        },
      ],
      async (m, [[device], [factsRow], [sight]]) => {
        const locked = device && ({ ...device, ...sight } as unknown as DeviceLockRow);
        if (!locked) return unseen(job);
        const facts = deviceFactsFrom(locked, factsRow as unknown as DeviceFactsRow);
        // A key already applied gets its answer even if the device has since left the caller's sight.
        if (facts.stored) return { value: { statusCode: facts.stored.status_code, body: facts.stored.body, fingerprint: facts.stored.fingerprint } };
        if (!locked.visible) return unseen(job);
        try {
          return await this.applyLocked(m, job, locked, facts);
        } catch (error) {
          if (error instanceof Refused) return refused(job, problemOutcome(job.actor === 'system' ? error.refusal : refusalFor(job.actor.kind, error.refusal)));
          throw error;
        }
      },
    );
  }

  private async applyLocked(m: EntityManager, job: TransitionJob, device: DeviceLockRow, loaded: LoadedDeviceFacts): Promise<Closing<TransitionAnswer>> {
    const action = job.action as TransitionAction;
    const payload = job.payload as TransitionPayload;
    const actor: Actor | typeof SYSTEM_ACTOR =
      job.actor === 'system' ? SYSTEM_ACTOR : { organizationId: job.actor.organizationId, kind: job.actor.kind, role: job.actor.role, territoryId: job.actor.territoryId };
    const facts = deviceFactsOf(device, loaded.custody);
    const verdict = decideTransition(action, actor, facts, payload, await this.guardFacts(m, action, device, payload));
    if (!verdict.ok) throw new Refused(verdict.refusal);

    const now = new Date();
    const custodian = verdict.custodianOrganizationId ?? device.custodian_organization_id;
    const effects = await ACTION_EFFECTS[action]({ m, job, device, payload, now, custodian });
    const set: Record<string, unknown> = { ...effects.set, status: verdict.to, custodian_organization_id: custodian };
    if (verdict.custodyIn) Object.assign(set, { custody_in_at: now, last_workshop_id: custodian });

    const eventPayload: Record<string, unknown> = { ...effects.eventPayload };
    if (verdict.overridden) Object.assign(eventPayload, { override: true, reason: payload.reason });
    if (custodian !== device.custodian_organization_id) eventPayload.custodianOrganizationId = custodian;
    if (job.actor !== 'system' && job.actor.apiKeyId) eventPayload.apiKeyId = job.actor.apiKeyId;

    const { event, insert: eventInsert } = nextEvent(
      device,
      {
        action,
        fromStatus: verdict.from,
        toStatus: verdict.to,
        actorUserId: job.actor === 'system' ? null : job.actor.userId,
        organizationId: job.actor === 'system' ? null : job.actor.organizationId,
        payload: eventPayload,
      },
      now,
    );
    Object.assign(set, { version: device.version + 1, event_seq: event.seq, event_hash: event.hash, updated_at: now });
    const columns = Object.keys(set);
    const parties = [...new Set([...effects.parties, ...(custodian !== device.custodian_organization_id ? [custodian] : [])])];
    const outbox = outboxInsert([
      ...effects.outbox,
      // The erasure certificate is produced as soon as the device is wiped (cached per event head).
      ...(verdict.to === 'WIPED' && job.actor !== 'system'
        ? [{ jobName: 'erasure.certificate' as const, payload: { deviceId: device.id, seq: event.seq, requester: job.actor } }]
        : []),
      { jobName: 'device.transitioned', payload: { deviceId: device.id, seq: event.seq, action, fromStatus: verdict.from, toStatus: verdict.to } },
    ]);
    // The answer is for the requester (a system job's answer is read by no one but the coordinator's tools).
    const viewer: EventViewer = job.actor === 'system' ? { organizationKind: 'COORDINATOR', organizationId: '' } : { organizationKind: job.actor.kind, organizationId: job.actor.organizationId };
    // The row as the UPDATE leaves it; no action changes media, so those read under the lock stand.
    const updated = { ...device, ...set } as unknown as DeviceRow;
    const outcome: TransitionOutcome = { statusCode: 200, body: { device: presentDevice(updated, loaded.media, viewer.organizationKind), event: presentEvent(event, viewer) } };

    // Event, compare-and-set of the device, parties, outbox rows and the stored answer: one
    // statement, sent with COMMIT. The compare-and-set cannot lose while the row lock is held;
    // if it ever did, the statement fails and everything rolls back.
    const lastWrite = together(
      [
        eventInsert,
        {
          sql: `UPDATE device SET ${columns.map((c, i) => `${c} = $${i + 3}`).join(', ')} WHERE id = $1 AND version = $2`,
          params: [device.id, device.version, ...columns.map((c) => (c === 'checklist' ? JSON.stringify(set[c]) : set[c]))],
        },
        ...(parties.length ? [{ sql: `INSERT INTO device_party (device_id, organization_id) SELECT $1::uuid, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, params: [device.id, parties] }] : []),
        ...(outbox ? [outbox] : []),
        idempotencyInsert(job, outcome),
      ],
      [1],
    );
    return { value: { ...outcome, fingerprint: job.fingerprint }, lastWrite };
  }

  private async guardFacts(m: EntityManager, action: TransitionAction, device: DeviceLockRow, payload: TransitionPayload): Promise<GuardFacts> {
    if (action === 'publish' || action === 'distribute') {
      return { priceCapCents: device.price_cap_cents ?? LEGAL_PRICE_CAPS_CENTS[device.type as keyof typeof LEGAL_PRICE_CAPS_CENTS] };
    }
    // The organisation the payload names: a recycler, or the workshop a coordinator collects for.
    const acting = ACTING_FOR[action];
    const named = action === 'recycle' ? payload.recyclerOrganizationId : acting ? payload[acting.field] : undefined;
    if (!named) return {};
    const [org] = await m.query('SELECT kind, territory_id FROM organization WHERE id = $1', [named]);
    const facts = org ? { kind: org.kind, territoryId: org.territory_id } : null;
    return action === 'recycle' ? { recycler: facts } : { actingFor: facts };
  }
}

/**
 * Unknown, or invisible to the caller: 404, and not stored, since visibility can change (a
 * device published later is visible to charities) and a retry should then be decided afresh.
 */
function unseen(job: TransitionJob): Closing<TransitionAnswer> {
  // The very problem the api answers for a device it cannot see.
  return { value: { statusCode: 404, body: { ...notFound('Matériel').problem }, fingerprint: job.fingerprint, ephemeral: true } };
}

/** A refusal is an answer too: stored under the key, so a retry gets the same, never re-decided. */
function refused(job: TransitionJob, outcome: TransitionOutcome): Closing<TransitionAnswer> {
  // A refusal of the system's own job is not kept under its key: nothing was applied, and the job
  // decides afresh when it runs again (an expiry waiting for the erasure to be proven again).
  if (job.actor === 'system') return { value: { ...outcome, fingerprint: job.fingerprint } };
  return { value: { ...outcome, fingerprint: job.fingerprint }, lastWrite: idempotencyInsert(job, outcome) };
}

/** The answer stored under the request's key: every retry of the request gets it. */
function idempotencyInsert(job: TransitionJob, outcome: TransitionOutcome): Statement {
  const requester = job.actor === 'system' ? undefined : job.actor;
  return {
    sql: `INSERT INTO idempotency_record (id, device_id, fingerprint, status_code, body, organization_id, user_id, api_key_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
    params: [
      job.key,
      job.deviceId,
      job.fingerprint,
      outcome.statusCode,
      JSON.stringify(outcome.body),
      requester?.organizationId ?? null,
      requester?.userId ?? null,
      requester?.apiKeyId ?? null,
    ],
  };
}

export function problemOutcome(r: RefusalFacts): TransitionOutcome {
  return {
    statusCode: r.status,
    body: {
      type: PROBLEM_BASE + r.code,
      title: r.title,
      status: r.status,
      detail: r.detail,
      ...(r.missingMedia?.length ? { missingMedia: r.missingMedia } : {}),
      ...(r.errors?.length ? { errors: r.errors } : {}),
    },
  };
}

interface EffectContext {
  m: EntityManager;
  job: TransitionJob;
  device: DeviceLockRow;
  payload: TransitionPayload;
  now: Date;
  custodian: string;
}

const none = (eventPayload: Record<string, unknown> = {}): Effects => ({ set: {}, eventPayload, parties: [], outbox: [] });
const DAY_MS = 24 * 3600 * 1000;

/** A `noStorage: true` statement (wipe, recycle) is recorded on the device and in the event. */
const noStorageStated = (payload: TransitionPayload, now: Date, effects: Effects): Effects =>
  payload.noStorage ? { ...effects, eventPayload: { ...effects.eventPayload, noStorage: true }, set: { ...effects.set, no_storage_declared_at: now } } : effects;

/** What each action writes besides status, custody and the event (one table, read top-down). */
const ACTION_EFFECTS: Record<TransitionAction, (c: EffectContext) => Promise<Effects>> = {
  collect: async ({ payload }) => none(payload.notes ? { notes: payload.notes } : {}), // the custodian, if not the actor, is in the event
  wipe: async ({ payload, now }) => noStorageStated(payload, now, none()),
  start_refurbish: async () => none(),
  refurbish: async ({ payload }) => ({
    ...none({ grade: payload.grade, checklist: payload.checklist, os: payload.os, batteryHealthPct: payload.batteryHealthPct }),
    set: { grade: payload.grade, checklist: payload.checklist, os: payload.os ?? null, battery_health_pct: payload.batteryHealthPct ?? null },
  }),
  publish: async ({ payload }) => ({ ...none({ priceCents: payload.priceCents }), set: { price_cents: payload.priceCents } }),
  reserve: async ({ m, job, device, payload, now }) => {
    const requester = job.actor as Exclude<TransitionJob['actor'], 'system'>;
    // The reserving charity: the requester, or the one a coordinator forcing it names.
    const charity = { organizationId: actingOrganization('reserve', requester, payload)!, userId: requester.userId };
    const [territory] = await m.query('SELECT reservation_expiry_days, max_active_reservations FROM territory WHERE id = $1', [device.territory_id]);
    // Serialise reservations of one charity so the limit holds under concurrency.
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`reservations:${charity.organizationId}`]);
    const [{ active }] = await m.query(`SELECT count(*)::int AS active FROM reservation WHERE charity_organization_id = $1 AND status = 'ACTIVE'`, [charity.organizationId]);
    if (active >= territory.max_active_reservations) {
      throw new Refused({
        code: 'reservation-limit',
        status: 409,
        title: 'Trop de réservations en cours',
        detail: `${charity.organizationId === requester.organizationId ? 'Votre organisation' : 'Cette association'} a déjà ${active} réservations actives (maximum ${territory.max_active_reservations}). Remettez ou libérez un matériel d'abord.`,
      });
    }
    const days = (payload.expiresInDays as number | undefined) ?? territory.reservation_expiry_days;
    const expiresAt = new Date(now.getTime() + days * DAY_MS);
    const id = uuidv7();
    await m.query(
      `INSERT INTO reservation (id, device_id, charity_organization_id, territory_id, status, beneficiary_ref_hash, expires_at, created_by_user_id)
       VALUES ($1, $2, $3, $4, 'ACTIVE', $5, $6, $7)`,
      [id, device.id, charity.organizationId, device.territory_id, payload.beneficiaryRefHash ?? null, expiresAt, charity.userId],
    );
    return {
      set: { reserved_by_organization_id: charity.organizationId },
      // A reservation forced by a coordinator names its charity, which reads it as its own (event-log presentEvent).
      eventPayload: { reservationId: id, expiresAt: expiresAt.toISOString(), ...(charity.organizationId !== requester.organizationId ? { charityOrganizationId: charity.organizationId } : {}) },
      parties: [charity.organizationId],
      outbox: [{ jobName: 'reservation.expire', payload: { reservationId: id, deviceId: device.id }, runAt: expiresAt }],
    };
  },
  release: async ({ m, job, device, payload, now }) => {
    const expiry = job.actor === 'system';
    // An expiry releases only the reservation it was scheduled for, never a newer one.
    const [rows]: [{ id: string }[]] = await m.query(
      `UPDATE reservation SET status = $2, closed_at = $3 WHERE device_id = $1 AND status = 'ACTIVE' AND ($4::uuid IS NULL OR id = $4) RETURNING id`,
      [device.id, expiry ? 'EXPIRED' : 'RELEASED', now, expiry ? payload.reservationId : null],
    );
    const reservation = rows[0];
    if (expiry && !reservation) {
      throw new Refused({ code: 'reservation-changed', status: 409, title: 'Réservation déjà close', detail: "La réservation expirée n'est plus active : rien à libérer." });
    }
    // Released by the system or a coordinator: the event names the charity whose reservation it was, so it reads it as its own.
    const forOther = expiry || (job.actor as { organizationId: string }).organizationId !== device.reserved_by_organization_id;
    const charity = forOther && device.reserved_by_organization_id ? { charityOrganizationId: device.reserved_by_organization_id } : {};
    return { ...none({ reason: payload.reason, reservationId: reservation?.id, ...charity, ...(expiry ? { expired: true } : {}) }), set: { reserved_by_organization_id: null } };
  },
  distribute: async ({ m, device, payload, now, custodian }) => {
    const beneficiary = payload.beneficiary as { refHash: string; eligibility: string; postalCode: string };
    const [territory] = await m.query('SELECT eligibility_codes FROM territory WHERE id = $1', [device.territory_id]);
    const outsideList = eligibilityRefusal(beneficiary.eligibility, territory.eligibility_codes);
    if (outsideList) throw new Refused(outsideList);
    const [rows] = await m.query(`UPDATE reservation SET status = 'DISTRIBUTED', closed_at = $2 WHERE device_id = $1 AND status = 'ACTIVE' RETURNING id`, [device.id, now]);
    const id = uuidv7();
    await m.query(
      `INSERT INTO distribution (id, device_id, reservation_id, charity_organization_id, territory_id, price_cents, payment_method,
                                 beneficiary_ref_hash, eligibility, postal_code, distributed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [id, device.id, rows[0]?.id ?? null, custodian, device.territory_id, payload.priceCents, payload.paymentMethod, beneficiary.refHash, beneficiary.eligibility, beneficiary.postalCode, now],
    );
    // The event is immutable, so it never holds the beneficiary reference, not even hashed.
    return {
      ...none({ distributionId: id, priceCents: payload.priceCents, paymentMethod: payload.paymentMethod, eligibility: beneficiary.eligibility, postalCode: beneficiary.postalCode }),
      set: { reserved_by_organization_id: null },
    };
  },
  return: async ({ m, device, payload, now }) => {
    await m.query(
      `UPDATE distribution SET returned_at = $2, return_reason = $3
        WHERE id = (SELECT id FROM distribution WHERE device_id = $1 AND returned_at IS NULL ORDER BY distributed_at DESC LIMIT 1)`,
      [device.id, now, payload.reason],
    );
    // Back in the workshop: must be erased, refurbished and published again before it can leave;
    // its grade, OS and battery are those of its next refurbishment, not of the last one.
    return { ...none({ reason: payload.reason }), set: { price_cents: null, grade: null, os: null, battery_health_pct: null } };
  },
  recycle: async ({ payload, now }) => noStorageStated(payload, now, none({ recyclerOrganizationId: payload.recyclerOrganizationId })),
  dismantle: async () => none(),
};
