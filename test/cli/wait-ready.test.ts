import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForServices } from '../../cli/wait-ready.ts';

/** A service whose /ready answers 503 until `ready()` is called. */
async function fakeService(): Promise<{ url: string; ready(): void; server: Server }> {
  let isReady = false;
  const server = createServer((request, response) => {
    response.statusCode = request.url === '/ready' && isReady ? 200 : 503;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, ready: () => (isReady = true), server };
}

describe('waiting for services to be ready', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });
  const service = async (name: string) => {
    const s = await fakeService();
    servers.push(s.server);
    return { ...s, name };
  };

  it('reports progress as services become ready, and resolves when all are', async () => {
    const a = await service('a');
    const b = await service('b');
    a.ready();
    const progress: string[] = [];
    const waiting = waitForServices({
      services: [a, b],
      stallMs: 30_000,
      pollMs: 20,
      onProgress: (ready, pending) => progress.push(`${ready.join()}|${pending.join()}`),
    });
    setTimeout(() => b.ready(), 300);
    expect(await waiting).toEqual({ outcome: 'ready' });
    expect(progress).toEqual(['|a,b', 'a|b', 'a,b|']);
  });

  it('gives up on a start that made no progress for stallMs, naming who is pending', async () => {
    const a = await service('a');
    const b = await service('b');
    a.ready();
    const started = Date.now();
    const result = await waitForServices({ services: [a, b], stallMs: 500, pollMs: 20 });
    expect(result).toMatchObject({ outcome: 'stalled', names: ['b'] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('a service becoming ready restarts the stall clock', async () => {
    const [a, b, c] = [await service('a'), await service('b'), await service('c')];
    // Each becomes ready before the 1.5 s without progress runs out, 3 s in all.
    setTimeout(() => a.ready(), 1_000);
    setTimeout(() => b.ready(), 2_000);
    setTimeout(() => c.ready(), 3_000);
    expect(await waitForServices({ services: [a, b, c], stallMs: 1_500, pollMs: 20 })).toEqual({
      outcome: 'ready',
    });
  });

  it('ends at once when a pending service exited', async () => {
    const a = await service('a');
    const result = await waitForServices({ services: [a], stallMs: 0, exited: () => ['a'] });
    expect(result).toEqual({ outcome: 'exited', names: ['a'] });
  });
});
