import { createHash } from 'node:crypto';
import { canonicalJson, ChainedEventFields, eventHash, GENESIS_HASH, StoredChainedEvent, verifyChain } from './event-chain';

describe('canonicalJson', () => {
  it('sorts keys at every depth, inside arrays too', () => {
    const value = { b: 1, a: { d: [{ z: 1, y: { q: 2, p: 1 } }], c: null }, aa: 'x' };
    expect(canonicalJson(value)).toBe('{"a":{"c":null,"d":[{"y":{"p":1,"q":2},"z":1}]},"aa":"x","b":1}');
  });

  it('gives the same text whatever the insertion order', () => {
    const one = { action: 'wipe', payload: { noStorage: true, reason: 'r', nested: { b: 2, a: 1 } }, seq: 3 };
    const two = { seq: 3, payload: { nested: { a: 1, b: 2 }, reason: 'r', noStorage: true }, action: 'wipe' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('ignores undefined properties at every depth', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined, e: 2 } })).toBe('{"a":1,"c":{"e":2}}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('keeps array order; undefined in an array becomes null, as in JSON', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson([1, undefined, 2])).toBe('[1,null,2]');
  });

  it('is valid JSON that parses back to the same value', () => {
    const value = { s: 'guillemets « » "quotes" \\ \n é 😀', n: -1.5, t: true, f: false, z: null, arr: [], obj: {} };
    const text = canonicalJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toBe(JSON.stringify(JSON.parse(text), Object.keys(value).sort()));
  });

  it('scalars', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson(42)).toBe('42');
  });

  it('hashes a Date the way it is stored and read back (ISO string), not as {}', () => {
    // A payload built in memory may hold a Date; read back from a JSON column it is a string.
    const at = new Date('2025-03-02T10:00:00.000Z');
    expect(canonicalJson({ expiresAt: at })).toBe(canonicalJson({ expiresAt: '2025-03-02T10:00:00.000Z' }));
    expect(canonicalJson({ expiresAt: at })).not.toBe(canonicalJson({ expiresAt: new Date('2026-01-01T00:00:00.000Z') }));
  });
});

/* ------------------------------------------------------------------------------------------ */

const DEVICE = 'dev-1';

