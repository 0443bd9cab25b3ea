import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { type DevKey, loadOrCreateDevKey } from '../issuer/keys.ts';
import { issuerIdentity, signDevToken } from '../issuer/sign.ts';
import { loadConfig, resolveFromRoot } from '../platform/config/load.ts';
import type { PorticoConfig } from '../platform/config/schema.ts';
import {
  adminPortVariable,
  portVariable,
  type ServiceName,
  serviceNames,
  services,
  subgraphNames,
} from '../platform/services.ts';
import { readyBanner } from './dev-banner.ts';
import { inProcessPlatform } from './dev-inprocess.ts';
import { type Progress, startProgress } from './dev-progress.ts';
import type { CommandIO } from './io.ts';
import { createSupervisor, type Supervised } from './supervisor.ts';
import { waitForServices } from './wait-ready.ts';

/** What `npm start` runs, in start order: every service of the registry. */
export const platformServices: readonly ServiceName[] = serviceNames;
const optional = new Set<string>(subgraphNames);
/** Give up on a start when no service has become ready for this long. */
const DEFAULT_TIMEOUT_SEC = 120;

const usage =
  'usage: portico dev [--without <subgraph>]... [--delay <subgraph>=<ms>]... [--timeout <seconds>] [--processes] [--verbose]';

interface DevOptions {
  without: Set<string>;
  delays: Map<string, number>;
  verbose: boolean;
  /** Seconds without a service becoming ready before giving up; 0 waits for ever. */
  timeoutSec: number;
  /** One child process per service, as compose runs them, instead of all in this process. */
  processes: boolean;
}

export function parseDevArgs(argv: string[]): DevOptions | string {
  let values: {
    without?: string[];
    delay?: string[];
    verbose?: boolean;
    timeout?: string;
    processes?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        without: { type: 'string', multiple: true },
        delay: { type: 'string', multiple: true },
        verbose: { type: 'boolean' },
        timeout: { type: 'string' },
        processes: { type: 'boolean' },
      },
    }));
  } catch (error) {
    return (error as Error).message;
  }
  const without = new Set((values.without ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()));
  for (const name of without)
    if (!optional.has(name)) return `--without takes a subgraph (${[...optional].join(', ')}), not "${name}"`;
  const delays = new Map<string, number>();
  for (const spec of values.delay ?? []) {
    const match = /^([a-z]+)=(\d+)$/.exec(spec);
    if (!match || !optional.has(match[1]!))
      return `--delay takes <subgraph>=<ms>, e.g. health=2000; got "${spec}"`;
    delays.set(match[1]!, Number(match[2]));
  }
  const timeoutSec = values.timeout === undefined ? DEFAULT_TIMEOUT_SEC : Number(values.timeout);
  if (!/^\d+$/.test(values.timeout ?? '0'))
    return `--timeout takes whole seconds (0: wait for ever); got "${values.timeout}"`;
  return {
    without,
    delays,
    verbose: values.verbose === true,
    timeoutSec,
    processes: values.processes === true,
  };
}

/** Whether something else already listens on this port (0, any free port, never is). */
function inUse(port: number, host: string): Promise<boolean> {
  if (port === 0) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

/**
 * Every port a service would take that something else already holds, checked before starting
 * anything, each with the variable that moves it: the public port and the admin listener's.
 */
async function takenPorts(names: ServiceName[], config: Readonly<PorticoConfig>): Promise<string[]> {
  const problems = await Promise.all(
    names.map(async (name) => {
      const found: string[] = [];
      if (await inUse(config.ports[name], config.host))
        found.push(
          `port ${config.ports[name]} (${name}) is in use: stop what holds it, or set ${portVariable(name)} to another port`,
        );
      if (await inUse(config.admin.ports[name], config.admin.host))
        found.push(
          `admin port ${config.admin.ports[name]} (${name}) is in use: stop what holds it, or set ${adminPortVariable(name)} to another port`,
        );
      return found;
    }),
  );
  return problems.flat();
}

function childEnv(
  name: ServiceName,
  options: DevOptions,
  config: Readonly<PorticoConfig>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    APOLLO_TELEMETRY_DISABLED: 'true',
    PORTICO_LOG_LEVEL: process.env.PORTICO_LOG_LEVEL ?? (options.verbose ? 'info' : 'warn'),
    PORTICO_LOG_PRETTY: process.env.PORTICO_LOG_PRETTY ?? (process.stdout.isTTY ? 'true' : 'false'),
  };
  // One OTEL_SERVICE_NAME for nine children would give their spans one name: each is named after itself.
  delete env.OTEL_SERVICE_NAME;
  const kind = services[name].kind;
  if (kind === 'gateway') {
    // The supergraph's routing URLs name the default ports; route to where this launcher put each subgraph.
    for (const subgraph of subgraphNames)
      env[`PORTICO_SUBGRAPH_${subgraph.toUpperCase()}_URL`] =
        `http://127.0.0.1:${config.ports[subgraph]}/graphql`;
  }
  if (kind === 'bff') env.PORTICO_GATEWAY_URL = `http://127.0.0.1:${config.ports.gateway}/graphql`;
  const delay = options.delays.get(name);
  if (delay !== undefined) env.PORTICO_FAULT_DELAY_MS = String(delay);
  return env;
}

