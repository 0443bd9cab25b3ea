import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VerifiedIdentity } from '../../platform/auth/verify.ts';
import { RELATIVE_TIMEOUT_HEADER, REQUEST_DEADLINE_HEADER } from '../../platform/headers.ts';
import { rateLimitHeaders } from '../../platform/rate-limit/headers.ts';
import type { Replay, ReplayedRequest } from '../../platform/telemetry/replay.ts';
import { requestTrace } from '../../platform/telemetry/server-spans.ts';
import type { GatewayContext } from '../context.ts';
import { COST_HEADER } from '../plugins/rate-limit.ts';
import type { GatewayRateLimits } from '../rate-limit/index.ts';
import { admitted, type Judgement, judgeLimits, type OperationLimitFacts } from '../rate-limit/judge.ts';
import { ageOf, type CacheEntry } from './memory-store.ts';
import type { CacheMetrics } from './metrics.ts';
import { BYPASS_HEADER } from './plugin.ts';
import { type CachePolicy, cacheControlHeader } from './policy.ts';
import type { CacheStore } from './store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The limits' verdict when the fast path judged the request and handed it on (refused). */
    limitJudgement: Judgement | null;
  }
}

/** What the full path proved for one fast key: where the answer is stored and how it is counted. */
interface Proven {
  storeKey: string;
  policy: CachePolicy;
  operationName: string | null;
  limits: OperationLimitFacts | null;
  /** What the observing plugins do for each answer (metrics, usage), done again for each fast hit. */
  replays: readonly Replay[];
}

const MAX_PROVEN = 10_000;

/**
 * The fast key: the request exactly as sent (text, operation name, variables) and everything of
 * the caller the answer's admission and shape depend on: anonymous or not (anonymous access),
 * the scopes (field authorization), tenant and subject (PRIVATE answers). Null for a request the
 * fast path never answers (persisted queries, anything but a plain JSON body).
 */
function fastKey(body: unknown, identity: VerifiedIdentity | null): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { query, operationName, variables, extensions } = body as Record<string, unknown>;
  if (typeof query !== 'string' || extensions !== undefined) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  const who = identity
    ? `t\u0000${identity.tenant ?? ''}\u0000${identity.subject}\u0000${[...identity.scopes].sort().join(' ')}`
    : 'a';
  return `${who}\u0001${operationName ?? ''}\u0001${variables === undefined ? '' : JSON.stringify(variables)}\u0001${query}`;
}

/** Headers that change how the full path answers: such requests always take it. */
const FULL_PATH_HEADERS = [BYPASS_HEADER, COST_HEADER, REQUEST_DEADLINE_HEADER, RELATIVE_TIMEOUT_HEADER];

/** The request's headers as the pipeline's plugins read them (repeated ones joined, like Apollo's). */
const headerReader = (request: FastifyRequest) => ({
  get(name: string): string | undefined {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  },
});

/** `application/json`, with parameters (charset) or none: what Apollo and fastify read as JSON. */
const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

function plainRequest(request: FastifyRequest): boolean {
  const { headers } = request;
  if (request.method !== 'POST' || !JSON_MEDIA_TYPE.test(headers['content-type'] ?? '')) return false;
  // Apollo picks the response's media type from Accept: the fast path only answers plain JSON.
  const accept = headers.accept;
  if (accept !== undefined && accept !== '*/*' && accept !== 'application/json') return false;
  return FULL_PATH_HEADERS.every((name) => headers[name] === undefined) && !requestTrace(request.raw);
}

/**
 * The response cache's fast path: a hit answered in a fastify hook (after the token check and the
 * request limits), before Apollo parses, validates or runs a plugin. It answers only requests the
 * full path has already answered from the cache, byte for byte, for the same fast key (same
 * text, variables and caller class), with nothing denied and nothing added; anything else, a
 * store miss or a refusal by the rate limits goes the full way. Rate limits are judged with the
 * same limiter calls as the full path, on the facts the full path worked out for the operation;
 * a refused judgement is handed on, so the full path words the refusal without counting twice.
 */
export function createFastPath(deps: { store: CacheStore; metrics: CacheMetrics }) {
  const proven = new Map<string, Proven>();
  const candidates = new WeakMap<
    GatewayContext,
    { storeKey: string; entry: CacheEntry; policy: CachePolicy }
  >();
  let rateLimits: GatewayRateLimits | null = null;
  let enabled = false;
  return {
    /** A new supergraph changes hints, requirements and limits: nothing proven holds any longer. */
    reset: () => proven.clear(),
    /** Called by the response cache plugin when it serves a hit on the full path. */
    offer(context: GatewayContext, storeKey: string, entry: CacheEntry, policy: CachePolicy) {
      if (!enabled) return;
      candidates.set(context, { storeKey, entry, policy });
      context.replays = [];
    },
    install(app: FastifyInstance, path: string, limits: GatewayRateLimits | null) {
      enabled = true;
      rateLimits = limits;
      app.decorateRequest('limitJudgement', null);
      app.addHook('preHandler', async (request, reply) => {
        const startedAt = performance.now();
        if (request.routeOptions.url !== path || proven.size === 0 || !plainRequest(request)) return;
        const key = fastKey(request.body, request.identity);
        const known = key === null ? undefined : proven.get(key);
        if (!known) return;
        const entry = await deps.store.get(known.storeKey);
        if (!entry) {
          proven.delete(key!);
          return;
        }
        let headers: Record<string, string> = {};
        if (rateLimits) {
          if (!known.limits) return;
          const judgement = await judgeLimits(rateLimits, known.limits, {
            identity: request.identity,
            clientIp: request.ip,
          });
          if (!admitted(judgement)) {
            request.limitJudgement = judgement;
            return;
          }
          headers = rateLimitHeaders(judgement[0].policies);
        }
        deps.metrics.fastHit(known.operationName, entry.body.length);
        const replayed: ReplayedRequest = { headers: headerReader(request), startedAt, log: request.log };
        for (const replay of known.replays) replay(replayed);
        return reply
          .headers(headers)
          .header('cache-control', cacheControlHeader(known.policy))
          .header('age', String(ageOf(entry)))
          .type('application/json; charset=utf-8')
          .send(`${entry.body}\n`);
      });
    },
    /**
     * The last plugin: a full-path hit whose answer went out exactly as stored (no denial, no
     * extension, status 200) proves its fast key.
     */
    recorder: {
      async requestDidStart() {
        return {
          async willSendResponse({ contextValue, request, response, operationName }) {
            const candidate = candidates.get(contextValue);
            if (!candidate || response.body.kind !== 'single' || contextValue.trace) return;
            if ((response.http.status ?? 200) !== 200) return;
            if (rateLimits && !contextValue.limitFacts) return;
            const { errors, data, extensions } = response.body.singleResult;
            if (JSON.stringify({ errors, data, extensions }) !== candidate.entry.body) return;
            const key = fastKey(
              {
                query: request.query,
                operationName: request.operationName,
                variables: request.variables,
                extensions: request.extensions,
              },
              contextValue.identity,
            );
            if (key === null) return;
            if (proven.size >= MAX_PROVEN) proven.delete(proven.keys().next().value!);
            proven.set(key, {
              storeKey: candidate.storeKey,
              policy: candidate.policy,
              operationName: operationName ?? null,
              limits: contextValue.limitFacts ?? null,
              replays: contextValue.replays ?? [],
            });
          },
        };
      },
    } satisfies ApolloServerPlugin<GatewayContext>,
  };
}

export type FastPath = ReturnType<typeof createFastPath>;
