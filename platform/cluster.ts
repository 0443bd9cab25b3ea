import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Logger } from './logger.ts';

/** `auto` is one worker per core the process may use. */
export function workerCount(setting: 'auto' | number): number {
  return setting === 'auto' ? availableParallelism() : setting;
}

export interface PrimaryOptions {
  workers: number;
  /** How long the workers get to drain after SIGTERM/SIGINT before they are killed. */
  graceMs: number;
  log: Logger;
}

/** More crashes than this within a minute is a crash loop: the primary gives up instead. */
const MAX_RESTARTS_PER_MINUTE = 10;
const RESTART_DELAY_MS = 1_000;

/**
 * The primary process of cluster mode. It serves nothing itself: it forks `workers` copies of
 * this same command (each builds the service and listens on the same port, which node:cluster
 * shares, handing connections out round-robin), starts a new worker when one dies, and on
 * SIGTERM/SIGINT asks every worker to drain and exits 0 when all of them drained cleanly.
 *
 *   primary --fork--> worker 1..n   (each: runService, its own drain on SIGTERM)
 *      exit of a worker, not stopping --> fork a new one after 1 s (crash loop: give up, exit 1)
 *      SIGTERM/SIGINT --> SIGTERM to each worker --> all exited 0 ? exit 0 : exit 1
 */
export function runPrimary(options: PrimaryOptions): Promise<number> {
  const { log } = options;
  const restarts: number[] = [];
  let stopping = false;
  let failed = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    log.info({ worker: worker.id, pid: worker.process.pid }, 'worker started');
    return worker;
  };

  return new Promise<number>((resolve) => {
    const finish = () => {
      if (Object.keys(cluster.workers ?? {}).length > 0) return;
      log.info({ clean: !failed }, 'all workers stopped');
      resolve(failed ? 1 : 0);
    };
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, workers: Object.keys(cluster.workers ?? {}).length }, 'draining workers');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      const timer = setTimeout(() => {
        log.error({ graceMs: options.graceMs }, 'workers did not drain in time; killing them');
        failed = true;
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      }, options.graceMs + 2_000);
      timer.unref();
      finish();
    };

    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        // SIGTERM itself ends a worker still starting (its drain handler comes with listening).
        if (code !== 0 && signal !== 'SIGTERM') failed = true;
        finish();
        return;
      }
      const now = Date.now();
      restarts.push(now);
      while (restarts[0]! < now - 60_000) restarts.shift();
      if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
        log.error({ worker: worker.id, code, signal }, 'workers keep dying; giving up');
        failed = true;
        stop('SIGTERM');
        return;
      }
      log.warn({ worker: worker.id, code, signal }, 'worker exited; starting a new one');
      setTimeout(() => {
        if (!stopping) fork();
      }, RESTART_DELAY_MS);
    });
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    log.info({ workers: options.workers }, 'starting workers');
    for (let i = 0; i < options.workers; i += 1) fork();
  });
}
