/**
 * Every job Renum runs, with its queue and payload type, in one typed table (Immich's habit).
 * Payloads carry ids, never whole entities. Start-up fails if a job has no handler or two.
 */
export const QUEUE_NAMES = ['transitions', 'events', 'documents', 'imports'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Who asked, as the API authenticated them (ids plus the facts the domain rules need). */
export interface Requester {
  userId: string | null;
  apiKeyId: string | null;
  organizationId: string;
  kind: 'DONOR' | 'WORKSHOP' | 'CHARITY' | 'COORDINATOR' | 'RECYCLER';
  role: 'admin' | 'agent' | 'viewer';
  territoryId: string;
}

/** Is `caller` the one who asked (same organisation, same user or same API key)? */
export function isRequester(requester: Pick<Requester, 'organizationId' | 'userId' | 'apiKeyId'>, caller: { organizationId: string; userId: string | null; apiKeyId: string | null }): boolean {
  return requester.organizationId === caller.organizationId && (requester.userId ?? null) === (caller.userId ?? null) && (requester.apiKeyId ?? null) === (caller.apiKeyId ?? null);
}

export interface JobCatalogue {
  /** Apply one lifecycle action to one device (the single path of every state change). */
  'device.transition': {
    deviceId: string;
    action: string;
    payload: Record<string, unknown>;
    actor: Requester | 'system';
    /** Idempotency record id (= the BullMQ job id for API requests). */
    key: string;
    fingerprint: string;
  };
  /** Fires at a reservation's expiry (delayed, through the outbox); releases it exactly once. */
  'reservation.expire': { reservationId: string; deviceId: string };
  /**
   * Safety net of invariant 3 (repeatable job, job scheduler 'reservation-expire-overdue'): enqueues
   * `reservation.expire` for ACTIVE reservations overdue by more than a grace, whose delayed job
   * spent its attempts (a database fault at expiry time) or was lost with Redis's data.
   */
  'reservation.expire-overdue': Record<string, never>;
  /** Notification after a committed transition (webhooks, mails later). */
  'device.transitioned': { deviceId: string; seq: number; action: string; fromStatus: string | null; toStatus: string };
  /** RGPD retention sweep: erases beneficiary reference hashes past the period (repeatable job, job scheduler 'beneficiary-retention'). */
  'beneficiary.retention': Record<string, never>;
  /** Erasure certificate PDF of a device at one head of its event chain (job id 'doc-cert-<deviceId>-<seq>'). */
  'erasure.certificate': { deviceId: string; seq: number; requester: Requester };
  /** A FAILED re-check voided an erasure on a device that already left custody: tell the coordinator. */
  'erasure.incident': { incidentId: string; deviceId: string; erasureId: string; territoryId: string };
  /**
   * Puts every workshop's PASSED logical erasures never drawn (those typed by hand) to the
   * independent re-check draw (repeatable job, job scheduler 'erasure-draw-for-recheck').
   */
  'erasure.draw-for-recheck': Record<string, never>;
  /** A label sheet of more than 200 labels, written under STORAGE_DIR/labels/{jobId}.pdf|.zpl (job id 'doc-…'). */
  'labels.sheet': {
    requester: Requester;
    /** Either the devices, in print order, or a whole donation (what the requester may see of it). */
    deviceIds?: string[];
    donationId?: string;
    template: 'avery-l7163' | 'avery-l7160' | 'brother-62x29' | 'zebra-zpl-50x25';
  };
  /** Deletes label sheet files no job points to any more (repeatable job, job scheduler 'label-sheets-sweep'). */
  'labels.sweep': Record<string, never>;
  /** Registers the rows of an uploaded inventory file (job id 'imp-<importId>'); resumable, chunk by chunk. */
  'inventory.import': { importId: string; donationId: string; requester: Requester };
}

export type JobName = keyof JobCatalogue;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  'device.transition': 'transitions',
  'device.transitioned': 'events',
  'reservation.expire': 'transitions',
  'reservation.expire-overdue': 'events',
  'beneficiary.retention': 'events',
  'erasure.certificate': 'documents',
  'erasure.incident': 'events',
  'erasure.draw-for-recheck': 'events',
  'inventory.import': 'imports',
  'labels.sheet': 'documents',
  'labels.sweep': 'documents',
};

/** How long a finished job stays in Redis for `GET /jobs/{id}` (10,000 per queue at most). */
export const DONE_JOB_KEPT_SECONDS = 24 * 3600;

/**
 * Jobs nobody looks up with `GET /jobs/{id}` leave Redis as soon as they complete (their outbox
 * row is the record); the others are kept DONE_JOB_KEPT_SECONDS.
 */
export const FORGOTTEN_WHEN_DONE: ReadonlySet<JobName> = new Set<JobName>(['device.transitioned']);

/** Job ids are prefixed by their queue, so `/jobs/{id}` knows where to look. BullMQ forbids ':'. */
export const QUEUE_ID_PREFIX: Record<QueueName, string> = {
  transitions: 'tr',
  events: 'ev',
  documents: 'doc',
  imports: 'imp',
};

export function queueOfJobId(jobId: string): QueueName | undefined {
  const prefix = jobId.split('-')[0];
  return QUEUE_NAMES.find((q) => QUEUE_ID_PREFIX[q] === prefix);
}
