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
// Long enough that a supergraph reload (watch, debounce, rebuild) lands while the circuit is still open.
const OPEN_MS = 1_000;
const unavailable: Fault = { kind: 'status', status: 503 };
const ok: Fault = { kind: 'ok' };

async function circuitState(platform: TestPlatform): Promise<number | undefined> {
  const response = await request(`${platform.gatewayAdminUrl}/metrics`);
  const text = await response.body.text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('gateway_subgraph_circuit_state{') && l.includes('subgraph="metering"'));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

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
      gateway: {
        gateway: {
          supergraphPath,
          watchSupergraph: true,
          subgraphDefaults: {
            timeoutMs: 2_000,
            dedup: false,
            retry: { maxAttempts: 1 },
            breaker: {
              minimumCalls: 4,
              failureRatio: 0.5,
              openMs: OPEN_MS,
              halfOpenProbes: 2,
              windowMs: 10_000,
            },
          },
        },
      },
    });
    token = await platform.token();
  });
  afterAll(async () => {
    await platform.close();
    await metering.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const usageCode = async () => {
    const { body, ms } = await platform.query({ query: QUERY }, { token });
    expect(body.data.tenant.name).toBe('Acme Corp');
    return { code: body.errors?.[0]?.extensions.code as string | undefined, body, ms };
  };

  const openTheCircuit = async () => {
    metering.set(unavailable);
    for (let i = 0; i < 4; i += 1) expect((await usageCode()).code).toBe('SUBGRAPH_UNAVAILABLE');
  };

  it('opens after the failure ratio, fails fast, half-opens, and closes on good probes', async () => {
    metering.reset();
    await openTheCircuit();
    expect(metering.calls).toBe(4);
    expect(await circuitState(platform)).toBe(2);

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
    expect(await circuitState(platform)).toBe(1);
    expect((await usageCode()).code).toBeUndefined();
    expect(await circuitState(platform)).toBe(0);
    expect(metering.calls).toBe(6);
  });

  it('a failed probe opens it again', async () => {
    await openTheCircuit();
    await sleep(OPEN_MS + 50);
    metering.reset();
    expect((await usageCode()).code).toBe('SUBGRAPH_UNAVAILABLE');
    expect((await usageCode()).code).toBe('SUBGRAPH_CIRCUIT_OPEN');
    expect(metering.calls).toBe(1);
    metering.set(ok);
    await sleep(OPEN_MS + 50);
    await usageCode();
    await usageCode();
    expect(await circuitState(platform)).toBe(0);
  });

  it('half-open lets only halfOpenProbes calls through at a time', async () => {
    await openTheCircuit();
    await sleep(OPEN_MS + 50);
    metering.reset();
    // Probes slow enough that all five calls reach the breaker while the two are in flight.
    metering.set({ kind: 'slow', ms: 1_000 });
    const results = await Promise.all(Array.from({ length: 5 }, () => usageCode()));
    const codes = results.map((r) => r.code ?? 'OK').sort();
    expect(codes).toEqual([
      'OK',
      'OK',
      'SUBGRAPH_CIRCUIT_OPEN',
      'SUBGRAPH_CIRCUIT_OPEN',
      'SUBGRAPH_CIRCUIT_OPEN',
    ]);
    expect(metering.calls).toBe(2);
    metering.set(ok);
    expect(await circuitState(platform)).toBe(0);
  });

  it('stays open across a supergraph reload', async () => {
    await openTheCircuit();
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
    await waitFor(async () => {
      const { body } = await platform.query({ query: describeHealth }, { token });
      const health = body.data?.__schema.queryType.fields.find((f: { name: string }) => f.name === 'health');
      return health?.description === marker;
    });
    const { body } = await platform.query({ query: describeHealth }, { token });
    expect(
      body.data.__schema.queryType.fields.find((f: { name: string }) => f.name === 'health').description,
    ).toBe(marker);
    // The new schema's data sources share the old breaker: still open, still no call.
    expect((await usageCode()).code).toBe('SUBGRAPH_CIRCUIT_OPEN');
    expect(metering.calls).toBe(0);
  });
});
