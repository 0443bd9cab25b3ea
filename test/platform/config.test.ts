import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../platform/config/load.ts';
import { spawnPortico } from '../helpers/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'portico-config-'));
function yamlFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('configuration', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads portico.yaml into a frozen object with defaults filled in', () => {
    const config = loadConfig({ env: {} });
    expect(config.ports.gateway).toBe(4000);
    expect(config.gateway.subgraphDefaults.timeoutMs).toBeGreaterThan(0);
    expect(Object.isFrozen(config.gateway.subgraphDefaults)).toBe(true);
    expect(() => {
      (config.ports as { gateway: number }).gateway = 1;
    }).toThrow(TypeError);
  });

  it('names an unknown key', () => {
    const path = yamlFile('unknown.yaml', 'gateway:\n  subgraphDefaults:\n    timeoutMS: 100\n');
    expect(() => loadConfig({ path, env: {} })).toThrow(/unknown key gateway\.subgraphDefaults\.timeoutMS/);
  });

  it('names a key with the wrong type', () => {
    const path = yamlFile('type.yaml', 'ports:\n  gateway: "four thousand"\n');
    expect(() => loadConfig({ path, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ path, env: {} })).toThrow(/ports\.gateway: .*number/);
  });

  it('names the environment variable behind a bad value', () => {
    expect(() => loadConfig({ env: { PORTICO_GATEWAY_PORT: 'eighty' } })).toThrow(
      /ports\.gateway \(from PORTICO_GATEWAY_PORT\)/,
    );
    expect(() => loadConfig({ env: { REDIS_URL: 'http://not-redis' } })).toThrow(
      /redisUrl \(from REDIS_URL\)/,
    );
  });

  it('lets the environment override addresses and ports', () => {
    const config = loadConfig({
      env: { PORTICO_GATEWAY_PORT: '5000', PORTICO_SUBGRAPH_MODELS_URL: 'http://models:4001/graphql' },
    });
    expect(config.ports.gateway).toBe(5000);
    expect(config.gateway.subgraphs.models?.url).toBe('http://models:4001/graphql');
  });

  it('stops a service at start-up with a message naming the bad key', async () => {
    const path = yamlFile('bad.yaml', 'gateway:\n  maxBodyBytes: -1\nlogLevl: info\n');
    const proc = spawnPortico(['serve', 'models'], { PORTICO_CONFIG: path });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(/gateway\.maxBodyBytes/);
    expect(proc.output()).toMatch(/unknown key logLevl/);
    expect(proc.output()).not.toMatch(/\n\s+at /);
  });
});
