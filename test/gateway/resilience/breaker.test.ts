import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFromRoot } from '../../../platform/config/load.ts';
import { type Fault, type FaultServer, startFaultServer } from '../../helpers/fault-server.ts';
import { startPlatform, type TestPlatform } from '../../helpers/platform.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const QUERY = '{ tenant { name usage { requests } } }';
const OPEN_MS = 1_000;
const subgraphDefaults = (openMs: number) => ({
  timeoutMs: 2_000,
  dedup: false,
  retry: { maxAttempts: 1 },
  breaker: { minimumCalls: 4, failureRatio: 0.5, openMs, halfOpenProbes: 2, windowMs: 10_000 },
});
const unavailable: Fault = { kind: 'status', status: 503 };
const ok: Fault = { kind: 'ok' };

async function circuitState(gateway: { adminUrl: string }): Promise<number | undefined> {
  const response = await request(`${gateway.adminUrl}/metrics`);
  const text = await response.body.text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('gateway_subgraph_circuit_state{') && l.includes('subgraph="metering"'));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

const gatewayOf = (platform: TestPlatform) => ({ adminUrl: platform.gatewayAdminUrl });

/**
 * The breaker wired into the gateway, over real HTTP. Its state machine (ratios, windows,
 * half-open accounting, the generation guard) is tested on a fake clock in
 * test/gateway/transport/breaker.unit.ts.
 */
describe('the circuit breaker', () => {
  let platform: TestPlatform;
  let metering: FaultServer;
  let token: string;
  let dir: string;
  let supergraphPath: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portico-breaker-'));
    supergraphPath = join(dir, 'supergraph.graphql');
    copyFileSync(resolveFromRoot('supergraph.graphql'), supergraphPath);
    metering = await startFaultServer({ upstream: 'metering' });
    platform = await startPlatform({
      subgraphUrls: { metering: metering.url },
      gateway: { gateway: { subgraphDefaults: subgraphDefaults(OPEN_MS) } },
    });
    token = await platform.token();
  });
  afterAll(async () => {
    await platform.close();
    await metering.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const usageCode = async (gateway: Pick<TestPlatform, 'query'> = platform) => {
    const { body, ms } = await gateway.query({ query: QUERY }, { token });
    expect(body.data.tenant.name).toBe('Acme Corp');
    return { code: body.errors?.[0]?.extensions.code as string | undefined, body, ms };
  };

  const openTheCircuit = async (gateway: Pick<TestPlatform, 'query'> = platform) => {
    metering.set(unavailable);
    for (let i = 0; i < 4; i += 1) expect((await usageCode(gateway)).code).toBe('SUBGRAPH_UNAVAILABLE');
  };

  it('opens after the failure ratio, fails fast, half-opens, and closes on good probes', async () => {
    metering.reset();
    await openTheCircuit();
    expect(metering.calls).toBe(4);
    expect(await circuitState(gatewayOf(platform))).toBe(2);

    // Open: answered without a call, with the code that says so.
    const fast = await usageCode();
    expect(fast.code).toBe('SUBGRAPH_CIRCUIT_OPEN');
    expect(fast.body.errors[0]).toMatchObject({
      path: ['tenant', 'usage'],
      extensions: { service: 'metering', retryable: true },
    });
    expect(metering.calls).toBe(4);

    // After openMs, probes go through; two good ones close it.
    metering.set(ok);
    await sleep(OPEN_MS + 50);
    expect((await usageCode()).code).toBeUndefined();
    expect(await circuitState(gatewayOf(platform))).toBe(1);
    expect((await usageCode()).code).toBeUndefined();
    expect(await circuitState(gatewayOf(platform))).toBe(0);
    expect(metering.calls).toBe(6);
  });

  it('stays open across a supergraph reload', async () => {
    // A gateway of its own whose circuit stays open for a minute, however long the reload takes.
    const watched = await platform.addGateway({
      gateway: { supergraphPath, watchSupergraph: true, subgraphDefaults: subgraphDefaults(60_000) },
    });
    await openTheCircuit(watched);
    metering.reset();
    const marker = `Reloaded ${Date.now()}`;
    const sdl = readFileSync(supergraphPath, 'utf8');
    // A new routing URL for metering makes @apollo/gateway build a new data source for it (the
    // gateway config still points it at the fault server); the description shows the reload landed.
    const reloaded = sdl
      .replace(/"""?Platform status\.[^"]*"""?/, `"${marker}"`)
      .replace(/(name: "metering", url: ")[^"]+/, '$1http://127.0.0.1:4999/graphql');
    expect(reloaded).not.toBe(sdl);
    writeFileSync(supergraphPath, reloaded);
    const describeHealth = '{ __schema { queryType { fields { name description } } } }';
    const healthDescription = async () => {
      const { body } = await watched.query({ query: describeHealth }, { token });
      return body.data?.__schema.queryType.fields.find((f: { name: string }) => f.name === 'health')
        ?.description;
    };
    await waitFor(async () => (await healthDescription()) === marker, { timeoutMs: 30_000, intervalMs: 100 });
    expect(await healthDescription()).toBe(marker);
    // The new schema's data sources share the old breaker: still open, still no call.
    expect((await usageCode(watched)).code).toBe('SUBGRAPH_CIRCUIT_OPEN');
    expect(metering.calls).toBe(0);
  });
});
