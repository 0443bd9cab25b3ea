import { createServer, type IncomingHttpHeaders } from 'node:http';
import { request } from 'undici';

export interface CountingProxy {
  url: string;
  /** Headers of every request forwarded, in order. */
  received: IncomingHttpHeaders[];
  readonly calls: number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A real HTTP hop in front of a GraphQL endpoint that forwards everything and counts it: how many
 * gateway calls a BFF request costs, and what the BFF sent with them.
 */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      received.push(req.headers);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          ([name]) => !['host', 'connection', 'content-length'].includes(name),
        ),
      ) as Record<string, string>;
      try {
        const upstream = await request(target, {
          method: req.method as 'POST',
          headers,
          body: Buffer.concat(chunks),
        });
        const body = Buffer.from(await upstream.body.arrayBuffer());
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(upstream.headers)) {
          if (
            typeof value === 'string' &&
            !['connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(name)
          )
            out[name] = value;
        }
        res.writeHead(upstream.statusCode, out);
        res.end(body);
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    received,
    get calls() {
      return received.length;
    },
    reset() {
      received.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
