/** One cached answer: the serialized body, when it was stored, for how long and what it is tagged with. */
export interface CacheEntry {
  body: string;
  storedAt: number;
  maxAge: number;
  tags: string[];
}

/** Seconds an entry has been stored, as the `Age` header says it. */
export const ageOf = (entry: CacheEntry, now = Date.now()) =>
  Math.max(0, Math.floor((now - entry.storedAt) / 1000));

/**
 * The in-process tier: entries with their expiry, least recently used dropped past `maxBytes`,
 * and an index from tag to keys so a purge finds what it must drop. The index is cleaned as
 * entries leave, so it never outgrows the entries.
 */
export function createMemoryTier(maxBytes: number) {
  const entries = new Map<string, { entry: CacheEntry; expiresAt: number; size: number }>();
  const byTag = new Map<string, Set<string>>();
  let bytes = 0;
  const remove = (key: string) => {
    const held = entries.get(key);
    if (!held) return;
    entries.delete(key);
    bytes -= held.size;
    for (const tag of held.entry.tags) {
      const keys = byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) byTag.delete(tag);
    }
  };
  return {
    get(key: string): CacheEntry | undefined {
      const held = entries.get(key);
      if (!held) return undefined;
      if (held.expiresAt <= Date.now()) {
        remove(key);
        return undefined;
      }
      entries.delete(key);
      entries.set(key, held);
      return held.entry;
    },
    set(key: string, entry: CacheEntry, ttlSec: number) {
      remove(key);
      const size = key.length + entry.body.length + entry.tags.join('').length;
      if (size > maxBytes || ttlSec <= 0) return;
      entries.set(key, { entry, expiresAt: Date.now() + ttlSec * 1000, size });
      bytes += size;
      for (const tag of entry.tags) {
        const keys = byTag.get(tag) ?? new Set<string>();
        byTag.set(tag, keys.add(key));
      }
      while (bytes > maxBytes) remove(entries.keys().next().value!);
    },
    /** Drops every entry carrying one of `tags`; returns how many. */
    purge(tags: readonly string[]): number {
      let dropped = 0;
      for (const tag of tags) {
        for (const key of [...(byTag.get(tag) ?? [])]) {
          remove(key);
          dropped += 1;
        }
      }
      return dropped;
    },
    get bytes() {
      return bytes;
    },
  };
}

export type MemoryTier = ReturnType<typeof createMemoryTier>;
