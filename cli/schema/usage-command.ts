import { HOUR_MS, hourOf, parseWindow, type UsageExport } from '../../gateway/usage/record.ts';
import { readRedisUsage } from '../../gateway/usage/redis-store.ts';
import { loadConfig } from '../../platform/config/load.ts';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import { createLogger } from '../../platform/logger.ts';
import { createRedisClient } from '../../platform/redis.ts';
import { SchemaCheckInputError } from './input-error.ts';

/**
 * Recorded field usage over a window: from Redis when the configuration names one (every
 * gateway replica's traffic), else from a running gateway's admin listener (`/usage`, its memory).
 */
export async function fetchUsage(
  window: string,
  options: { gateway?: string; config?: Readonly<PorticoConfig> } = {},
): Promise<UsageExport> {
  const ms = parseWindow(window);
  if (ms === null)
    throw new SchemaCheckInputError(`--since takes a window like 30d, 12h or 90m, not "${window}"`);
  const config = options.config ?? loadConfig();
  if (!options.gateway && config.redisUrl) {
    const until = Date.now();
    const since = hourOf(until - ms);
    const client = createRedisClient({
      url: config.redisUrl,
      keyPrefix: config.telemetry.usage.redisKeyPrefix,
      log: createLogger('schema-usage', { logLevel: 'error', logPretty: false }),
      name: 'usage',
      commandTimeoutMs: 10_000,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        if (client.status === 'ready') resolve();
        client.once('ready', () => resolve());
        setTimeout(
          () => reject(new SchemaCheckInputError(`cannot reach Redis at ${new URL(config.redisUrl!).host}`)),
          5_000,
        ).unref();
      });
      return {
        version: 1,
        since: new Date(since).toISOString(),
        until: new Date(hourOf(until) + HOUR_MS).toISOString(),
        operations: await readRedisUsage(client, since, until),
      };
    } finally {
      client.disconnect();
    }
  }
  const base = options.gateway ?? `http://127.0.0.1:${config.admin.ports.gateway}`;
  let response: Response;
  try {
    response = await fetch(`${base.replace(/\/+$/, '')}/usage?since=${encodeURIComponent(window)}`);
  } catch (error) {
    throw new SchemaCheckInputError(
      `cannot reach the gateway's admin listener at ${base}: ${(error as Error).message}`,
    );
  }
  if (!response.ok)
    throw new SchemaCheckInputError(`the gateway's admin listener answered ${response.status} for /usage`);
  return (await response.json()) as UsageExport;
}
