import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls each service's /ready until it answers 200. Returns the names still not ready when the
 * time runs out or when `exited` reports that their process is gone.
 */
export async function waitUntilReady(
  services: { name: string; url: string }[],
  timeoutMs: number,
  exited: () => string[] = () => [],
): Promise<string[]> {
  const pending = new Set(services.map((s) => s.name));
  const deadline = Date.now() + timeoutMs;
  while (pending.size > 0 && Date.now() < deadline) {
    const dead = exited().filter((name) => pending.has(name));
    if (dead.length > 0) return dead;
    await Promise.all(
      services
        .filter((s) => pending.has(s.name))
        .map(async ({ name, url }) => {
          try {
            const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1_000) });
            if (response.ok) pending.delete(name);
            await response.body?.cancel();
          } catch {
            // Not listening yet.
          }
        }),
    );
    if (pending.size > 0) await sleep(100);
  }
  return [...pending];
}
