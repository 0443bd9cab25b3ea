import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config/load.ts';

const limit = { name: 'a', per: 'tenant', limit: 10, windowSec: 60 };
const withLimits = (limits: unknown[]) => () =>
  loadConfig({ env: {}, overrides: { rateLimits: { limits } } });

describe('rate-limit and scale-out settings', () => {
  it('portico.yaml declares the default limits (every kind of caller under one), fail-open, and no proxy trusted', () => {
    const config = loadConfig({ env: {} });
    const row = (l: (typeof config.rateLimits.limits)[number]) => [
      l.name,
      l.per,
      l.measure,
      l.limit,
      l.windowSec,
      l.callers,
    ];
    expect(config.rateLimits.limits.map(row)).toEqual([
      ['tenant-requests', 'tenant', 'requests', 600, 60, 'all'],
      ['tenant-cost', 'tenant', 'cost', 2_000_000, 86_400, 'all'],
      ['user-requests', 'user', 'requests', 600, 60, 'tenantless'],
      ['user-cost', 'user', 'cost', 2_000_000, 86_400, 'tenantless'],
      ['client-requests', 'apiKey', 'requests', 1_200, 60, 'tenantless'],
      ['anonymous-ip', 'ip', 'requests', 20, 1, 'anonymous'],
    ]);
    // A portico.yaml that declares no limits gets the same ones, not none.
    const bare = loadConfig({ env: { PORTICO_CONFIG: '/dev/null' } });
    expect(bare.rateLimits.limits.map(row).sort()).toEqual(config.rateLimits.limits.map(row).sort());
    expect(config.rateLimits.onStoreFailure).toBe('open');
    expect(config.gateway.trustProxy).toBe(false);
    expect(config.gateway.workers).toBe(1);
  });

  it('names what is wrong with a limit', () => {
    expect(withLimits([limit, limit])).toThrow(/rateLimits\.limits\.1\.name: duplicate limit name "a"/);
    expect(withLimits([{ ...limit, per: 'team' }])).toThrow(/rateLimits\.limits\.0\.per/);
    expect(withLimits([{ ...limit, subgraphs: ['meterng'] }])).toThrow(/rateLimits\.limits\.0\.subgraphs\.0/);
    expect(withLimits([{ ...limit, name: 'has space' }])).toThrow(/letters, digits/);
    expect(withLimits([{ ...limit, window: 60 }])).toThrow(/unknown key rateLimits\.limits\.0\.window/);
  });

  it('takes the scale-out settings from the environment', () => {
    const config = loadConfig({
      env: {
        PORTICO_TRUST_PROXY: '172.31.89.10, 10.0.0.0/8',
        PORTICO_WORKERS: 'auto',
        PORTICO_RATE_LIMITS: 'false',
      },
    });
    expect(config.gateway.trustProxy).toEqual(['172.31.89.10', '10.0.0.0/8']);
    expect(config.gateway.workers).toBe('auto');
    expect(config.rateLimits.enabled).toBe(false);
    expect(loadConfig({ env: { PORTICO_TRUST_PROXY: 'true', PORTICO_WORKERS: '4' } }).gateway).toMatchObject({
      trustProxy: true,
      workers: 4,
    });
    expect(() => loadConfig({ env: { PORTICO_WORKERS: 'many' } })).toThrow(
      /gateway\.workers \(from PORTICO_WORKERS\)/,
    );
  });
});
