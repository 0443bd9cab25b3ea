import { statSync } from 'node:fs';

export interface WatchedFile<T> {
  /** The file's content as last read; re-read first when it changed and the interval has passed. */
  current(): T;
  /** Re-reads now if it changed (at most once per `minRefreshMs`); true when the content is new. */
  refresh(): boolean;
}

/**
 * A file read once and again whenever its modification time changes, looked at no more than
 * once per `intervalMs`: key files are replaced during a rotation and must be picked up without a
 * restart, but a stat per request would be waste. A file that fails to read or parse keeps the
 * last good content (the error is reported once per change).
 */
export function watchedFile<T>(
  file: string,
  read: (file: string) => T,
  options: { intervalMs: number; minRefreshMs?: number; onError?: (error: unknown) => void },
): WatchedFile<T> {
  let value = read(file);
  let mtime = statSync(file).mtimeMs;
  let checkedAt = Date.now();
  let failedAt = -1;
  const reload = (force: boolean): boolean => {
    const now = Date.now();
    if (now - checkedAt < (force ? (options.minRefreshMs ?? 1_000) : options.intervalMs)) return false;
    checkedAt = now;
    try {
      const changed = statSync(file).mtimeMs;
      if (changed === mtime || changed === failedAt) return false;
      try {
        value = read(file);
        mtime = changed;
        return true;
      } catch (error) {
        failedAt = changed;
        options.onError?.(error);
        return false;
      }
    } catch (error) {
      options.onError?.(error);
      return false;
    }
  };
  return {
    current() {
      reload(false);
      return value;
    },
    refresh: () => reload(true),
  };
}
