import { ChainedEventFields, eventHash, GENESIS_HASH, LIFECYCLE, StoredChainedEvent, TRANSITION_ACTIONS, verifyChain } from '@renum/domain';
import type { Statement } from '@renum/db';
import { EntityManager } from 'typeorm';
import { eventConcerns, EventViewer, presentPayload } from './device.presenter';

export interface NewEvent {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  actorUserId: string | null;
  organizationId: string | null;
  payload: Record<string, unknown>;
}

export interface EventHead {
  id: string;
  event_seq: number;
  event_hash: string | null;
}

/**
 * The next event of a device's chain and the INSERT that stores it. The caller holds the device
 * row lock and bumps the head (`event_seq`, `event_hash`) in the same transaction.
 */
export function nextEvent(head: EventHead, event: NewEvent, at = new Date()): { event: StoredChainedEvent; insert: Statement } {
  const fields: ChainedEventFields = { deviceId: head.id, seq: head.event_seq + 1, ...event, at: at.toISOString() };
  const prevHash = head.event_hash ?? GENESIS_HASH;
  const hash = eventHash(prevHash, fields);
  return {
    event: { ...fields, prevHash, hash },
    insert: {
      sql: `INSERT INTO device_event (device_id, seq, action, from_status, to_status, actor_user_id, organization_id, at, payload, prev_hash, hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      params: [head.id, fields.seq, event.action, event.fromStatus, event.toStatus, event.actorUserId, event.organizationId, at, JSON.stringify(event.payload), prevHash, hash],
    },
  };
}

/** Appends one event to a device's chain (see `nextEvent`). */
export async function appendEvent(m: EntityManager, head: EventHead, event: NewEvent, at = new Date()): Promise<StoredChainedEvent> {
  const next = nextEvent(head, event, at);
  await m.query(next.insert.sql, next.insert.params);
  return next.event;
}

/**
 * Appends an event that leaves the status as it is (evidence: an erasure recorded or voided, a
 * medium declared absent) and moves the device's head and version to it. The caller holds the
 * device row lock.
 */
export async function appendStatusEvent(m: EntityManager, head: EventHead, event: NewEvent, at = new Date()): Promise<StoredChainedEvent> {
  const appended = await appendEvent(m, head, event, at);
  await m.query('UPDATE device SET event_seq = $2, event_hash = $3, version = version + 1, updated_at = now() WHERE id = $1', [head.id, appended.seq, appended.hash]);
  return appended;
}

/** Builds the rows of many first events at once (bulk registration), chained from genesis. */
export function firstEvent(deviceId: string, event: NewEvent, at: Date): StoredChainedEvent {
  const fields: ChainedEventFields = { deviceId, seq: 1, ...event, at: at.toISOString() };
  return { ...fields, prevHash: GENESIS_HASH, hash: eventHash(GENESIS_HASH, fields) };
}

interface EventRow {
  device_id: string;
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_user_id: string | null;
  organization_id: string | null;
  at: Date;
  payload: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export function toStoredEvent(r: EventRow): StoredChainedEvent {
  return {
    deviceId: r.device_id,
    seq: r.seq,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    actorUserId: r.actor_user_id,
    organizationId: r.organization_id,
    at: new Date(r.at).toISOString(),
    payload: r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * What charities do for the people they refer (the actions the lifecycle table gives them):
 * another charity reads that it happened, not who did it, for whom or at what price.
 */
const CHARITY_ACTIONS: readonly string[] = TRANSITION_ACTIONS.filter((a) => LIFECYCLE[a].actors.some((r) => r.kind === 'CHARITY'));

/**
 * API.md `Event`, as `viewer` may read it. Payload fields it may not read are omitted; who did
 * another charity's reserve, release or hand-over is null for a charity (not disclosed, as for
 * the system's own events: the fields are required by API.md).
 */
export function presentEvent(e: StoredChainedEvent, viewer: EventViewer, concernedToo: readonly string[] = []) {
  const { deviceId: _deviceId, ...rest } = e;
  if (viewer.organizationKind === 'CHARITY' && CHARITY_ACTIONS.includes(e.action) && !eventConcerns(e.organizationId, e.payload as Record<string, unknown>, viewer, concernedToo)) {
    return { ...rest, actorUserId: null, organizationId: null, payload: {} };
  }
  return { ...rest, payload: presentPayload(e.action, e.organizationId, e.payload as Record<string, unknown>, viewer, concernedToo) };
}

/**
 * For each `return` among `events`, the organisation the device came back from: its custodian
 * before the return (the charity that handed it over), named by the latest earlier event that
 * moved custody (`custodianOrganizationId`). The return event does not name it, and that event
 * may sit on an earlier page of the history. One query, only for pages that hold a return.
 */
export async function returnedFrom(m: EntityManager, deviceId: string, events: readonly StoredChainedEvent[]): Promise<Map<number, string[]>> {
  const seqs = events.filter((e) => e.action === 'return').map((e) => e.seq);
  if (seqs.length === 0) return new Map();
  const rows: { seq: number; organization_id: string | null }[] = await m.query(
    `SELECT r.seq,
            (SELECT e.payload->>'custodianOrganizationId' FROM device_event e
              WHERE e.device_id = $1 AND e.seq < r.seq AND e.payload ? 'custodianOrganizationId'
              ORDER BY e.seq DESC LIMIT 1) AS organization_id
       FROM unnest($2::int[]) AS r(seq)`,
    [deviceId, seqs],
  );
  return new Map(rows.filter((r) => r.organization_id).map((r) => [r.seq, [r.organization_id!]]));
}

/** Reads events in physical order of `seq` as stored, so a reordering is visible. */
export async function loadEvents(m: EntityManager, deviceId: string): Promise<StoredChainedEvent[]> {
  const rows: EventRow[] = await m.query('SELECT * FROM device_event WHERE device_id = $1 ORDER BY seq', [deviceId]);
  return rows.map(toStoredEvent);
}

/** One page of a device's events, by `seq` from `afterSeq` (exclusive), plus whether more follow. */
export async function loadEventPage(m: EntityManager, deviceId: string, afterSeq: number, limit: number): Promise<{ events: StoredChainedEvent[]; more: boolean }> {
  const rows: EventRow[] = await m.query('SELECT * FROM device_event WHERE device_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [deviceId, afterSeq, limit + 1]);
  return { events: rows.slice(0, limit).map(toStoredEvent), more: rows.length > limit };
}

export async function verifyDeviceChain(m: EntityManager, deviceId: string) {
  const [head] = await m.query('SELECT event_seq, event_hash FROM device WHERE id = $1', [deviceId]);
  const events = await loadEvents(m, deviceId);
  return verifyChain(events, { seq: head.event_seq, hash: head.event_hash });
}
