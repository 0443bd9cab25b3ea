import cluster from 'node:cluster';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { PorticoConfig } from './config/schema.ts';

export type { Logger };

/**
 * JSON lines by default, for log shippers; human-readable only on a terminal (or when asked).
 * Pretty printing runs in-process rather than in a transport worker so a crash never loses the
 * last lines.
 */
export function createLogger(service: string, config: Pick<PorticoConfig, 'logLevel' | 'logPretty'>): Logger {
  const wantPretty = config.logPretty ?? process.stdout.isTTY === true;
  const options = {
    level: config.logLevel,
    // In cluster mode each line says which worker wrote it.
    base: cluster.isWorker ? { service, worker: cluster.worker?.id, pid: process.pid } : { service },
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
  };
  if (!wantPretty) return pino(options);
  return pino(
    options,
    pretty({ colorize: process.stdout.isTTY === true, ignore: 'pid,hostname', sync: true }),
  );
}
