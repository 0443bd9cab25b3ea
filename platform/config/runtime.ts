import { z } from 'zod';

export const serviceNames = [
  'gateway',
  'models',
  'billing',
  'metering',
  'health',
  'issuer',
  'web',
  'mobile',
  'cli',
] as const;
export type ServiceName = (typeof serviceNames)[number];

export const subgraphNames = ['models', 'billing', 'metering', 'health'] as const;
export type SubgraphName = (typeof subgraphNames)[number];

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
  /** Shared store for limiter state and APQ; in-memory stores when unset. */
  redisUrl: z.url({ protocol: /^rediss?$/ }).optional(),
  ports: z
    .strictObject({
      gateway: port.default(4000),
      models: port.default(4001),
      billing: port.default(4002),
      metering: port.default(4003),
      health: port.default(4004),
      issuer: port.default(4005),
      web: port.default(4010),
      mobile: port.default(4011),
      cli: port.default(4012),
    })
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
