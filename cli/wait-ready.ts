import { setTimeout as sleep } from 'node:timers/promises';

export interface ServiceUrl {
  name: string;
  url: string;
}

export interface WaitOptions {
  services: ServiceUrl[];
  /**
   * Give up when no service has become ready for this long (0: never). A slow machine that keeps
   * bringing services up is never given up on; a start that stopped moving is.
   */
  stallMs: number;
  /** Names whose process is gone; checked every round, and the wait ends at once if one is pending. */
  exited?: () => string[];
  /** Told whenever a service becomes ready, and every `heartbeatMs` while some are pending. */
  onProgress?: (ready: string[], pending: string[]) => void;
  heartbeatMs?: number;
  pollMs?: number;
}

export type WaitResult =
  | { outcome: 'ready' }
  | { outcome: 'exited'; names: string[] }
  | { outcome: 'stalled'; names: string[]; stalledMs: number };

async function answersReady(url: string): Promise<boolean> {
  try {
    // Generous per poll: on a loaded machine a starting service may take a while to answer.
    const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Polls each service's /ready until all answer 200, a process exits, or the start stalls. */
export async function waitForServices(options: WaitOptions): Promise<WaitResult> {
  const pending = new Set(options.services.map((s) => s.name));
  const ready: string[] = [];
  let lastProgress = Date.now();
  let lastReport = 0;
  const report = () => {
    lastReport = Date.now();
    options.onProgress?.([...ready], [...pending]);
  };
  report();
  while (pending.size > 0) {
    const dead = (options.exited?.() ?? []).filter((name) => pending.has(name));
    if (dead.length > 0) return { outcome: 'exited', names: dead };
    const stalledMs = Date.now() - lastProgress;
    if (options.stallMs > 0 && stalledMs >= options.stallMs)
      return { outcome: 'stalled', names: [...pending], stalledMs };
    const answers = await Promise.all(
      options.services
        .filter((s) => pending.has(s.name))
        .map(async (s) => ({ name: s.name, ok: await answersReady(s.url) })),
    );
    const newlyReady = answers.filter((a) => a.ok).map((a) => a.name);
    for (const name of newlyReady) {
      pending.delete(name);
      ready.push(name);
    }
    if (newlyReady.length > 0) {
      lastProgress = Date.now();
      report();
    } else if (options.heartbeatMs !== undefined && Date.now() - lastReport >= options.heartbeatMs) report();
    if (pending.size > 0) await sleep(options.pollMs ?? 100);
  }
  return { outcome: 'ready' };
}

/**
 * Polls each service's /ready until it answers 200. Returns the names still not ready when the
 * time runs out or when `exited` reports that their process is gone.
 */
export async function waitUntilReady(
  services: ServiceUrl[],
  timeoutMs: number,
  exited: () => string[] = () => [],
): Promise<string[]> {
  const result = await waitForServices({ services, stallMs: timeoutMs, exited });
  return result.outcome === 'ready' ? [] : result.names;
}
