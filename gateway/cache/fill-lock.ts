import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CacheEntry } from './memory-store.ts';

/**
 * One fill per key across replicas: a short lock per key in Redis, taken by the replica that fills
 * and released when the entry is stored (or the fill failed). Only the memory-in-front-of-Redis
 * store has one; in memory alone the process's single flight is all there is.
 */
export interface FillLock {
  /**
   * Takes the lock of `key` for at most `ttlMs`: `{ release }` when taken (call it once the fill
   * is stored or failed), `{ entry }` when the entry turned up meanwhile, 'held' when another
   * replica fills it, 'unavailable' when Redis failed (then the caller fills on its own).
   */
  take(
    key: string,
    ttlMs: number,
  ): Promise<{ release: () => Promise<void> } | { entry: CacheEntry } | 'held' | 'unavailable'>;
  /**
   * Waits until the entry is stored (the entry), the lock is gone without one ('free': the holder
   * failed or its lock ran out), `untilMs` (epoch) passes or Redis fails ('gave-up').
   */
  wait(key: string, untilMs: number): Promise<CacheEntry | 'free' | 'gave-up'>;
}

// Deletes the lock only while it is still ours: one that ran out may be another replica's now.
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Polls start fast (a fill is often a few ms away) and back off to this. */
const MAX_POLL_MS = 100;

export function redisFillLock(options: {
  client: Redis;
  lockKey: (key: string) => string;
  entryKey: (key: string) => string;
  /** The entry from its raw Redis value, kept in the memory tier; undefined when it is not one. */
  accept: (key: string, raw: string) => CacheEntry | undefined;
  failed: (error: unknown) => void;
}): FillLock {
  const { client, lockKey, entryKey, accept, failed } = options;
  return {
    async take(key, ttlMs) {
      const token = randomUUID();
      const release = async () => {
        try {
          await client.eval(RELEASE_SCRIPT, 1, lockKey(key), token);
        } catch (error) {
          // The lock runs out on its own; waiters fill themselves then.
          failed(error);
        }
      };
      let replies: [Error | null, unknown][] | null;
      try {
        // The entry is read again after the lock is set: a fill stored between the caller's miss
        // and this lock is found here instead of being filled twice.
        replies = await client
          .pipeline()
          .set(lockKey(key), token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')
          .get(entryKey(key))
          .exec();
      } catch (error) {
        failed(error);
        replies = null;
      }
      const [locked, stored] = replies ?? [];
      if (!locked || !stored || locked[0] || stored[0]) {
        if (replies) failed(locked?.[0] ?? stored?.[0] ?? new Error('no reply'));
        // A lock set after its reply timed out (a slow Redis) must not hold up other replicas.
        void release();
        return 'unavailable';
      }
      const entry = typeof stored[1] === 'string' ? accept(key, stored[1]) : undefined;
      if (locked[1] !== 'OK') return entry ? { entry } : 'held';
      if (!entry) return { release };
      await release();
      return { entry };
    },
    async wait(key, untilMs) {
      let pause = 5;
      for (;;) {
        const left = untilMs - Date.now();
        if (left <= 0) return 'gave-up';
        await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
        pause = Math.min(MAX_POLL_MS, pause * 2);
        let replies: [Error | null, unknown][] | null;
        try {
          // In this order: the holder stores the entry before it releases, so a lock found gone
          // and no entry after it means the fill stored nothing.
          replies = await client.pipeline().exists(lockKey(key)).get(entryKey(key)).exec();
        } catch (error) {
          failed(error);
          return 'gave-up';
        }
        const [held, stored] = replies ?? [];
        if (!held || !stored || held[0] || stored[0]) {
          failed(held?.[0] ?? stored?.[0] ?? new Error('no reply'));
          return 'gave-up';
        }
        const entry = typeof stored[1] === 'string' ? accept(key, stored[1]) : undefined;
        if (entry) return entry;
        if (held[1] === 0) return 'free';
      }
    },
  };
}

/**
 * Whose turn it is to fill `key`: an entry another replica stored meanwhile (serve it), or this
 * caller's, with the lock to release once the fill is stored or failed (no lock when Redis failed
 * or the wait ran out: the caller fills without one, as in a single process). The lock lives at
 * most `lockMs` and never past the caller's deadline; waiting takes at most `lockMs` and half of
 * what is left to the deadline, the other half being for the caller's own fill. Never throws.
 */
export async function fillTurn(
  lock: FillLock,
  key: string,
  deadline: number,
  lockMs: number,
): Promise<{ entry: CacheEntry } | { release?: () => Promise<void> }> {
  const until = Date.now() + Math.min(lockMs, (deadline - Date.now()) / 2);
  for (;;) {
    const ttl = Math.min(lockMs, deadline - Date.now());
    if (ttl <= 0) return {};
    const taken = await lock.take(key, ttl);
    if (taken === 'unavailable') return {};
    if (taken !== 'held') return taken;
    const waited = await lock.wait(key, until);
    if (waited === 'gave-up') return {};
    // The holder stored nothing (it failed, or its lock ran out): the next to take the lock fills.
    if (waited !== 'free') return { entry: waited };
  }
}
