import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BffName } from '../../bffs/kit/create-bff.ts';
import { startBff, type TestBff } from '../helpers/bff.ts';
import { postGraphQL } from '../helpers/http.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

/** Short limits so the test is quick; Node checks them every 250 ms here. */
const server = {
  headersTimeoutMs: 1_000,
  bodyIdleTimeoutMs: 1_000,
  requestTimeoutMs: 3_000,
  timeoutCheckIntervalMs: 250,
};
/** How long past its limit a slow client may still be connected on a busy 2-core machine. */
const SLACK_MS = 4_000;

interface Outcome {
  closedAfterMs: number;
  statusLine: string;
  body: string;
}

/** A raw client that writes what it is told and reports when, and how, the server hung up. */
function slowClient(url: string, start: (socket: Socket) => void): Promise<Outcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let received = '';
    const socket = connect(Number(port), hostname, () => start(socket));
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.on('error', () => {});
    socket.on('close', () =>
      resolve({
        closedAfterMs: performance.now() - started,
        statusLine: received.split('\r\n')[0] ?? '',
        body: received.slice(received.indexOf('\r\n\r\n') + 4),
      }),
    );
    setTimeout(() => reject(new Error(`still open after 60 s: ${url}`)), 60_000).unref();
  });
}

const headersOnly = (socket: Socket) =>
  socket.write('POST /graphql HTTP/1.1\r\nHost: portico\r\nContent-Type: application/json\r\n');
const noBody = (socket: Socket) =>
  socket.write(
    'POST /graphql HTTP/1.1\r\nHost: portico\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n{"query"',
  );
/** One byte every 400 ms: never idle for a second, but the whole request takes ever. */
const trickle = (socket: Socket) => {
  socket.write(
    'POST /graphql HTTP/1.1\r\nHost: portico\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n',
  );
  const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(' ')), 400);
};

function expectCutOff(outcome: Outcome, limitMs: number, label: string) {
  expect(outcome.statusLine, label).toBe('HTTP/1.1 408 Request Timeout');
  expect(JSON.parse(outcome.body).errors[0].extensions.code, label).toBe('REQUEST_TIMEOUT');
  expect(outcome.closedAfterMs, label).toBeGreaterThanOrEqual(limitMs - 50);
  expect(outcome.closedAfterMs, label).toBeLessThan(limitMs + SLACK_MS);
}

describe('socket and time limits on every public service', () => {
  let platform: TestPlatform;
  const bffs = new Map<BffName, TestBff>();
  const services = () => [
    ['gateway', platform.gatewayUrl] as const,
    ...[...bffs].map(([name, bff]) => [name, bff.url] as const),
  ];

  beforeAll(async () => {
    platform = await startPlatform({ gateway: { server } });
    for (const name of ['web', 'mobile', 'cli'] as const) {
      bffs.set(name, await startBff(name, platform, {}, { server }));
    }
  });
  afterAll(async () => {
    for (const bff of bffs.values()) await bff.close();
    await platform.close();
  });

  it('cuts off slow headers, a stalled body and a trickling body with 408', { timeout: 60_000 }, async () => {
    const outcomes = await Promise.all(
      services().flatMap(([name, url]) => [
        slowClient(url, headersOnly).then((o) => expectCutOff(o, server.headersTimeoutMs, `${name} headers`)),
        slowClient(url, noBody).then((o) =>
          expectCutOff(o, server.bodyIdleTimeoutMs, `${name} stalled body`),
        ),
        slowClient(url, trickle).then((o) => expectCutOff(o, server.requestTimeoutMs, `${name} trickle`)),
      ]),
    );
    expect(outcomes).toHaveLength(12);
    const metrics = await (await fetch(`${platform.gatewayAdminUrl}/metrics`)).text();
    expect(metrics).toMatch(/http_connections_cut_off_total\{reason="body_idle",service="gateway"\} [1-9]/);
    expect(metrics).toMatch(
      /http_connections_cut_off_total\{reason="request_timeout",service="gateway"\} [2-9]/,
    );
  });

  it('serves a normal request in time while 1,000 slow sockets are open, then closes them all', {
    timeout: 60_000,
  }, async () => {
    const slow = Array.from({ length: 1_000 }, (_, i) =>
      slowClient(platform.gatewayUrl, i % 2 === 0 ? headersOnly : noBody),
    );
    const served = await postGraphQL(platform.gatewayUrl, { query: '{ health { status } }' });
    expect(served.status).toBe(200);
    expect(served.body.data.health.status).toBeTypeOf('string');
    expect(served.ms).toBeLessThan(server.headersTimeoutMs + SLACK_MS);
    const outcomes = await Promise.all(slow);
    for (const outcome of outcomes)
      expect(outcome.closedAfterMs).toBeLessThan(server.headersTimeoutMs + SLACK_MS + 2_000);
    expect(outcomes.filter((o) => o.statusLine.includes('408')).length).toBe(1_000);
  });

  it('answers 405 with Allow for methods a path does not take', async () => {
    for (const [name, url] of services()) {
      const response = await fetch(url, { method: 'PUT' });
      expect(response.status, name).toBe(405);
      expect(response.headers.get('allow'), name).toMatch(/POST/);
      expect((await response.json()).errors[0].extensions.code, name).toBe('BAD_REQUEST');
    }
  });
});
