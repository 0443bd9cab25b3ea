import { z } from 'zod';
import { type ServiceName, serviceNames, services } from '../services.ts';

export type { BffName, ServiceName, SubgraphName } from '../services.ts';
export { serviceNames, subgraphNames } from '../services.ts';

export const port = z.number().int().min(0).max(65535);

/** Settings every process shares: where it listens, how it logs, how long it may drain. */
export const runtimeSection = {
  environment: z.enum(['development', 'production']).default('development'),
  host: z.string().min(1).default('127.0.0.1'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Human-readable logs; when unset, pretty only if stdout is a terminal. */
  logPretty: z.boolean().optional(),
  /** How long a draining process waits for in-flight requests before it gives up. */
  shutdownGraceMs: z.number().int().positive().default(10_000),
  /**
   * How far V8's old generation may grow past the live set between full collections, in percent
   * (platform/heap.ts). Lower: a smaller peak under load for more collector CPU. 0: V8's own
   * factor (up to 300 %).
   */
  heapGrowthPercent: z.number().int().min(0).max(1000).default(50),
  /** Shared store for limiter state and APQ; in-memory stores when unset. */
  redisUrl: z.url({ protocol: /^rediss?$/ }).optional(),
  /** One port per service of the registry (platform/services.ts), with its default. */
  ports: z
    .strictObject(
      Object.fromEntries(serviceNames.map((name) => [name, port.default(services[name].port)])) as Record<
        ServiceName,
        z.ZodDefault<typeof port>
      >,
    )
    .prefault({}),
  /**
   * Deliberate faults for degraded local runs (`npm start -- --delay health=2000`). The launcher
   * sets them per process through the environment; they are never meant for production.
   */
  faults: z
    .strictObject({
      delayMs: z.number().int().min(0).default(0),
    })
    .prefault({}),
};
