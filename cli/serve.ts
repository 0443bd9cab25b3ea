import cluster from 'node:cluster';
import { runPrimary, workerCount } from '../platform/cluster.ts';
import { loadConfig } from '../platform/config/load.ts';
import type { SubgraphName } from '../platform/config/runtime.ts';
import { createLogger } from '../platform/logger.ts';
import { runService } from '../platform/run.ts';
import type { Service } from '../platform/service.ts';
import type { CommandIO } from './io.ts';

const subgraphs = new Set<string>(['models', 'billing', 'metering', 'health']);

const builders: Record<string, (config: ReturnType<typeof loadConfig>) => Promise<Service>> = {
  gateway: async (config) => (await import('../gateway/server.ts')).buildGateway(config),
  issuer: async (config) => (await import('../issuer/server.ts')).buildIssuer(config),
  web: async (config) => (await import('../bffs/web/server.ts')).buildWebBff(config),
  mobile: async (config) => (await import('../bffs/mobile/server.ts')).buildMobileBff(config),
  cli: async (config) => (await import('../bffs/cli/server.ts')).buildCliBff(config),
};

/**
 * `portico serve <service>`: one service in this process, on its configured port. This is the
 * command of every container in docker-compose and of every child of `npm start`. The gateway
 * may instead run as a cluster of workers on one host (`gateway.workers` > 1).
 */
export async function serveCommand(argv: string[], io: CommandIO): Promise<number> {
  const [name] = argv;
  const known = [...Object.keys(builders), ...subgraphs];
  if (!name || !known.includes(name)) {
    io.err(`usage: portico serve <${known.join('|')}>`);
    return 2;
  }
  const config = loadConfig();
  const workers = name === 'gateway' ? workerCount(config.gateway.workers) : 1;
  if (workers > 1 && cluster.isPrimary) {
    // Cluster mode (gateway.workers, PORTICO_WORKERS): this process only forks and watches workers.
    if (!config.redisUrl) (await import('../platform/rate-limit/store.ts')).serveClusterLimiters();
    return runPrimary({
      workers,
      graceMs: config.shutdownGraceMs,
      log: createLogger(`${name}-primary`, config),
    });
  }
  // A worker whose primary is gone would never get another connection: drain and exit.
  if (cluster.isWorker) process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  const service = subgraphs.has(name)
    ? await (await import('../subgraphs/registry.ts')).buildSubgraphService(name as SubgraphName, config)
    : await builders[name]!(config);
  const port = config.ports[name as keyof typeof config.ports];
  await runService(service, {
    port,
    adminPort: config.admin.ports[name as keyof typeof config.admin.ports],
    graceMs: config.shutdownGraceMs,
  });
  // The process now lives until a signal drains it.
  return new Promise<number>(() => {});
}
