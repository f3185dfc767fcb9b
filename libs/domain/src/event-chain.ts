import { createHash } from 'node:crypto';

/** The fields of an event that its hash covers (invariant 4: tamper evidence). */
export interface ChainedEventFields {
  deviceId: string;
  seq: number;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  actorUserId: string | null;
  organizationId: string | null;
  at: string; // ISO 8601 with milliseconds
  payload: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  // Like JSON.stringify, honour toJSON: a Date hashes as the ISO string a JSON column gives back, not as {}.
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function eventHash(prevHash: string, event: ChainedEventFields): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(event)).digest('hex');
}

export interface StoredChainedEvent extends ChainedEventFields {
  prevHash: string;
  hash: string;
}

export type ChainVerdict = { valid: true; length: number } | { valid: false; length: number; brokenAt: number };

/**
 * Walks a device's events in stored order. Detects an edited event (hash mismatch), a deleted
 * or reordered one (seq gap or broken prevHash link) and a deleted tail (head mismatch).
 */
export function verifyChain(
  events: StoredChainedEvent[],
  head?: { seq: number; hash: string | null },
): ChainVerdict {
  let prev = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const { prevHash, hash, ...fields } = e;
    if (e.seq !== i + 1 || prevHash !== prev || eventHash(prevHash, fields) !== hash) {
      return { valid: false, length: events.length, brokenAt: e.seq };
    }
    prev = hash;
  }
  if (head && (head.seq !== events.length || (head.hash ?? GENESIS_HASH) !== (events.length ? prev : GENESIS_HASH))) {
    return { valid: false, length: events.length, brokenAt: Math.min(head.seq, events.length + 1) };
  }
  return { valid: true, length: events.length };
}
