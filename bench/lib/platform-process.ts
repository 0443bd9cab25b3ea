import { platformServices } from '../../cli/dev.ts';
import { waitUntilReady } from '../../cli/wait-ready.ts';
import { freePorts, type Spawned, spawnPortico } from '../../test/helpers/process.ts';

export interface RunningPlatform {
  proc: Spawned;
  ports: Record<string, number>;
  token: string;
  readySeconds: number;
  stop(): Promise<void>;
}

/** `portico dev` as a user starts it (one process per service), on free ports; `extraEnv` reaches every service. */
export async function startPlatformProcesses(
  args: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<RunningPlatform> {
  const free = await freePorts(platformServices.length);
  const ports = Object.fromEntries(platformServices.map((name, i) => [name, free[i]!]));
  const env = Object.fromEntries(
    platformServices.map((name) => [`PORTICO_${name.toUpperCase()}_PORT`, String(ports[name])]),
  );
  const started = performance.now();
  const proc = spawnPortico(['dev', ...args], { ...env, ...extraEnv });
  const until = Date.now() + 120_000;
  while (!proc.output().includes('Portico is ready') && Date.now() < until && proc.child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const readySeconds = (performance.now() - started) / 1000;
  const token = /export TOKEN=(\S+)/.exec(proc.output())?.[1];
  if (!token) throw new Error(`platform did not start:\n${proc.output()}`);
  const urls = platformServices.map((name) => ({ name, url: `http://127.0.0.1:${ports[name]}` }));
  if ((await waitUntilReady(urls, 5_000)).length > 0) throw new Error('not ready');
  return {
    proc,
    ports,
    token,
    readySeconds,
    async stop() {
      proc.child.kill('SIGINT');
      await proc.exited;
    },
  };
}
