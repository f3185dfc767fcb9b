import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import IORedis, { Redis, RedisOptions } from 'ioredis';

/**
 * Two kinds of Redis connection, as BullMQ's production guide says: producers fail fast
 * (no offline queue, so a request gets 503 at once when Redis is down) while workers
 * wait and reconnect forever (maxRetriesPerRequest: null).
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly opened: Redis[] = [];

  constructor(private readonly url: string) {}

  producer(): Redis {
    // Never resend a command after a reconnect: a request answered 503 must stay unapplied.
    // Auto-pipelining sends the commands of one tick in one write (the outbox relay adds up to 200 jobs at once).
    return this.open({ enableOfflineQueue: false, maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false, connectTimeout: 2000, enableAutoPipelining: true });
  }

  blocking(): Redis {
    return this.open({ maxRetriesPerRequest: null, enableOfflineQueue: true });
  }

  private open(options: RedisOptions): Redis {
    const connection = new IORedis(this.url, {
      ...options,
      retryStrategy: (times) => Math.min(times * 200, 2000),
      lazyConnect: false,
    });
    let down = false;
    connection.on('error', (err) => {
      if (!down) this.logger.warn(`Redis unreachable: ${err.message}`);
      down = true;
    });
    connection.on('ready', () => (down = false));
    this.opened.push(connection);
    return connection;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.opened.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
