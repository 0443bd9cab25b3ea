import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { platformServices } from '../../cli/dev.ts';
import { waitUntilReady } from '../../cli/wait-ready.ts';
import { asGateway } from '../helpers/assertions.ts';
import { emptyConfigDir, spawnCli } from '../helpers/cli.ts';
import {
  alive,
  type DevPlatform,
  heldPorts,
  platformPorts,
  runDevUntilExit,
  spawnDev,
  startDevPlatform,
} from '../helpers/dev-platform.ts';
import { postGraphQL } from '../helpers/http.ts';
import { freePorts, type Spawned } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * `npm start` as users and process managers run it: through npm, whose PID is the one a
 * supervisor holds, with the services on free ports. Every test ends with every port free.
 */
describe('npm start (portico dev)', () => {
  let running: DevPlatform | undefined;
  // Launchers a test spawns itself: a failed or timed-out test must not leave one holding ports.
  const launched: Spawned[] = [];
  const track = (proc: Spawned) => launched.push(proc);
  const launch = (options: Parameters<typeof spawnDev>[0]): Spawned => {
    const proc = spawnDev(options);
    track(proc);
    return proc;
  };
  afterEach(async () => {
    for (const proc of launched.splice(0)) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    if (!running) return;
    if (alive(running.launcherPid)) process.kill(running.launcherPid, 'SIGKILL');
    running.proc.child.kill('SIGKILL');
    running = undefined;
  });

  it('boots every service with progress, serves the printed curl, and stops on SIGTERM to npm', async () => {
    running = await startDevPlatform();
    const { proc, ports, token } = running;
    expect(proc.output()).toMatch(/launcher pid \d+: Ctrl-C or kill -TERM \d+ stops them all/);
    expect(proc.output()).toMatch(
      new RegExp(`\\d/${platformServices.length} ready, waiting for [a-z, ]+ \\(\\d+ s\\)`),
    );
    expect(proc.output()).toMatch(/Portico is ready in [\d.]+ s/);
    const urls = platformServices.map((name) => ({ name, url: `http://127.0.0.1:${ports[name]}` }));
    expect(await waitUntilReady(urls, 5_000)).toEqual([]);
    const curlBody = /-d '(\{.*\})'/.exec(proc.output())?.[1];
    expect(curlBody).toBeDefined();
    const { status, body } = await postGraphQL(`http://127.0.0.1:${ports.gateway}/graphql`, curlBody, {
      token,
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.tenant.name).toBe('Acme Corp');
    expect(body.data.models.nodes).toHaveLength(3);
    const home = await postGraphQL(
      `http://127.0.0.1:${ports.mobile}/graphql`,
      { query: '{ home { greeting status } }' },
      { token },
    );
    expect(home.body).toEqual({ data: { home: { greeting: 'Hi Grace', status: expect.any(String) } } });
    // The banner's export lines, pasted as they are, are what the terminal client reads.
    const exported = Object.fromEntries(
      [...proc.output().matchAll(/^ {2}export (PORTICO_\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.keys(exported).sort()).toEqual(['PORTICO_CLI_URL', 'PORTICO_TOKEN']);
    const client = await spawnCli(['status'], { ...exported, PORTICO_CONFIG_DIR: emptyConfigDir() });
    expect(client.code, client.stderr).toBe(0);
    expect(client.stdout).toMatch(/\nAccount {3}Acme Corp · Enterprise · /);

    expect(await running.stop('SIGTERM')).toBe(0);
    expect(proc.output()).toContain(`SIGTERM: stopping ${platformServices.length} services`);
    expect(proc.output()).toMatch(/all services stopped/);
    expect(alive(running.launcherPid)).toBe(false);
    expect(await heldPorts(ports)).toEqual([]);
  });

  it('starts degraded (--without, --delay) and stops on SIGINT to npm', async () => {
    running = await startDevPlatform({ args: ['--without', 'billing', '--delay', 'health=2000'] });
    const { proc, ports, token } = running;
    expect(proc.output()).toMatch(/left out: billing/);
    await expect(fetch(`http://127.0.0.1:${ports.billing}/health`)).rejects.toThrow();

    const gateway = `http://127.0.0.1:${ports.gateway}/graphql`;
    const { body } = await postGraphQL(
      gateway,
      { query: '{ tenant { name } models(first: 1) { nodes { id } } }' },
      { token },
    );
    expect(body.data.models.nodes).toHaveLength(1);
    expect(body.data.tenant).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ['tenant'],
        extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', service: 'billing' }),
      }),
    ]);

    // Straight to the subgraph, as the gateway would call it (it answers nothing else).
    const direct = await postGraphQL(
      `http://127.0.0.1:${ports.health}/graphql`,
      { query: '{ health { status } }' },
      { headers: await asGateway({ audience: 'health' }) },
    );
    expect(direct.ms).toBeGreaterThanOrEqual(1_900);
    expect(direct.body.data.health.status).toBeDefined();
    // The gateway's health timeout (1.5 s in portico.yaml) is shorter than the delay.
    const viaGateway = await postGraphQL(gateway, { query: '{ health { status } }' });
    expect(viaGateway.body.data.health).toBeNull();
    expect(viaGateway.body.errors[0].extensions).toMatchObject({
      code: 'SUBGRAPH_TIMEOUT',
      service: 'health',
    });

    expect(await running.stop('SIGINT')).toBe(0);
    expect(alive(running.launcherPid)).toBe(false);
    expect(await heldPorts(ports)).toEqual([]);
  });

  it('--processes: one process per service, and none left behind when the launcher is killed (SIGKILL)', async () => {
    running = await startDevPlatform({ via: 'bin', args: ['--processes'] });
    const token = running.token;
    const home = await postGraphQL(
      `http://127.0.0.1:${running.ports.mobile}/graphql`,
      { query: '{ home { greeting } }' },
      { token },
    );
    expect(home.body).toEqual({ data: { home: { greeting: 'Hi Grace' } } });
    process.kill(running.launcherPid, 'SIGKILL');
    // Each service sees its channel to the launcher close, drains and exits.
    expect(await heldPorts(running.ports, 30_000)).toEqual([]);
  });

  it('names a taken port and the variable that moves it, and starts nothing', async () => {
    const ports = await platformPorts();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(ports.web, '127.0.0.1', resolve));
    try {
      const proc = launch({ ports, via: 'bin' });
      expect(await proc.exited).toBe(1);
      expect(proc.output()).toContain(
        `port ${ports.web} (web) is in use: stop what holds it, or set PORTICO_WEB_PORT to another port`,
      );
      expect(proc.output()).not.toMatch(/^\s+at /m);
      const { web: _taken, ...others } = ports;
      expect(await heldPorts(others, 1_000)).toEqual([]);
    } finally {
      squatter.close();
    }
  });

  it('names a taken admin port and its variable too', async () => {
    const ports = await platformPorts();
    const [adminPort] = await freePorts(1);
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(adminPort, '127.0.0.1', resolve));
    try {
      const proc = launch({ ports, via: 'bin', env: { PORTICO_GATEWAY_ADMIN_PORT: String(adminPort) } });
      expect(await proc.exited).toBe(1);
      expect(proc.output()).toContain(
        `admin port ${adminPort} (gateway) is in use: stop what holds it, or set PORTICO_GATEWAY_ADMIN_PORT to another port`,
      );
      expect(await heldPorts(ports, 1_000)).toEqual([]);
    } finally {
      squatter.close();
    }
  });

  it('names a service that cannot start with its error, and stops the rest', async () => {
    const { proc, ports, code } = await runDevUntilExit(
      { via: 'bin', env: { PORTICO_SUPERGRAPH: 'no-such-supergraph.graphql' } },
      track,
    );
    expect(code).toBe(1);
    const output = proc.output();
    expect(output).toMatch(/^gateway could not start: .*no-such-supergraph\.graphql/m);
    expect(output).toMatch(/stopping the other services/);
    expect(output).not.toMatch(/^\s+at /m);
    expect(await heldPorts(ports)).toEqual([]);
  });

  it('--processes: names a service that crashed before it was ready with its last lines, and stops the rest', async () => {
    const { proc, ports, code } = await runDevUntilExit(
      { via: 'bin', args: ['--processes'], env: { PORTICO_SUPERGRAPH: 'no-such-supergraph.graphql' } },
      track,
    );
    expect(code).toBe(1);
    const output = proc.output();
    expect(output).toMatch(/gateway exited \(code 1\) before it was ready; its last lines:/);
    expect(output).toMatch(/^ {4}portico: .*no-such-supergraph\.graphql/m);
    expect(output).toMatch(/stopping the other services/);
    await waitFor(() => proc.child.exitCode !== null);
    expect(await heldPorts(ports)).toEqual([]);
  });
});
