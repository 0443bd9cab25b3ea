import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../helpers/fault-server.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

/**
 * `gateway.maxConcurrentOperations`: requests over the bound wait their turn and are answered,
 * none refused, and no more than the bound run at once. The health subgraph sits behind a hop
 * that holds each call a moment and counts the calls in flight.
 */
describe('a gateway bounding the operations it runs at once', () => {
  const bound = 2;
  let platform: TestPlatform;
  let health: FaultServer;
  let hop: Server;
  let inFlight = 0;
  let most = 0;

  beforeAll(async () => {
    health = await startFaultServer({ upstream: 'health' });
    hop = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await sleep(100);
        // The gateway's own headers (its signed assertion among them), as a transparent hop.
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(
            ([name]) => !['host', 'connection', 'content-length'].includes(name),
          ),
        ) as Record<string, string>;
        const upstream = await request(health.url, { method: 'POST', headers, body: Buffer.concat(chunks) });
        const body = await upstream.body.text();
        inFlight -= 1;
        res.writeHead(upstream.statusCode, { 'content-type': 'application/json' }).end(body);
      });
    });
    await new Promise<void>((resolve) => hop.listen(0, '127.0.0.1', resolve));
    platform = await startPlatform({
      subgraphUrls: { health: `http://127.0.0.1:${(hop.address() as AddressInfo).port}/graphql` },
      gateway: { gateway: { maxConcurrentOperations: bound } },
    });
  }, 60_000);
  afterAll(async () => {
    await platform?.close();
    await new Promise((resolve) => hop.close(resolve));
    await health.close();
  });

  it('answers every request over the bound, running at most the bound at once', async () => {
    // Distinct documents, so no subgraph call is shared between them.
    const answers = await Promise.all(
      Array.from({ length: 4 * bound }, (_, i) => platform.query({ query: `{ h${i}: health { status } }` })),
    );
    answers.forEach(({ status, body }, i) => {
      expect(status).toBe(200);
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      expect(body.data).toHaveProperty(`h${i}.status`);
    });
    expect(health.calls).toBe(4 * bound);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(bound);
  }, 60_000);
});