function chainOf(n: number, deviceId = DEVICE): StoredChainedEvent[] {
  const actions = ['collect', 'wipe', 'start_refurbish', 'refurbish', 'publish', 'reserve', 'distribute'];
  const statuses = ['REGISTERED', 'COLLECTED', 'WIPED', 'REFURBISHING', 'REFURBISHED', 'AVAILABLE', 'RESERVED', 'DISTRIBUTED'];
  const events: StoredChainedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const fields: ChainedEventFields = {
      deviceId,
      seq: i + 1,
      action: actions[i % actions.length],
      fromStatus: statuses[i % actions.length],
      toStatus: statuses[(i % actions.length) + 1],
      actorUserId: `user-${i % 3}`,
      organizationId: 'W1',
      at: new Date(Date.UTC(2025, 2, 1, 9, i)).toISOString(),
      payload: { step: i, note: `étape ${i}`, nested: { b: i, a: [i, i + 1] } },
    };
    const hash = eventHash(prev, fields);
    events.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

/** What the database stores: a deep copy (so tests can tamper with it). */
const copy = (events: StoredChainedEvent[]): StoredChainedEvent[] => JSON.parse(JSON.stringify(events));
const headOf = (events: StoredChainedEvent[]) => ({ seq: events.length, hash: events.length ? events[events.length - 1].hash : null });

/** Recompute an event's own hash after tampering, as a forger would. */
function rehash(e: StoredChainedEvent): void {
  const { prevHash, hash: _hash, ...fields } = e;
  e.hash = eventHash(prevHash, fields);
}

describe('eventHash', () => {
  it('is sha256(prevHash + canonicalJson(fields)), 64 hex characters', () => {
    const [e] = chainOf(1);
    const { prevHash, hash, ...fields } = e;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash('sha256').update(prevHash + canonicalJson(fields)).digest('hex'));
  });

  it('does not depend on key order and changes with the previous hash', () => {
    const [e] = chainOf(1);
    const { prevHash, hash, ...fields } = e;
    const reordered = Object.fromEntries(Object.entries(fields).reverse()) as unknown as ChainedEventFields;
    expect(eventHash(prevHash, reordered)).toBe(hash);
    expect(eventHash('f'.repeat(64), fields)).not.toBe(hash);
  });

  it('the first event links to the genesis hash', () => {
    expect(chainOf(1)[0].prevHash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });
});

describe('verifyChain', () => {
  const N = 7;

  it('accepts an intact chain, with or without its head', () => {
    const events = copy(chainOf(N));
    expect(verifyChain(events)).toEqual({ valid: true, length: N });
    expect(verifyChain(events, headOf(events))).toEqual({ valid: true, length: N });
  });

  it('accepts an empty chain (head seq 0, hash null)', () => {
    expect(verifyChain([])).toEqual({ valid: true, length: 0 });
    expect(verifyChain([], { seq: 0, hash: null })).toEqual({ valid: true, length: 0 });
  });

  it('accepts a chain read back from JSON with keys in another order', () => {
    const events = copy(chainOf(N)).map((e) => Object.fromEntries(Object.entries(e).reverse()) as unknown as StoredChainedEvent);
    expect(verifyChain(events, headOf(events))).toEqual({ valid: true, length: N });
  });

  it.each([1, 4, N])('detects an edited payload (event %i)', (seq) => {
    const events = copy(chainOf(N));
    (events[seq - 1].payload as { note: string }).note = 'falsifié';
    expect(verifyChain(events)).toEqual({ valid: false, length: N, brokenAt: seq });
  });

  it.each([
    ['toStatus', (e: StoredChainedEvent) => (e.toStatus = 'AVAILABLE')],
    ['actorUserId', (e: StoredChainedEvent) => (e.actorUserId = 'someone-else')],
    ['organizationId', (e: StoredChainedEvent) => (e.organizationId = 'W2')],
    ['at', (e: StoredChainedEvent) => (e.at = '2024-01-01T00:00:00.000Z')],
    ['deviceId', (e: StoredChainedEvent) => (e.deviceId = 'dev-2')],
    ['a nested payload value', (e: StoredChainedEvent) => ((e.payload as { nested: { a: number[] } }).nested.a[1] = 99)],
    ['an added payload key', (e: StoredChainedEvent) => ((e.payload as Record<string, unknown>).extra = true)],
    ['prevHash', (e: StoredChainedEvent) => (e.prevHash = 'a'.repeat(64))],
    ['hash', (e: StoredChainedEvent) => (e.hash = 'b'.repeat(64))],
  ])('detects an edited %s', (_, tamper) => {
    const events = copy(chainOf(N));
    tamper(events[2]);
    expect(verifyChain(events)).toEqual({ valid: false, length: N, brokenAt: 3 });
  });

  it('detects an edited payload even if the forger recomputes that event hash (the next link breaks)', () => {
    const events = copy(chainOf(N));
    (events[2].payload as { note: string }).note = 'falsifié';
    rehash(events[2]);
    expect(verifyChain(events)).toEqual({ valid: false, length: N, brokenAt: 4 });
  });

  it('detects a rehashed edit of the last event only with the head', () => {
    const events = copy(chainOf(N));
    (events[N - 1].payload as { note: string }).note = 'falsifié';
    const head = headOf(chainOf(N));
    rehash(events[N - 1]);
    expect(verifyChain(events)).toEqual({ valid: true, length: N }); // the limit of a chain without an anchor
    expect(verifyChain(events, head)).toMatchObject({ valid: false, length: N });
  });

  it.each([2, 4, N - 1])('detects a deleted middle event (seq %i)', (seq) => {
    const events = copy(chainOf(N));
    events.splice(seq - 1, 1);
    expect(verifyChain(events)).toEqual({ valid: false, length: N - 1, brokenAt: seq + 1 });
  });

  it('detects a deleted middle event even if later seqs are renumbered', () => {
    const events = copy(chainOf(N));
    events.splice(2, 1);
    events.forEach((e, i) => (e.seq = i + 1));
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAt: 3 });
  });

  it('detects a deleted first event', () => {
    const events = copy(chainOf(N)).slice(1);
    expect(verifyChain(events)).toEqual({ valid: false, length: N - 1, brokenAt: 2 });
  });

  it.each([
    [1, 2],
    [3, 4],
    [2, 6],
  ])('detects two swapped events (%i and %i)', (a, b) => {
    const events = copy(chainOf(N));
    [events[a - 1], events[b - 1]] = [events[b - 1], events[a - 1]];
    expect(verifyChain(events)).toEqual({ valid: false, length: N, brokenAt: b });
  });

  it('detects two swapped events even with their seqs swapped back', () => {
    const events = copy(chainOf(N));
    [events[2], events[3]] = [events[3], events[2]];
    events[2].seq = 3;
    events[3].seq = 4;
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAt: 3 });
  });

  it('detects a deleted last event with the head argument', () => {
    const full = chainOf(N);
    const events = copy(full).slice(0, N - 1);
    expect(verifyChain(events)).toEqual({ valid: true, length: N - 1 }); // undetectable without the head
    expect(verifyChain(events, headOf(full))).toEqual({ valid: false, length: N - 1, brokenAt: N });
  });

  it('detects every event deleted, with the head', () => {
    expect(verifyChain([], headOf(chainOf(N)))).toEqual({ valid: false, length: 0, brokenAt: 1 });
  });

  it('detects a head whose hash does not match the last event', () => {
    const events = copy(chainOf(N));
    expect(verifyChain(events, { seq: N, hash: 'c'.repeat(64) })).toMatchObject({ valid: false, length: N });
    expect(verifyChain(events, { seq: N, hash: null })).toMatchObject({ valid: false, length: N });
  });

  it('detects a head that lags behind the stored events', () => {
    const events = copy(chainOf(N));
    expect(verifyChain(events, headOf(events.slice(0, N - 2)))).toMatchObject({ valid: false, length: N });
  });

  it("detects another device's event spliced in", () => {
    const events = copy(chainOf(N));
    const foreign = chainOf(N, 'dev-2');
    events[3] = { ...foreign[3] };
    expect(verifyChain(events)).toEqual({ valid: false, length: N, brokenAt: 4 });
  });
});
