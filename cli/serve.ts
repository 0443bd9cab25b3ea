import cluster from 'node:cluster';
import { runPrimary, workerCount } from '../platform/cluster.ts';
import { ConfigError, loadConfig } from '../platform/config/load.ts';
import { applyHeapGrowth } from '../platform/heap.ts';
import { createLogger } from '../platform/logger.ts';
import { runService } from '../platform/run.ts';
import {
  adminPortVariable,
  buildService,
  isServiceName,
  portVariable,
  type ServiceName,
  serviceNames,
} from '../platform/services.ts';
import type { CommandIO } from './io.ts';

/** Errors of `listen` that are the user's to fix, not a bug: said in one line, without a stack. */
function listenProblem(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return 'the port is in use';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EADDRNOTAVAIL') return 'the address is not on this host (PORTICO_HOST)';
  return undefined;
}

/**
 * `portico serve <service>`: one service in this process, on its configured port. This is the
 * command of every container in docker-compose and of every child of `npm start`. The gateway
 * may instead run as a cluster of workers on one host (`gateway.workers` > 1).
 */
export async function serveCommand(argv: string[], io: CommandIO): Promise<number> {
  const [name] = argv;
  if (!name || !isServiceName(name)) {
    io.err(`usage: portico serve <${serviceNames.join('|')}>`);
    return 2;
  }
  // Started by a launcher (npm start) or a cluster primary with an IPC channel: when that parent
  // goes, however it went, drain and exit rather than live on holding the port.
  const orphaned = () => process.kill(process.pid, 'SIGTERM');
  if (process.send) process.once('disconnect', orphaned);
  try {
    return await serve(name);
  } catch (error) {
    // A listening channel would keep a failed process alive.
    process.off('disconnect', orphaned);
    throw error;
  }
}

async function serve(name: ServiceName): Promise<number> {
  const config = loadConfig();
  const heapGrowthPercent = applyHeapGrowth(config.heapGrowthPercent);
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
  const service = await buildService(name, config);
  const port = config.ports[name];
  try {
    await runService(service, {
      port,
      adminPort: config.admin.ports[name],
      graceMs: config.shutdownGraceMs,
      logged: { heapGrowthPercent },
    });
  } catch (error) {
    const problem = listenProblem(error);
    if (!problem) throw error;
    await service.close();
    const admin =
      (error as { port?: number }).port === config.admin.ports[name] && port !== config.admin.ports[name];
    throw new ConfigError(
      admin
        ? `${name} cannot listen on ${config.admin.host}:${config.admin.ports[name]} (its admin listener): ${problem}; set ${adminPortVariable(name)} to move it`
        : `${name} cannot listen on ${config.host}:${port}: ${problem}; set ${portVariable(name)} to move it`,
    );
  }
  // The process now lives until a signal drains it.
  return new Promise<number>(() => {});
}
