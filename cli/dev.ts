import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadOrCreateDevKey } from '../issuer/keys.ts';
import { issuerIdentity, signDevToken } from '../issuer/sign.ts';
import { loadConfig, resolveFromRoot } from '../platform/config/load.ts';
import type { ServiceName } from '../platform/config/runtime.ts';
import { readyBanner } from './dev-banner.ts';
import type { CommandIO } from './io.ts';
import { waitUntilReady } from './wait-ready.ts';

/** What `npm start` runs, in start order. */
export const platformServices: ServiceName[] = [
  'issuer',
  'models',
  'billing',
  'metering',
  'health',
  'gateway',
  'web',
  'mobile',
  'cli',
];
const bffs = new Set<string>(['web', 'mobile', 'cli']);
const optional = new Set<string>(['models', 'billing', 'metering', 'health']);

const usage = 'usage: portico dev [--without <subgraph>]... [--delay <subgraph>=<ms>]... [--verbose]';

interface DevOptions {
  without: Set<string>;
  delays: Map<string, number>;
  verbose: boolean;
}

export function parseDevArgs(argv: string[]): DevOptions | string {
  let values: { without?: string[]; delay?: string[]; verbose?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        without: { type: 'string', multiple: true },
        delay: { type: 'string', multiple: true },
        verbose: { type: 'boolean' },
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
  return { without, delays, verbose: values.verbose === true };
}

function pipeWithPrefix(child: ChildProcess, name: string, io: CommandIO): void {
  const prefix = `${name.padEnd(8)} |`;
  for (const [stream, write] of [
    [child.stdout, io.out],
    [child.stderr, io.err],
  ] as const) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.length > 0) write(`${prefix} ${line}`);
    });
  }
}

/**
 * `npm start`: the whole platform on this machine, one child process per service (as in
 * docker-compose), in-memory stores and the local dev issuer. Waits until every service is ready,
 * then prints the URLs, a token and a curl command. Ctrl-C drains every child and exits 0.
 */
export async function devCommand(argv: string[], io: CommandIO): Promise<number> {
  const options = parseDevArgs(argv);
  if (typeof options === 'string') {
    io.err(`${options}\n${usage}`);
    return 2;
  }
  const config = loadConfig();
  const started = Date.now();
  const key = await loadOrCreateDevKey(resolveFromRoot(config.devIssuer.keyFile));
  const tsx = import.meta.resolve('tsx');
  const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const stopAll = async (signal: NodeJS.Signals = 'SIGTERM') => {
    stopping = true;
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill(signal);
          }),
      ),
    );
  };

  const services = platformServices.filter((name) => !options.without.has(name));
  for (const name of services) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      APOLLO_TELEMETRY_DISABLED: 'true',
      PORTICO_LOG_LEVEL: process.env.PORTICO_LOG_LEVEL ?? (options.verbose ? 'info' : 'warn'),
      PORTICO_LOG_PRETTY: process.env.PORTICO_LOG_PRETTY ?? (process.stdout.isTTY ? 'true' : 'false'),
    };
    if (name === 'gateway') {
      // The supergraph's routing URLs name the default ports; route to where this launcher put each subgraph.
      for (const subgraph of optional)
        env[`PORTICO_SUBGRAPH_${subgraph.toUpperCase()}_URL`] =
          `http://127.0.0.1:${config.ports[subgraph as ServiceName]}/graphql`;
    }
    if (bffs.has(name)) env.PORTICO_GATEWAY_URL = `http://127.0.0.1:${config.ports.gateway}/graphql`;
    const delay = options.delays.get(name);
    if (delay !== undefined) env.PORTICO_FAULT_DELAY_MS = String(delay);
    const child = spawn(process.execPath, ['--import', tsx, entry, 'serve', name], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pipeWithPrefix(child, name, io);
    child.on('exit', (code, signal) => {
      if (!stopping) io.err(`${name} exited unexpectedly (${signal ?? `code ${code}`})`);
    });
    children.set(name, child);
  }

  const onSignal = (signal: NodeJS.Signals) => {
    io.out(`\n${signal}: stopping ${children.size} services ...`);
    void stopAll('SIGTERM').then(() => {
      io.out('all services stopped');
      process.exit(0);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const urls = services.map((name) => ({ name, url: `http://127.0.0.1:${config.ports[name]}` }));
  const failed = await waitUntilReady(urls, 60_000, () =>
    [...children.entries()].filter(([, c]) => c.exitCode !== null).map(([n]) => n),
  );
  if (failed.length > 0) {
    io.err(`not ready: ${failed.join(', ')}; stopping`);
    await stopAll();
    return 1;
  }
  const token = await signDevToken(
    key,
    { sub: 'acme-user-1', tenant: 'acme', scopes: ['billing:read'], ttl: '12h' },
    issuerIdentity(config.auth),
  );
  io.out(
    readyBanner({
      seconds: (Date.now() - started) / 1000,
      urls,
      token,
      gatewayPort: config.ports.gateway,
      ...options,
    }),
  );
  return new Promise<number>(() => {});
}
