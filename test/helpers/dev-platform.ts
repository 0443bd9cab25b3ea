import { platformServices } from '../../cli/dev.ts';
import { freePorts, type Spawned, spawnPortico } from './process.ts';
import { waitFor } from './wait-for.ts';

export interface DevPlatform {
  proc: Spawned;
  ports: Record<string, number>;
  /** The dev token the launcher printed. */
  token: string;
  /** From spawning `portico dev` to its ready banner (every service it started answers /ready). */
  readySeconds: number;
  /** Ctrl-C, as a user stops it; resolves with the exit code. */
  stop(): Promise<number | string>;
}

/**
 * `npm start` (`portico dev`) as a user runs it, one process per service, moved to free ports
 * with the same environment overrides a user would set; `extraEnv` reaches every service.
 */
export async function startDevPlatform(
  args: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<DevPlatform> {
  const free = await freePorts(platformServices.length);
  const ports = Object.fromEntries(platformServices.map((name, i) => [name, free[i]!]));
  const env = Object.fromEntries(
    platformServices.map((name) => [`PORTICO_${name.toUpperCase()}_PORT`, String(ports[name])]),
  );
  const started = performance.now();
  const proc = spawnPortico(['dev', ...args], { ...env, ...extraEnv });
  await waitFor(() => proc.output().includes('Portico is ready') || proc.child.exitCode !== null, {
    timeoutMs: 120_000,
    intervalMs: 50,
  });
  const readySeconds = (performance.now() - started) / 1000;
  const token = /export PORTICO_TOKEN=(\S+)/.exec(proc.output())?.[1];
  if (!token) {
    proc.child.kill('SIGKILL');
    throw new Error(`portico dev did not start:\n${proc.output()}`);
  }
  return {
    proc,
    ports,
    token,
    readySeconds,
    async stop() {
      if (proc.child.exitCode === null) proc.child.kill('SIGINT');
      return proc.exited;
    },
  };
}
