import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { serviceNames } from '../../platform/config/runtime.ts';
import { projectRoot } from '../../platform/paths.ts';

/**
 * Admin listeners on free ports: tests run side by side (and beside a developer's `npm start`),
 * so no spawned service may take a fixed operational port.
 */
export const anyAdminPort: Record<string, string> = Object.fromEntries(
  serviceNames.map((name) => [`PORTICO_${name.toUpperCase()}_ADMIN_PORT`, '0']),
);

export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * Runs the real `portico` command in a child process, as a user or an orchestrator would: the
 * installed bin, which runs the compiled JavaScript (built by the tests' global setup).
 */
export function spawnPortico(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Spawned {
  return spawnCaptured(process.execPath, [...nodeArgs, join(projectRoot, 'bin', 'portico.js'), ...args], env);
}

/**
 * A child in the project root with the tests' environment (no telemetry, JSON logs, admin
 * listeners on free ports) plus `env`, its stdout and stderr kept together as a user sees them.
 * What the developer's shell sets for their own platform (a Redis, a trace endpoint) is not
 * passed on: a test that wants a store or an exporter says so in `env`.
 */
export function spawnCaptured(command: string, args: string[], env: Record<string, string> = {}): Spawned {
  let output = '';
  const child = spawn(command, args, {
    cwd: projectRoot,
    env: {
      ...ownEnvironment(),
      APOLLO_TELEMETRY_DISABLED: 'true',
      PORTICO_LOG_PRETTY: 'false',
      ...anyAdminPort,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return { child, output: () => output, exited };
}

function ownEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL' && !name.startsWith('OTEL_')),
  );
}

/** Ports that were free a moment ago, for processes that must listen on a fixed port. */
export async function freePorts(count: number): Promise<number[]> {
  const { createServer } = await import('node:net');
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<import('node:net').Server>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(server)),
      );
    }),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}
