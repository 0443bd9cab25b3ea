import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { codedError } from '../../platform/errors.ts';
import { type PolicyState, rateLimitHeaders } from '../../platform/rate-limit/headers.ts';
import type { GatewayContext } from '../context.ts';
import { analyzeOperation } from '../operation/analysis.ts';
import { estimateCost } from '../rate-limit/cost.ts';
import type { GatewayRateLimits } from '../rate-limit/index.ts';
import { judgeLimits, type OperationLimitFacts } from '../rate-limit/judge.ts';
import { rateLimitedFields, subgraphsOf } from '../rate-limit/operation-fields.ts';
import type { LimitDirectives } from '../rate-limit/supergraph-directives.ts';

/** A client asks for the estimated cost in `extensions.cost` with this request header. */
export const COST_HEADER = 'x-portico-cost';

function tooManyRequests(refusing: PolicyState, policies: PolicyState[], message: string): GraphQLError {
  const retryAfter = refusing.resetSec;
  return codedError('RATE_LIMITED', `${message}; retry in ${retryAfter} s`, {
    status: 429,
    headers: { 'retry-after': String(retryAfter), ...rateLimitHeaders(policies, refusing) },
    extensions: { retryAfter, limit: refusing.name },
  });
}

const unavailable = () =>
  codedError('GATEWAY_UNAVAILABLE', 'rate limiting is unavailable; retry shortly', {
    status: 503,
    headers: { 'retry-after': '1' },
  });

/**
 * Rate limits and cost quotas, after validation and before planning, so a refused operation
 * costs no plan and reaches no subgraph:
 *
 *   didResolveOperation: facts (identity, client IP, operation name; subgraphs and cost when a
 *     limit needs them) -> consume the declared limits  } in parallel
 *                       -> read the @rateLimit budgets  }
 *     over a limit -> 429 RATE_LIMITED, Retry-After, RateLimit-Policy, RateLimit
 *     cost above a whole window -> 400 QUERY_TOO_COMPLEX;  store down, fail-closed -> 503
 *     under -> RateLimit-Policy and RateLimit on the response
 *   willSendResponse: extensions.cost when the client sent x-portico-cost
 *
 * The operation is priced as sent (before field authorization cuts anything from it).
 */
export function rateLimitPlugin(
  rateLimits: GatewayRateLimits,
  directives: () => LimitDirectives,
): ApolloServerPlugin<GatewayContext> {
  const { settings, refused } = rateLimits;
  return {
    async requestDidStart({ request }) {
      const wantsCost = /^(1|true|yes)$/i.test(request.http?.headers.get(COST_HEADER) ?? '');
      let cost: number | undefined;
      return {
        async didResolveOperation({ operation, document, schema, contextValue, request: sent, response }) {
          if (!operation) return;
          const variables = sent.variables ?? {};
          const known = directives();
          const estimate = () => {
            cost ??= estimateCost(schema, document, operation, variables, known, settings.cost);
            return cost;
          };
          if (wantsCost) estimate();
          const selected = () => analyzeOperation(schema, document, operation, variables).coordinates;
          const budgeted = known.fieldRateLimit.size > 0 || known.typeRateLimit.size > 0;
          const limitFacts: OperationLimitFacts = {
            operationName: operation.name?.value ?? null,
            subgraphs: () => subgraphsOf(selected(), known),
            cost: estimate,
            fields: settings.fieldLimits && budgeted ? rateLimitedFields(selected(), known) : [],
          };
          // Kept for the response cache's fast path, which counts the same request the same way.
          contextValue.limitFacts = limitFacts;
          // The fast path may have judged this very request already (and handed it on, refused).
          const [verdict, fieldVerdict] =
            contextValue.limitJudgement ?? (await judgeLimits(rateLimits, limitFacts, contextValue));
          if (verdict.kind === 'too-costly') {
            const { name, limit, windowSec } = verdict.limit.config;
            throw codedError(
              'QUERY_TOO_COMPLEX',
              `estimated cost ${verdict.cost} is more than the whole budget of rate limit "${name}" (${limit} per ${windowSec} s)`,
              { status: 400, extensions: { limit: name, max: limit, found: verdict.cost } },
            );
          }
          if (verdict.kind === 'unavailable' || fieldVerdict.kind === 'unavailable') {
            if (verdict.kind === 'admitted') await verdict.refund();
            throw unavailable();
          }
          if (verdict.kind === 'limited') {
            refused.inc({ limit: verdict.refusing.name });
            const { name, quota, windowSec, unit } = verdict.refusing;
            const units = unit === 'cost' ? 'cost' : quota === 1 ? 'request' : 'requests';
            throw tooManyRequests(
              verdict.refusing,
              verdict.policies,
              `rate limit "${name}" reached: ${quota} ${units} per ${windowSec} s`,
            );
          }
          if (fieldVerdict.kind === 'limited') {
            await verdict.refund();
            refused.inc({ limit: fieldVerdict.refusing.name });
            const { name, quota, windowSec } = fieldVerdict.refusing;
            throw tooManyRequests(
              fieldVerdict.refusing,
              [fieldVerdict.refusing],
              `${name} is limited to ${quota} calls per ${windowSec} s for each caller`,
            );
          }
          for (const [header, value] of Object.entries(rateLimitHeaders(verdict.policies))) {
            response.http.headers.set(header, value);
          }
        },
        async willSendResponse({ response }) {
          if (!wantsCost || cost === undefined || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: { estimated: cost } };
        },
      };
    },
  };
}
