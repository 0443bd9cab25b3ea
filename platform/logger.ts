import cluster from 'node:cluster';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { PorticoConfig } from './config/schema.ts';

export type { Logger };

/** Buffered lines are written at least this often, and at exit (pino flushes its destinations then). */
const FLUSH_MS = 100;
let shared: ReturnType<typeof pino.destination> | null = null;

/**
 * stdout for JSON lines, buffered: a busy service writes a few kilobytes at a time instead of one
 * system call per line (two per request), which showed as several percent of a gateway's CPU.
 * One destination per process, so services started in one process never interleave their writes.
 */
function jsonDestination(): ReturnType<typeof pino.destination> {
  if (!shared) {
    const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
    setInterval(() => destination.flush(), FLUSH_MS).unref();
    shared = destination;
  }
  return shared;
}

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
  if (!wantPretty) return pino(options, jsonDestination());
  return pino(
    options,
    pretty({ colorize: process.stdout.isTTY === true, ignore: 'pid,hostname', sync: true }),
  );
}
