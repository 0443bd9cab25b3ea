import { afterEach, describe, expect, it } from 'vitest';
import { waitUntilReady } from '../../cli/wait-ready.ts';
import { postGraphQL } from '../helpers/http.ts';
import { freePorts, type Spawned, spawnPortico } from '../helpers/process.ts';

const services = [
  'gateway',
  'models',
  'billing',
  'metering',
  'health',
  'issuer',
  'web',
  'mobile',
  'cli',
] as const;

/** `npm start` on free ports (the same env overrides a user would set to move it). */
async function startDev(args: string[]): Promise<{ proc: Spawned; ports: Record<string, number> }> {
  const free = await freePorts(services.length);
  const ports = Object.fromEntries(services.map((name, i) => [name, free[i]!]));
  const env = Object.fromEntries(
    services.map((name) => [`PORTICO_${name.toUpperCase()}_PORT`, String(ports[name])]),
  );
  const proc = spawnPortico(['dev', ...args], env);
  const until = Date.now() + 90_000;
  while (!proc.output().includes('Portico is ready') && Date.now() < until) {
    if (proc.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { proc, ports };
}

function tokenFrom(output: string): string {
  const match = /export TOKEN=(\S+)/.exec(output);
  if (!match) throw new Error(`no token in output:\n${output}`);
  return match[1]!;
}

describe('npm start (portico dev)', () => {
  let running: Spawned | undefined;
  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGINT');
      await running.exited;
    }
    running = undefined;
  });

  it('boots every service, prints a working token and curl, and stops cleanly on Ctrl-C', async () => {
    const { proc, ports } = await startDev([]);
    running = proc;
    expect(proc.output()).toMatch(/Portico is ready in [\d.]+ s/);
    const urls = services.map((name) => ({ name, url: `http://127.0.0.1:${ports[name]}` }));
    expect(await waitUntilReady(urls, 5_000)).toEqual([]);
    const curlBody = /-d '(\{.*\})'/.exec(proc.output())?.[1];
    expect(curlBody).toBeDefined();
    const { status, body } = await postGraphQL(`http://127.0.0.1:${ports.gateway}/graphql`, curlBody, {
      token: tokenFrom(proc.output()),
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.tenant.name).toBe('Acme Corp');
    expect(body.data.models.nodes).toHaveLength(3);
    const home = await postGraphQL(
      `http://127.0.0.1:${ports.mobile}/graphql`,
      { query: '{ home { greeting status } }' },
      { token: tokenFrom(proc.output()) },
    );
    expect(home.body).toEqual({ data: { home: { greeting: 'Hi Grace', status: expect.any(String) } } });
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toMatch(/all services stopped/);
    await expect(fetch(`http://127.0.0.1:${ports.gateway}/health`)).rejects.toThrow();
  });

  it('starts degraded: --without leaves a subgraph out, --delay slows one down', async () => {
    const { proc, ports } = await startDev(['--without', 'billing', '--delay', 'health=2000']);
    running = proc;
    expect(proc.output()).toMatch(/left out: billing/);
    await expect(fetch(`http://127.0.0.1:${ports.billing}/health`)).rejects.toThrow();

    const token = tokenFrom(proc.output());
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

    const direct = await postGraphQL(`http://127.0.0.1:${ports.health}/graphql`, {
      query: '{ health { status } }',
    });
    expect(direct.ms).toBeGreaterThanOrEqual(1_900);
    expect(direct.body.data.health.status).toBeDefined();
    // The gateway's health timeout (1.5 s in portico.yaml) is shorter than the delay.
    const viaGateway = await postGraphQL(gateway, { query: '{ health { status } }' });
    expect(viaGateway.body.data.health).toBeNull();
    expect(viaGateway.body.errors[0].extensions).toMatchObject({
      code: 'SUBGRAPH_TIMEOUT',
      service: 'health',
    });
  });
});
