import { describe, expect, it, vi } from 'vitest';
import { type KeyValueStore, memoryStore, tieredStore } from '../../platform/kv-cache.ts';

describe('key-value stores', () => {
  it('memory: bounded in bytes, least recently used out first, entries expire', async () => {
    const store = memoryStore(30);
    await store.set('a', '1234567890'); // 11
    await store.set('b', '1234567890'); // 22
    expect(await store.get('a')).toBe('1234567890'); // a is now the most recent
    await store.set('c', '1234567890'); // 33 > 30: b goes
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('1234567890');
    expect(await store.get('c')).toBe('1234567890');
    await store.set('huge', 'x'.repeat(100));
    expect(await store.get('huge')).toBeUndefined();
    expect(await store.get('a')).toBe('1234567890');

    // Expiry follows the clock; a fixed clock keeps a busy machine from expiring it early.
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    try {
      await store.set('short', 'v', { ttl: 0.05 });
      vi.advanceTimersByTime(40);
      expect(await store.get('short')).toBe('v');
      vi.advanceTimersByTime(20);
      expect(await store.get('short')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('tiered: a failing shared store is a miss on read and skipped on write, never an error', async () => {
    const failures: unknown[] = [];
    const broken: KeyValueStore = {
      get: () => Promise.reject(new Error('redis down')),
      set: () => Promise.reject(new Error('redis down')),
      delete: () => Promise.reject(new Error('redis down')),
    };
    const local = memoryStore(1_000);
    const store = tieredStore({
      local,
      shared: broken,
      localTtlSec: 60,
      onSharedError: (e) => failures.push(e),
    });
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
    expect(await store.delete('k')).toBe(true);
    expect(failures).toHaveLength(3);
  });

  it('tiered: what the shared store has is kept locally', async () => {
    const shared = memoryStore(1_000);
    await shared.set('k', 'from elsewhere');
    const local = memoryStore(1_000);
    const store = tieredStore({ local, shared, localTtlSec: 60, onSharedError: () => {} });
    expect(await store.get('k')).toBe('from elsewhere');
    await shared.delete('k');
    expect(await store.get('k')).toBe('from elsewhere');
  });
});
