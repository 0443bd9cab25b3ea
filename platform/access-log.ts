import { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/** Probes arrive every few seconds from orchestrators; logging them drowns real traffic. */
export const PROBES: ReadonlySet<string> = new Set(['/health', '/ready']);

function isProbe(url: string): boolean {
  const query = url.indexOf('?');
  return PROBES.has(query === -1 ? url : url.slice(0, query));
}

/**
 * One access line per request, when it is answered: method, url, host and client address (`req`),
 * status (`res.statusCode`), `responseTime` in ms and `requestId`, as fastify's two lines
 * ("incoming request" and "request completed") held between them. Two lines per request were
 * ~3 % of a small query's CPU in the gateway, and a log search wants the request and its outcome
 * on one line anyway. A request whose client leaves before the answer gets its one line then
 * ("request aborted", `installAbortedRequestLog`).
 */
export class AccessLog extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override isLogDisabled(request: FastifyRequest): boolean {
    return isProbe(request.url ?? '');
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    if (error) {
      reply.log.error(
        { req: request, res: reply, err: error, responseTime: reply.elapsedTime },
        'request errored',
      );
    } else {
      reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    }
  }
}

/** The one line of a request whose client went away before it was answered. */
export function installAbortedRequestLog(app: FastifyInstance, access: AccessLog): void {
  app.addHook('onRequestAbort', async (request) => {
    if (access.isLogDisabled(request)) return;
    request.log.info({ req: request }, 'request aborted');
  });
}