function explain(child: Supervised, what: string, io: CommandIO): void {
  const lines = child.lastLines();
  io.err(`${child.name} ${what}${lines.length > 0 ? '; its last lines:' : ' without a word'}`);
  for (const line of lines) io.err(`    ${line}`);
}

/**
 * `npm start`: the whole platform on this machine, one child process per service (as in
 * docker-compose), in-memory stores and the local dev issuer. Shows progress until every service
 * answers /ready, then prints the URLs, a token and a curl command. SIGINT or SIGTERM (Ctrl-C, a
 * process manager) drains every child and exits 0.
 *
 *   ports free? --no--> name the port and its PORTICO_<NAME>_PORT, start nothing
 *   spawn all --> poll /ready --> banner          a child exits --> its last lines, stop the rest
 *                     `--timeout` s without progress --> who is pending, their last lines, stop
 */
export async function devCommand(argv: string[], io: CommandIO): Promise<number> {
  const options = parseDevArgs(argv);
  if (typeof options === 'string') {
    io.err(`${options}\n${usage}`);
    return 2;
  }
  const config = loadConfig();
  const names = platformServices.filter((name) => !options.without.has(name));
  const taken = await takenPorts(names, config);
  if (taken.length > 0) {
    for (const problem of taken) io.err(problem);
    return 1;
  }
  const key = await loadOrCreateDevKey(resolveFromRoot(config.devIssuer.keyFile));
  io.out(
    `Starting ${names.length} services (launcher pid ${process.pid}: Ctrl-C or kill -TERM ${process.pid} stops them all)`,
  );
  const progress = startProgress(io, names.length);
  if (!options.processes) return runInProcess(names, options, config, key, progress);
  const supervisor = createSupervisor(progress.io);
  const graceMs = config.shutdownGraceMs + 5_000;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal: the user does not want to wait for the drain.
      supervisor.killAll();
      process.exit(1);
    }
    stopping = true;
    progress.done();
    io.out(`\n${signal}: stopping ${supervisor.children.filter((c) => !c.ended).length} services ...`);
    void supervisor.stopAll(graceMs).then(() => {
      io.out('all services stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  for (const name of names) supervisor.start(name, childEnv(name, options, config));
  const urls = names.map((name) => ({ name, url: `http://127.0.0.1:${config.ports[name]}` }));
  const result = await waitForServices({
    services: urls,
    stallMs: options.timeoutSec * 1000,
    exited: () => supervisor.children.filter((c) => c.ended).map((c) => c.name),
    onProgress: progress.update,
    heartbeatMs: io.progress ? 1_000 : 10_000,
  });
  progress.done();
  // A signal arrived while waiting: its handler stops everything and exits.
  if (stopping) return new Promise<number>(() => {});
  if (result.outcome !== 'ready') {
    const byName = new Map(supervisor.children.map((c) => [c.name, c]));
    for (const name of result.names) {
      const child = byName.get(name)!;
      if (result.outcome === 'exited') explain(child, `exited (${child.how}) before it was ready`, io);
      else
        explain(
          child,
          `is not ready after ${Math.round(result.stalledMs / 1000)} s without progress (--timeout ${options.timeoutSec}; 0 waits for ever)`,
          io,
        );
    }
    io.err('stopping the other services');
    stopping = true;
    await supervisor.stopAll(graceMs);
    return 1;
  }
  for (const child of supervisor.children)
    child.child.once('close', () => {
      if (!stopping) explain(child, `exited unexpectedly (${child.how}); the others keep running`, io);
    });
  await printReady(io, key, config, urls, options);
  return new Promise<number>(() => {});
}

/** The banner: where everything is, a dev token and a curl to paste. */
async function printReady(
  io: CommandIO,
  key: DevKey,
  config: Readonly<PorticoConfig>,
  urls: { name: string; url: string }[],
  options: DevOptions,
): Promise<void> {
  const token = await signDevToken(
    key,
    { sub: 'acme-user-1', tenant: 'acme', scopes: ['billing:read'], ttl: '12h' },
    issuerIdentity(config.auth),
  );
  io.out(
    readyBanner({
      // Since this process started: a build of stale sources (bin/portico.js) counts too.
      seconds: process.uptime(),
      urls,
      token,
      gatewayPort: config.ports.gateway,
      ...options,
    }),
  );
}

/** `npm start` without `--processes`: every service in this process (dev-inprocess.ts). */
async function runInProcess(
  names: ServiceName[],
  options: DevOptions,
  config: Readonly<PorticoConfig>,
  key: DevKey,
  progress: Progress,
): Promise<number> {
  const io = progress.io;
  // Each service gets the configuration its own process would have had (the same environment).
  const platform = inProcessPlatform(
    names,
    (name) => loadConfig({ env: childEnv(name, options, config) }),
    progress,
    io,
  );
  const graceMs = config.shutdownGraceMs + 5_000;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal: the user does not want to wait for the drain.
    if (stopping) process.exit(1);
    stopping = true;
    progress.done();
    io.out(`\n${signal}: stopping ${names.length} services ...`);
    void platform.stop(graceMs).then(() => {
      io.out('all services stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = await platform.start();
  progress.done();
  if (stopping) return new Promise<number>(() => {});
  if (!started) return 1;
  const urls = names.map((name) => ({ name, url: `http://127.0.0.1:${config.ports[name]}` }));
  await printReady(io, key, config, urls, options);
  return new Promise<number>(() => {});
}
