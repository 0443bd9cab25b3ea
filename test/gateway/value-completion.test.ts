import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../helpers/fault-server.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

/**
 * A subgraph that breaks its own schema (null for a non-null field): @apollo/gateway reports it
 * as `extensions.valueCompletion`, messages naming the subgraph's types. That is subgraph detail:
 * the client gets the data as shaped, without it.
 */
describe('a subgraph answering values its schema forbids', () => {
  let platform: TestPlatform;
  let health: FaultServer;

  beforeAll(async () => {
    health = await startFaultServer();
    platform = await startPlatform({ subgraphUrls: { health: health.url } });
  });
  afterAll(async () => {
    await platform.close();
    await health.close();
  });

  it('answers without extensions.valueCompletion', async () => {
    health.set({ kind: 'status', status: 200, body: JSON.stringify({ data: { health: { status: null } } }) });
    const { status, body } = await platform.query({ query: '{ health { status } }' });
    expect(status).toBe(200);
    expect(health.calls).toBe(1);
    expect(body.data).toEqual({ health: null });
    expect(body.extensions?.valueCompletion).toBeUndefined();
    expect(JSON.stringify(body)).not.toMatch(/non-nullable|HealthSummary/);
  });
});
