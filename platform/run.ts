import type { Service } from './service.ts';

export interface RunOptions {
  port: number;
  host?: string;
  /** The admin listener's port (metrics); 0 picks a free one. */
  adminPort?: number;
  graceMs: number;
  /** Start-up settings worth a line in the log, said with the address. */
  logged?: Record<string, unknown>;
}

/**
 * Listens and wires SIGTERM/SIGINT to a bounded drain: stop accepting, let in-flight requests
 * finish, run close hooks, exit 0. If the drain outlives `graceMs` the process exits 1 so an
 * orchestrator sees that work was cut off.
 */
export async function runService(service: Service, options: RunOptions): Promise<string> {
  const address = await service.listen(options.port, options.host, options.adminPort);
  service.logger.info(
    { address, admin: service.adminAddress, ...options.logged },
    `${service.name} listening`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    service.logger.info({ signal, graceMs: options.graceMs }, `${service.name} draining`);
    const timer = setTimeout(() => {
      service.logger.error({ graceMs: options.graceMs }, `${service.name} drain timed out; exiting`);
      process.exit(1);
    }, options.graceMs);
    timer.unref();
    service.close().then(
      () => {
        service.logger.info(`${service.name} stopped`);
        process.exit(0);
      },
      (error: unknown) => {
        service.logger.error({ err: error }, `${service.name} failed to close cleanly`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return address;
}
