import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `check` until it returns true or the time runs out; returns whether it ever did. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<boolean> {
  const until = Date.now() + (options.timeoutMs ?? 5_000);
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= until) return false;
    await sleep(options.intervalMs ?? 25);
  }
}
