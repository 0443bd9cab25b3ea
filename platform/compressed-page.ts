import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const compressors = {
  // Quality 5: a ninth of the size of the 9 MB IDE in a fraction of a second; 11 takes seconds.
  br: (body: string) => promisify(brotliCompress)(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }),
  gzip: (body: string) => promisify(gzip)(body, { level: 6 }),
} as const;
type Encoding = keyof typeof compressors;

/** The encoding to send, from Accept-Encoding (q=0 refuses one); null when neither is accepted. */
export function negotiateEncoding(header: string | undefined): Encoding | null {
  const accepted = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const wants = (name: Encoding) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return wants('br') ? 'br' : wants('gzip') ? 'gzip' : null;
}

/**
 * Sends the HTML pages of `path` (the development IDE: 9 MB of inlined JavaScript) compressed to
 * clients that accept it, compressing each page once per encoding. Only HTML is touched: GraphQL
 * answers on the same path are left alone, so the request path is not slowed for them.
 */
export function installPageCompression(app: FastifyInstance, path: string): void {
  const cache = new Map<Encoding, { page: string; body: Promise<Buffer> }>();
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || request.routeOptions.url !== path || typeof payload !== 'string')
      return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    reply.header('vary', 'accept-encoding');
    const encoding = negotiateEncoding(request.headers['accept-encoding']);
    if (!encoding) return payload;
    let entry = cache.get(encoding);
    if (entry?.page !== payload) {
      entry = { page: payload, body: compressors[encoding](payload) };
      cache.set(encoding, entry);
    }
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return entry.body;
  });
}
