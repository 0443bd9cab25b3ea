import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { SubgraphName } from '../../platform/config/runtime.ts';
import type { Service } from '../../platform/service.ts';
import { buildSubgraphService } from '../../subgraphs/registry.ts';
import { testConfig } from './config.ts';
import { type Answer, type ErrorsFault, injectErrors, LEAKY } from './leaky-errors.ts';

export { LEAKY } from './leaky-errors.ts';

/**
 * How the server answers one call:
 * - ok: proxied to the real subgraph (when it has one), slow: the same after `ms`
 * - hang: never answers; status: that HTTP status (with `retryAfter`, `body`)
 * - invalid-json: 200 with a truncated JSON body; reset-mid-body: headers, half a body, socket destroyed
 * - errors: the real answer with GraphQL errors put in `at` a field of entity `index`, an entity
 *   (`["_entities", i]`), the whole list (`["_entities"]`, list null) or the request (no data, no path)
 */
export type Fault =
  | { kind: 'ok' }
  | { kind: 'slow'; ms: number }
  | { kind: 'hang' }
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'invalid-json' }
  | { kind: 'reset-mid-body' }
  | ErrorsFault;

export interface ReceivedCall {
  headers: IncomingHttpHeaders;
  body: { query?: string; variables?: Record<string, unknown> };
}

export interface FaultServer {
  /** The GraphQL URL to give the gateway. */
  url: string;
  /** Every call received, in order (a refused connection is not a call). */
  received: ReceivedCall[];
  readonly calls: number;
  /** The answer from now on, or a function of the call's index (0-based, since the last reset). */
  set(fault: Fault | ((call: number) => Fault)): void;
  reset(): void;
  /** Stops listening and drops every connection: calls are refused until up(). */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A real HTTP server that misbehaves on command and counts the calls it receives; with `upstream`
 * it runs that real subgraph behind it and proxies the healthy answers. Point the gateway at it
 * with `startPlatform({ subgraphUrls: { metering: server.url } })`.
 */
export async function startFaultServer(options: { upstream?: SubgraphName } = {}): Promise<FaultServer> {
  let upstream: Service | undefined;
  let upstreamUrl: string | undefined;
  if (options.upstream) {
    upstream = await buildSubgraphService(options.upstream, testConfig());
    upstreamUrl = `${await upstream.listen(0, '127.0.0.1')}/graphql`;
  }
  let behaviour: (call: number) => Fault = () => ({ kind: 'ok' });
  let received: ReceivedCall[] = [];
  const sockets = new Set<Socket>();

  const proxy = async (
    headers: IncomingHttpHeaders,
    body: string,
  ): Promise<{ status: number; text: string }> => {
    if (!upstreamUrl) return { status: 200, text: JSON.stringify({ data: {} }) };
    const forwarded = Object.fromEntries(
      Object.entries(headers).filter(
        ([name, value]) =>
          typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name),
      ),
    ) as Record<string, string>;
    const response = await request(upstreamUrl, { method: 'POST', headers: forwarded, body });
    return { status: response.statusCode, text: await response.body.text() };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const text = await readBody(req);
    const index = received.length;
    let parsed: ReceivedCall['body'] = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      // Recorded as empty; the fault decides the answer.
    }
    received.push({ headers: req.headers, body: parsed });
    const fault = behaviour(index);
    switch (fault.kind) {
      case 'hang':
        return;
      case 'status':
        res.writeHead(fault.status, {
          'content-type': 'text/html',
          ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}),
        });
        res.end(fault.body ?? LEAKY.html);
        return;
      case 'invalid-json':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data":{"_entities":[{"usage":');
        return;
      case 'reset-mid-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 4096 });
        res.write('{"data":{"_entities":[');
        await sleep(20);
        req.socket.destroy();
        return;
      case 'slow':
        await sleep(fault.ms);
        break;
      default:
        break;
    }
    const answer = await proxy(req.headers, text);
    if (fault.kind === 'errors')
      return json(res, 200, injectErrors(JSON.parse(answer.text) as Answer, fault));
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.text);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as { port: number };
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  return {
    url: `http://127.0.0.1:${port}/graphql`,
    get received() {
      return received;
    },
    get calls() {
      return received.length;
    },
    set(fault) {
      behaviour = typeof fault === 'function' ? fault : () => fault;
    },
    reset() {
      received = [];
    },
    down: stop,
    up: () => listen(port),
    async close() {
      if (server.listening) await stop();
      await upstream?.close();
    },
  };
}
