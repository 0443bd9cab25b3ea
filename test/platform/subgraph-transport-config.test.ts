import { describe, expect, it } from 'vitest';
import { createPolicies } from '../../gateway/transport/policy.ts';
import { testConfig } from '../helpers/config.ts';

describe('per-subgraph transport policy', () => {
  it('merges a subgraph override over the defaults key by key, nested groups included', () => {
    const config = testConfig({
      gateway: {
        subgraphDefaults: { retry: { maxAttempts: 4 } },
        subgraphs: { metering: { timeoutMs: 700, retry: { budgetPercent: 5 }, hedge: { enabled: true } } },
      },
    });
    const policyFor = createPolicies(config.gateway);
    const metering = policyFor('metering');
    expect(metering.timeoutMs).toBe(700);
    expect(metering.retry).toMatchObject({ maxAttempts: 4, budgetPercent: 5, baseDelayMs: 25 });
    expect(metering.hedge).toEqual({ enabled: true, percentile: 95, minSamples: 20 });
    expect(metering.breaker.enabled).toBe(true);
    expect(policyFor('models').retry).toMatchObject({ maxAttempts: 4, budgetPercent: 10 });
    expect(policyFor('models').timeoutMs).toBe(3_000);
  });

  it('names a misspelt or out-of-range key', () => {
    expect(() => testConfig({ gateway: { subgraphs: { metering: { retry: { maxAtempts: 2 } } } } })).toThrow(
      /gateway\.subgraphs\.metering\.retry\.maxAtempts/,
    );
    expect(() => testConfig({ gateway: { subgraphDefaults: { breaker: { failureRatio: 2 } } } })).toThrow(
      /gateway\.subgraphDefaults\.breaker\.failureRatio/,
    );
    expect(() => testConfig({ gateway: { subgraphs: { models: { canary: { percent: 5 } } } } })).toThrow(
      /gateway\.subgraphs\.models\.canary\.url/,
    );
  });
});
