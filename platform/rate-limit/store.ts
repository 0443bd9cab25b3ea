import cluster from 'node:cluster';
import {
  type RateLimiterAbstract,
  RateLimiterCluster,
  RateLimiterClusterMaster,
  RateLimiterMemory,
  RateLimiterRedis,
} from 'rate-limiter-flexible';
import type { Logger } from '../logger.ts';
import { createRedisClient } from '../redis.ts';

/** How long a starting service waits for its limiter store before serving with its failure policy. */
export const STARTUP_WAIT_MS = 2_000;

export interface LimiterOptions {
  /** Namespaces the keys of one limiter; limiters with different points or windows need their own. */
  keyPrefix: string;
  points: number;
  durationSec: number;
}

export interface LimiterStore {
  /**
   * `redis`: shared by every process using the same Redis (atomic: a Lua script per consume).
   * `cluster`: this process is a cluster worker; counts live in the primary, shared by its workers.
   * `memory`: this process only.
   */
  readonly kind: 'redis' | 'cluster' | 'memory';
  limiter(options: LimiterOptions): RateLimiterAbstract;
  /**
   * Resolves true once the store can answer, or false after `timeoutMs` (a service starting while
   * Redis is down goes on, with its failure policy, and the client keeps reconnecting).
   */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface LimiterStoreOptions {
  redisUrl?: string | undefined;
  /** A store call slower than this fails (Redis command timeout, cluster IPC timeout). */
  timeoutMs: number;
  log: Logger;
  /** Names the Redis connection in logs and in `CLIENT LIST`. */
  name: string;
}

/**
 * Where rate-limiter-flexible keeps its counters. With a Redis URL, every limiter shares one
 * ioredis client built by createRedisClient: commands fail at once while Redis is down (no offline
 * queue, and `rejectIfRedisNotReady`), fail after `timeoutMs` when it hangs, and the client
 * reconnects in the background. The caller decides what a failure means (failure-policy.ts).
 */
export function createLimiterStore(options: LimiterStoreOptions): LimiterStore {
  const cache = new Map<string, RateLimiterAbstract>();
  const memoize = (build: (o: LimiterOptions) => RateLimiterAbstract) => (o: LimiterOptions) => {
    const id = `${o.keyPrefix}|${o.points}|${o.durationSec}`;
    let limiter = cache.get(id);
    if (!limiter) {
      limiter = build(o);
      cache.set(id, limiter);
    }
    return limiter;
  };

  if (options.redisUrl) {
    const client = createRedisClient({
      url: options.redisUrl,
      commandTimeoutMs: options.timeoutMs,
      log: options.log,
      name: options.name,
    });
    return {
      kind: 'redis',
      limiter: memoize(
        (o) =>
          new RateLimiterRedis({
            storeClient: client,
            keyPrefix: o.keyPrefix,
            points: o.points,
            duration: o.durationSec,
            rejectIfRedisNotReady: true,
          }),
      ),
      ready(timeoutMs) {
        if (client.status === 'ready') return Promise.resolve(true);
        return new Promise((resolve) => {
          const timer = setTimeout(() => {
            client.off('ready', onReady);
            resolve(false);
          }, timeoutMs);
          const onReady = () => {
            clearTimeout(timer);
            resolve(true);
          };
          client.once('ready', onReady);
        });
      },
      async close() {
        client.disconnect();
      },
    };
  }
  if (cluster.isWorker) {
    // The primary holds the counters (RateLimiterClusterMaster, started by the cluster launcher);
    // each worker asks it over IPC, so N workers on one host share one budget without Redis.
    return {
      kind: 'cluster',
      limiter: memoize(
        (o) =>
          new RateLimiterCluster({
            keyPrefix: o.keyPrefix,
            points: o.points,
            duration: o.durationSec,
            timeoutMs: options.timeoutMs,
          }),
      ),
      ready: async () => true,
      async close() {},
    };
  }
  return {
    kind: 'memory',
    limiter: memoize(
      (o) => new RateLimiterMemory({ keyPrefix: o.keyPrefix, points: o.points, duration: o.durationSec }),
    ),
    ready: async () => true,
    async close() {},
  };
}

/**
 * In the primary of cluster mode without Redis: holds the counters the workers' `cluster` stores
 * ask for over IPC, so the workers of one host share their limits.
 */
export function serveClusterLimiters(): void {
  new RateLimiterClusterMaster();
}
