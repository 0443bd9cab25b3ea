import { createServer } from 'node:net';
import { platformServices } from '../../cli/dev.ts';
import { portVariable } from '../../platform/services.ts';
import { testKeyFiles } from './config.ts';
import { freePorts, type Spawned, spawnCaptured, spawnPortico } from './process.ts';
import { waitFor } from './wait-for.ts';

export interface DevPlatform {
  proc: Spawned;
  ports: Record<string, number>;
  /** The dev token the launcher printed. */
  token: string;
  /** The launcher's own PID, as it printed it (with `npm start`, npm's child). */
  launcherPid: number;
  /** From spawning the command to its ready banner (every service it started answers /ready). */
  readySeconds: number;
  /** SIGINT (Ctrl-C) or another signal to the spawned process; resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export interface DevPlatformOptions {
  args?: string[];
  /** Reaches the launcher and so every service. */
  env?: Record<string, string>;
  /** `npm start -- <args>` as a user types it (the default), or `portico dev` through the bin. */
  via?: 'npm' | 'bin';
  /** Ports to use instead of free ones (a test that takes one first, say). */
  ports?: Record<string, number>;
}

/** The `PORTICO_<NAME>_PORT` variables that put every service on the given ports. */
export /**
 * The ports to move the services to, and this test process's assertion keys (so a test can call
 * a subgraph as the gateway would, and the developer's own keys in .portico/ are left alone).
 */
function portEnv(ports: Record<string, number>): Record<string, string> {
  const keys = testKeyFiles();
  return {
    ...Object.fromEntries(platformServices.map((name) => [portVariable(name), String(ports[name])])),
    PORTICO_SUBGRAPH_AUTH_KEYS_FILE: keys.signingKeysFile,
    PORTICO_SUBGRAPH_AUTH_JWKS_FILE: keys.jwksFile,
  };
}

/** Free ports for every service of the platform. */
export async function platformPorts(): Promise<Record<string, number>> {
  const free = await freePorts(platformServices.length);
  return Object.fromEntries(platformServices.map((name, i) => [name, free[i]!]));
}

/**
 * Runs the launcher on free ports until it exits, for a test of a start that must fail. Ports free
 * a moment ago can be taken by another test file first: a run that failed on a taken port (not
 * the failure the test set up) is run again on new ones, at most three runs.
 */
export async function runDevUntilExit(
  options: Omit<DevPlatformOptions, 'ports'>,
  track: (proc: Spawned) => void,
): Promise<{ proc: Spawned; ports: Record<string, number>; code: number | string }> {
  for (let attempt = 1; ; attempt += 1) {
    const ports = await platformPorts();
    const proc = spawnDev({ ...options, ports });
    track(proc);
    const code = await proc.exited;
    if (attempt === 3 || !/ is in use/.test(proc.output())) return { proc, ports, code };
  }
}

/** Spawns the launcher without waiting for anything. */
export function spawnDev(options: DevPlatformOptions & { ports: Record<string, number> }): Spawned {
  const env = { ...portEnv(options.ports), ...options.env };
  const args = options.args ?? [];
  if (options.via === 'bin') return spawnPortico(['dev', ...args], env);
  return spawnCaptured('npm', ['start', '--', ...args], env);
}

/**
 * `npm start` (`portico dev`) as a user runs it (all services in one process unless `args` asks
 * for `--processes`), moved to free ports
 * with the same environment overrides a user would set.
 */
export async function startDevPlatform(options: DevPlatformOptions = {}): Promise<DevPlatform> {
  // Ports free a moment ago can be taken by another test file before the launcher binds them; with
  // ports of its own choosing, a start the launcher refused for a taken port is tried on new ones.
  for (let attempt = 1; ; attempt += 1) {
    const ports = options.ports ?? (await platformPorts());
    const started = performance.now();
    const proc = spawnDev({ ...options, ports });
    await waitFor(() => proc.output().includes('Portico is ready') || proc.child.exitCode !== null, {
      timeoutMs: 150_000,
      intervalMs: 50,
    });
    const readySeconds = (performance.now() - started) / 1000;
    const token = /export PORTICO_TOKEN=(\S+)/.exec(proc.output())?.[1];
    const launcherPid = Number(/launcher pid (\d+)/.exec(proc.output())?.[1]);
    if (token) return running(proc, ports, token, launcherPid, readySeconds);
    proc.child.kill('SIGKILL');
    if (launcherPid && alive(launcherPid)) process.kill(launcherPid, 'SIGKILL');
    await proc.exited;
    const portTaken = / is in use: /.test(proc.output());
    if (!portTaken || options.ports || attempt === 3) {
      throw new Error(`portico dev did not start:\n${proc.output()}`);
    }
  }
}

function running(
  proc: Spawned,
  ports: Record<string, number>,
  token: string,
  launcherPid: number,
  readySeconds: number,
): DevPlatform {
  return {
    proc,
    ports,
    token,
    launcherPid,
    readySeconds,
    async stop(signal = 'SIGINT') {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
      return proc.exited;
    },
  };
}

/** Whether nothing listens on the port (it can be bound on 127.0.0.1). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** The ports still held after `timeoutMs` (empty once every one is free). */
export async function heldPorts(ports: Record<string, number>, timeoutMs = 20_000): Promise<string[]> {
  const held = async () => {
    const free = await Promise.all(Object.values(ports).map(portIsFree));
    return Object.keys(ports).filter((_, i) => !free[i]);
  };
  await waitFor(async () => (await held()).length === 0, { timeoutMs, intervalMs: 100 });
  return held();
}

/** Whether a process with this PID still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
