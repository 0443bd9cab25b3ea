import { createHash } from 'node:crypto';

export interface StaleEntry<T> {
  value: T;
  storedAt: number;
}

/**
 * Last-known-good values for stale-if-error fields, per BFF process, bounded (least recently
 * stored out first). A caller-scoped entry is keyed by a hash of the caller's bearer token: a
 * stale value is only ever served to the token whose successful call stored it, so a forged
 * token cannot read another tenant's cached data while the gateway is down. Public fields share
 * one entry.
 */
export function createStaleCache(maxEntries: number) {
  const entries = new Map<string, StaleEntry<unknown>>();
  return {
    key(
      scope: 'public' | 'caller',
      token: string | undefined,
      coordinate: string,
      args: unknown,
    ): string | null {
      if (scope === 'caller' && !token) return null;
      const who = scope === 'public' ? 'public' : createHash('sha256').update(token!).digest('base64url');
      return `${who}\u0000${coordinate}\u0000${JSON.stringify(args ?? {})}`;
    },
    set(key: string, value: unknown): void {
      entries.delete(key);
      entries.set(key, { value, storedAt: Date.now() });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    get(key: string, maxAgeMs: number): StaleEntry<unknown> | null {
      const entry = entries.get(key);
      return entry && Date.now() - entry.storedAt <= maxAgeMs ? entry : null;
    },
  };
}

export type StaleCache = ReturnType<typeof createStaleCache>;
