import { randomBytes } from 'node:crypto';

/**
 * UUID version 7 (RFC 9562): time-ordered, so primary keys stay index-friendly and ids sort by
 * creation. Written here because the `uuid` package is ESM-only and our Jest runs CommonJS.
 */
let lastMs = 0;
let sequence = 0;

export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes(16);
  // Monotonic within a process: ids made in the same millisecond keep their creation order
  // (RFC 9562 method 1, a 12-bit counter in rand_a), so id order is registration order.
  if (now <= lastMs) {
    now = lastMs;
    sequence++;
    if (sequence > 0xfff) {
      now = ++lastMs;
      sequence = 0;
    }
  } else {
    lastMs = now;
    sequence = 0;
  }
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
