import { createConnection } from 'node:net';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when something answers on the Redis port within a second. */
export async function redisAvailable(url = REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * For suites that need a real Redis: returns whether to skip. Without Redis the suite is skipped
 * with a loud message, except under CI=true, where a missing Redis is a failure.
 */
export async function skipWithoutRedis(suite: string): Promise<boolean> {
  if (await redisAvailable()) return false;
  const message = `Redis not reachable at ${REDIS_URL}: ${suite} needs it`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true, so this fails instead of skipping)`);
  process.stderr.write(`\n!!! SKIPPING ${suite}: ${message}. Start Redis or set REDIS_URL. !!!\n\n`);
  return true;
}
