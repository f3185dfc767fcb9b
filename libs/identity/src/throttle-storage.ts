import { Logger } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { withTimeout } from '@renum/platform';
import type { Redis } from 'ioredis';

type Hits = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** A request never waits longer than this for a stalled Redis (it answers in a millisecond when well). */
const SHARED_COUNT_TIMEOUT_MS = 500;

/**
 * Request counts of the rate limits (login attempts, public page views) kept in Redis, so that
 * every api instance sees the same count (counted per instance, n instances let n times as many
 * requests through). While Redis is away, each instance counts its own: logging in and reading a
 * public page do not otherwise need Redis, and a slower guard beats none.
 */
export class SharedThrottleStorage implements ThrottlerStorage {
  private readonly logger = new Logger('Throttle');
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();

  /**
   * `redis`: a fail-fast connection (no offline queue), so a request never waits for Redis to come
   * back; a Redis that stalls while connected is given SHARED_COUNT_TIMEOUT_MS.
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.shared = new ThrottlerStorageRedisService(redis);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<Hits> {
    // Just started: wait for the first connection rather than count the first requests apart.
    if (this.redis.status === 'connecting' || this.redis.status === 'connect') await firstReady(this.redis, 1000);
    if (this.redis.status === 'ready') {
      try {
        // The deployment's prefix keeps two deployments (or test runs) sharing a Redis apart; the
        // throttler's name ('login', 'public-page') keeps its counts apart from the others'.
        return await withTimeout(this.shared.increment(`${this.prefix}:${throttlerName}:${key}`, ttl, limit, blockDuration, throttlerName), SHARED_COUNT_TIMEOUT_MS);
      } catch (error) {
        this.logger.warn(`Redis unavailable, ${throttlerName} requests counted by this instance only: ${(error as Error).message}`);
      }
    }
    return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }
}

function firstReady(redis: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => (clearTimeout(timer), redis.off('ready', done), redis.off('error', done), resolve());
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done).once('error', done);
  });
}
