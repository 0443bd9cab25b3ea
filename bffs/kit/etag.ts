import { createHash } from 'node:crypto';
import type { Service } from '../../platform/service.ts';

/**
 * ETag and 304 for a GraphQL endpoint, for clients that pay for every byte: an answer identical
 * to the one the client holds (`If-None-Match`) is not sent again. The tag is a hash of the body,
 * so it needs no state; `private, no-cache` keeps shared caches out and makes clients revalidate.
 */
export function installEtag(service: Service, path = '/graphql'): void {
  service.app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url !== path || reply.statusCode !== 200 || typeof payload !== 'string')
      return payload;
    const etag = `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
    reply.header('etag', etag);
    reply.header('cache-control', 'private, no-cache');
    const held = request.headers['if-none-match'];
    if (typeof held === 'string' && held.split(',').some((tag) => tag.trim() === etag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      return '';
    }
    return payload;
  });
}
