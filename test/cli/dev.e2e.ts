import { afterEach, describe, expect, it } from 'vitest';
import { platformServices } from '../../cli/dev.ts';
import { waitUntilReady } from '../../cli/wait-ready.ts';
import { emptyConfigDir, spawnCli } from '../helpers/cli.ts';
import { type DevPlatform, startDevPlatform } from '../helpers/dev-platform.ts';
import { postGraphQL } from '../helpers/http.ts';

// Above startDevPlatform's own 120 s wait for the banner, so a slow start fails with its output
// and the platform is still stopped afterwards, instead of the test timing out first.
const START_TIMEOUT_MS = 150_000;

describe('npm start (portico dev)', () => {
  let running: DevPlatform | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it(
    'boots every service, prints a working token and curl, and stops cleanly on Ctrl-C',
    async () => {
      running = await startDevPlatform();
      const { proc, ports, token } = running;
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
      expect(await running.stop()).toBe(0);
      expect(proc.output()).toMatch(/all services stopped/);
      await expect(fetch(`http://127.0.0.1:${ports.gateway}/health`)).rejects.toThrow();
    },
    START_TIMEOUT_MS,
  );

  it(
    'starts degraded: --without leaves a subgraph out, --delay slows one down',
    async () => {
      running = await startDevPlatform(['--without', 'billing', '--delay', 'health=2000']);
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
    },
    START_TIMEOUT_MS,
  );
});
