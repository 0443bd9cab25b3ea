import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { waitUntilReady } from '../../cli/wait-ready.ts';
import { asGateway } from '../helpers/assertions.ts';
import { testKeyFiles } from '../helpers/config.ts';
import { postGraphQL } from '../helpers/http.ts';
import { freePorts, spawnPortico } from '../helpers/process.ts';

describe('graceful shutdown', () => {
  it('finishes a request in flight when SIGTERM arrives, then exits 0', async () => {
    const [port] = await freePorts(1);
    const base = `http://127.0.0.1:${port}`;
    const proc = spawnPortico(['serve', 'models'], {
      PORTICO_MODELS_PORT: String(port),
      PORTICO_FAULT_DELAY_MS: '1500',
      PORTICO_SUBGRAPH_AUTH_JWKS_FILE: testKeyFiles().jwksFile,
    });
    try {
      expect(await waitUntilReady([{ name: 'models', url: base }], 20_000)).toEqual([]);
      const inFlight = postGraphQL(
        `${base}/graphql`,
        { query: '{ model(id: "aurora-3-large") { name } }' },
        { headers: await asGateway({ audience: 'models' }) },
      );
      await sleep(400);
      proc.child.kill('SIGTERM');
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(response.body.data.model.name).toBe('Aurora 3 Large');
      expect(await proc.exited).toBe(0);
      expect(proc.output()).toMatch(/models draining/);
      await expect(fetch(`${base}/health`)).rejects.toThrow();
    } finally {
      proc.child.kill('SIGKILL');
    }
  });
});
