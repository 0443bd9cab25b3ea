import type { PorticoConfig } from '../platform/config/schema.ts';
import type { Service } from '../platform/service.ts';
import { buildService, type ServiceName } from '../platform/services.ts';
import { hostSeveralServices } from '../platform/telemetry/tracing.ts';
import type { Progress } from './dev-progress.ts';
import type { CommandIO } from './io.ts';
import { waitForServices } from './wait-ready.ts';

export interface InProcessPlatform {
  /** Builds and starts every service in order; false when one could not start (the rest are stopped). */
  start(): Promise<boolean>;
  /** Drains what has started (last started first), at most `graceMs` in all; safe at any time. */
  stop(graceMs: number): Promise<void>;
}

/**
 * The whole platform in this process, each service on its own ports, as the separate processes
 * would run it (the same builders, the same per-service configuration). One process loads the
 * shared libraries once instead of nine times, which is most of a start's CPU: this is what
 * makes `npm start` ready in seconds on a small machine. A service that cannot start is named
 * with its error, and the ones already started are stopped.
 */
export function inProcessPlatform(
  names: readonly ServiceName[],
  configFor: (name: ServiceName) => Readonly<PorticoConfig>,
  progress: Progress,
  io: CommandIO,
): InProcessPlatform {
  const started: Service[] = [];
  let stopped = false;
  // Each service's spans must still carry its own service.name (platform/telemetry/provider.ts).
  hostSeveralServices();
  const stop = async (graceMs: number) => {
    stopped = true;
    const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    const drained = (async () => {
      for (const service of started.splice(0).reverse()) await service.close().catch(() => undefined);
    })();
    await Promise.race([drained, timer]);
  };
  return {
    stop,
    async start() {
      const ready: string[] = [];
      for (const [index, name] of names.entries()) {
        if (stopped) return false;
        progress.update(ready, names.slice(index));
        try {
          const config = configFor(name);
          const service = await buildService(name, config);
          started.push(service);
          await service.listen(config.ports[name], config.host, config.admin.ports[name]);
          ready.push(name);
        } catch (error) {
          progress.done();
          io.err(`${name} could not start: ${(error as Error).message}`);
          io.err('stopping the other services');
          await stop(10_000);
          return false;
        }
      }
      // Every service listens; each answers /ready once it can serve (the gateway: its supergraph).
      const result = await waitForServices({
        services: names.map((name) => ({ name, url: `http://127.0.0.1:${configFor(name).ports[name]}` })),
        stallMs: 30_000,
      });
      if (result.outcome === 'ready') return !stopped;
      io.err(`not ready: ${result.names.join(', ')}; stopping`);
      await stop(10_000);
      return false;
    },
  };
}
