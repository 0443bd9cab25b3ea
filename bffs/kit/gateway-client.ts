import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { FastifyBaseLogger } from 'fastify';
import { type GraphQLFormattedError, getOperationAST, print } from 'graphql';
import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { isErrorCode } from '../../platform/errors.ts';
import { REQUEST_DEADLINE_HEADER } from '../../platform/headers.ts';
import { REQUEST_ID_HEADER } from '../../platform/request-id.ts';
import { type RequestTrace, startClientCall } from '../../platform/telemetry/request-trace.ts';
import { childTraceparent } from '../../platform/trace.ts';
import { GatewayCallError } from './failures.ts';

/** What the gateway answered: data that could be served and the errors at their true paths. */
export interface GatewayResult<TData> {
  data: TData | null;
  errors: readonly GraphQLFormattedError[];
}

/** Who is calling and by when the answer is needed: the same for every call of one BFF request. */
export interface CallContext {
  /** The caller's Authorization header, forwarded as it came; the gateway verifies it. */
  authorization: string | undefined;
  requestId: string;
  traceparent: string | undefined;
  /** The BFF request's trace when tracing is on: each gateway call is a CLIENT span under it. */
  trace?: RequestTrace | undefined;
  /** Epoch ms by which the BFF must answer its client. */
  deadline: number;
  log: FastifyBaseLogger;
}

export interface GatewayClientOptions {
  url: string;
  connections: number;
  marginMs: number;
  retries: number;
}

export interface GatewayClient {
  execute<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    call: CallContext,
  ): Promise<GatewayResult<TData>>;
  close(): Promise<void>;
}

const printed = new WeakMap<
  object,
  { query: string; operationName: string | undefined; mutation: boolean }
>();

/** A generated document's text, name and kind, worked out once per document. */
export function describeOperation(document: TypedDocumentNode<unknown, unknown>) {
  let entry = printed.get(document);
  if (!entry) {
    const operation = getOperationAST(document);
    entry = {
      query: print(document),
      operationName: operation?.name?.value,
      mutation: operation?.operation === 'mutation',
    };
    printed.set(document, entry);
  }
  return entry;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The BFFs' only way out: GraphQL over a keep-alive undici pool to the gateway. Outgoing-call
 * concerns are undici interceptors (retry of queries that could not connect or met 502/503/504,
 * honouring Retry-After); per call it forwards the caller's token, request id, a child span of
 * its trace, and the deadline minus a margin, and gives up at that deadline.
 *
 * Anything but a GraphQL answer becomes a GatewayCallError with a catalogue code; a 401 or 429
 * of the gateway fails the whole BFF request the same way (see failures.ts).
 */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const plain = new Agent({ connections: options.connections, keepAliveTimeout: 30_000 });
  const retrying: Dispatcher = plain.compose(
    interceptors.retry({
      maxRetries: options.retries,
      minTimeout: 20,
      maxTimeout: 200,
      methods: ['POST'],
      statusCodes: [502, 503, 504],
      errorCodes: ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'],
      throwOnError: false,
    }),
  );

  return {
    async execute(document, variables, call) {
      const { query, operationName, mutation } = describeOperation(
        document as TypedDocumentNode<unknown, unknown>,
      );
      const budget = call.deadline - options.marginMs - Date.now();
      if (budget <= 0)
        throw new GatewayCallError(
          'DEADLINE_EXCEEDED',
          `no time left to call the gateway for ${operationName}`,
        );
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        [REQUEST_ID_HEADER]: call.requestId,
        traceparent: childTraceparent(call.traceparent),
        [REQUEST_DEADLINE_HEADER]: String(call.deadline - options.marginMs),
      };
      if (call.authorization) headers.authorization = call.authorization;
      const span = startClientCall(
        call.trace,
        `gateway ${operationName ?? 'anonymous'}`,
        {
          'graphql.operation.name': operationName ?? '',
        },
        headers,
      );
      try {
        const result = await send();
        span?.end(result.status);
        return result.value;
      } catch (error) {
        span?.end(undefined, error instanceof GatewayCallError ? error.code : 'GATEWAY_UNAVAILABLE');
        throw error;
      }

      async function send(): Promise<{ status: number; value: GatewayResult<never> }> {
        const signal = AbortSignal.timeout(budget);
        let status: number;
        let text: string;
        let responseHeaders: Record<string, string | string[] | undefined>;
        try {
          const response = await request(options.url, {
            method: 'POST',
            headers,
            body: JSON.stringify({ query, variables, operationName }),
            dispatcher: mutation ? plain : retrying,
            signal,
          });
          status = response.statusCode;
          responseHeaders = response.headers;
          text = await response.body.text();
        } catch (error) {
          if (signal.aborted)
            throw new GatewayCallError(
              'DEADLINE_EXCEEDED',
              `the gateway did not answer ${operationName} before the deadline`,
            );
          call.log.warn({ err: error, operationName }, 'gateway call failed');
          throw new GatewayCallError('GATEWAY_UNAVAILABLE', 'the gateway could not be reached');
        }
        let body: { data?: unknown; errors?: GraphQLFormattedError[] } | undefined;
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          body = undefined;
        }
        if (status === 401) {
          throw new GatewayCallError(
            'UNAUTHENTICATED',
            body?.errors?.[0]?.message ?? 'the gateway rejected the token',
            {
              status: 401,
              headers: {
                'www-authenticate': header(responseHeaders['www-authenticate']) ?? 'Bearer realm="portico"',
              },
            },
          );
        }
        if (status === 429) {
          const retryAfter = header(responseHeaders['retry-after']);
          throw new GatewayCallError(
            'RATE_LIMITED',
            body?.errors?.[0]?.message ?? 'rate limited by the gateway',
            {
              status: 429,
              headers: retryAfter ? { 'retry-after': retryAfter } : {},
              extensions: { retryAfter: retryAfter ? Number(retryAfter) : undefined },
            },
          );
        }
        if (body === undefined || (status !== 200 && !('data' in body && body.data))) {
          call.log.warn({ status, operationName, errors: body?.errors }, 'gateway refused a BFF operation');
          const refusal = body?.errors?.[0];
          const code = refusal?.extensions?.code;
          if (status >= 400 && status < 500 && isErrorCode(code) && code !== 'INTERNAL') {
            // The caller's request was too much for the gateway (a limit, a size): the caller hears
            // the same code and status, with the limit that was met.
            const { limit, max, found } = refusal?.extensions ?? {};
            throw new GatewayCallError(code, refusal?.message ?? `the gateway answered ${status}`, {
              status,
              extensions: { limit, max, found },
            });
          }
          throw new GatewayCallError(
            status >= 500 || body === undefined ? 'GATEWAY_UNAVAILABLE' : 'INTERNAL',
            `the gateway answered ${status}`,
          );
        }
        return { status, value: { data: (body.data ?? null) as never, errors: body.errors ?? [] } };
      }
    },
    close: () => plain.close(),
  };
}
