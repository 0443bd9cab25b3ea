import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config/load.ts';
import { testKeyFiles } from '../helpers/config.ts';
import { freePorts, spawnPortico } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * `heapGrowthPercent` (platform/heap.ts): what a started service says it runs with. The effect on
 * memory under load is measured by `npm run bench federation`, not here.
 */
async function listeningLine(env: Record<string, string>, nodeArgs: string[] = []) {
  const [port] = await freePorts(1);
  const proc = spawnPortico(
    ['serve', 'models'],
    { PORTICO_MODELS_PORT: String(port), PORTICO_SUBGRAPH_AUTH_JWKS_FILE: testKeyFiles().jwksFile, ...env },
    nodeArgs,
  );
  const line = () =>
    proc
      .output()
      .split('\n')
      .find((l) => l.includes('models listening'));
  try {
    expect(await waitFor(() => line() !== undefined, { timeoutMs: 30_000 }), proc.output()).toBe(true);
    return JSON.parse(line()!) as { heapGrowthPercent?: number };
  } finally {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

describe('heap growth setting', () => {
  it('defaults to 50 % and is said in the listening line', async () => {
    expect((await listeningLine({})).heapGrowthPercent).toBe(50);
  }, 40_000);

  it('takes PORTICO_HEAP_GROWTH_PERCENT; 0 leaves the factor to V8', async () => {
    expect((await listeningLine({ PORTICO_HEAP_GROWTH_PERCENT: '30' })).heapGrowthPercent).toBe(30);
    expect((await listeningLine({ PORTICO_HEAP_GROWTH_PERCENT: '0' })).heapGrowthPercent).toBeUndefined();
  }, 70_000);

  it('lets a flag given to node win over the setting', async () => {
    const line = await listeningLine({ PORTICO_HEAP_GROWTH_PERCENT: '30' }, ['--heap-growing-percent=70']);
    expect(line.heapGrowthPercent).toBe(70);
  }, 40_000);

  it('names the variable behind a bad value', () => {
    expect(() => loadConfig({ env: { PORTICO_HEAP_GROWTH_PERCENT: '-5' } })).toThrow(
      /heapGrowthPercent \(from PORTICO_HEAP_GROWTH_PERCENT\)/,
    );
  });
});
