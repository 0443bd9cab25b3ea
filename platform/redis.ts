import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

export interface RedisClientOptions {
  url: string;
  /** Prepended to every key, so stores sharing one Redis (and test runs) stay apart. */
  keyPrefix?: string;
  /** A command that takes longer fails; callers treat that as the store being unavailable. */
  commandTimeoutMs?: number;
  log: Logger;
  /** Names the client in logs (`apq`, `rate-limit` ...). */
  name: string;
}

/** Logs the first error of an outage and then at most one a minute, so an outage cannot flood the log. */
function errorLogger(log: Logger, name: string, url: string) {
  let last = 0;
  let suppressed = 0;
  return (error: Error) => {
    const now = Date.now();
    if (now - last < 60_000) {
      suppressed += 1;
      return;
    }
    log.warn({ err: error, store: name, redis: new URL(url).host, suppressed }, 'redis unavailable');
    last = now;
    suppressed = 0;
  };
}

/**
 * A Redis client for a shared store that must never hold up a request: commands fail at once
 * while disconnected (no offline queue) and after `commandTimeoutMs` when Redis is slow, so the
 * caller falls back instead of waiting. The client reconnects in the background forever, with a
 * capped backoff; errors are logged, never thrown as unhandled events.
 */
export function createRedisClient(options: RedisClientOptions): Redis {
  const client = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    commandTimeout: options.commandTimeoutMs ?? 250,
    connectTimeout: 1_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    connectionName: `portico-${options.name}`,
  });
  client.on('error', errorLogger(options.log, options.name, options.url));
  client.on('ready', () => options.log.info({ store: options.name }, 'redis connected'));
  return client;
}
