import { createHash } from 'node:crypto';

/**
 * The independent re-check draw (R2v3: re-check at least 5 % of logically wiped media).
 *
 * Pure and seeded so a draw can be replayed and audited: the same ids, share and seed always
 * select the same ids. It selects exactly floor(share × n) ids plus one more with probability
 * equal to the fractional part, so the share holds exactly on large draws (1000 × 5 % = 50)
 * and in expectation on small ones (one erasure imported alone still has a 5 % chance).
 */
export function drawForRecheck(ids: readonly string[], share: number, seed: string): string[] {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`share must be within [0, 1], got ${share}`);
  const random = seededRandom(seed);
  const exact = share * ids.length;
  const count = Math.min(ids.length, Math.floor(exact) + (random() < exact - Math.floor(exact) ? 1 : 0));
  // Partial Fisher–Yates over a sorted copy: the outcome does not depend on the input order.
  const pool = [...ids].sort();
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

/** mulberry32 seeded from SHA-256 of the seed: small, fast, well distributed (not cryptographic). */
export function seededRandom(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** RECHECK_SHARE from the environment (default 5 %), refused when not a share. */
export function recheckShareFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 0.05;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`RECHECK_SHARE doit être une proportion entre 0 et 1 (reçu « ${raw} »)`);
  return value;
}
