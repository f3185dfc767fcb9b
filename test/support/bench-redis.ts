import IORedis from 'ioredis';

/**
 * Deletes every Redis key under `prefix` (a BullMQ prefix of a test or a benchmark run, and the
 * throttlers' counters), so runs
 * leave nothing behind: a benchmark keeps ~12,000 finished jobs per run otherwise. SCAN, not
 * KEYS, so Redis is never blocked by a large keyspace.
 */
export async function dropRedisPrefix(prefix: string, url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'): Promise<void> {
  const redis = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    // The throttlers' counters are `{prefix:…}:hits` (a Redis Cluster hash tag), the rest `prefix:…`.
    for (const match of [`${prefix}:*`, `{${prefix}:*`]) {
      for await (const keys of redis.scanStream({ match, count: 1000 }) as AsyncIterable<string[]>) {
        if (keys.length) await redis.unlink(...keys);
      }
    }
  } finally {
    redis.disconnect();
  }
}
