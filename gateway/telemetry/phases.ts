import type { Experimental_DidResolveQueryPlanCallback as ExperimentalDidResolveQueryPlanCallback } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Span } from '@opentelemetry/api';
import { endFailed, type RequestTrace, startChild, under } from '../../platform/telemetry/request-trace.ts';
import type { GatewayContext } from '../context.ts';

/** The open phase spans of one traced request, keyed on its context (per-request, no globals). */
const open = new WeakMap<GatewayContext, { request: RequestTrace; plan?: Span; execute?: Span }>();

function attributes(context: { operationName?: string | null; operation?: { operation: string } | null }) {
  return {
    'graphql.operation.name': context.operationName ?? '',
    'graphql.operation.type': context.operation?.operation ?? '',
  };
}

/**
 * The gateway's phases as children of the request's server span: parse, validate, limits (rate
 * limits, cost, anonymous access and field authorization, which all run at didResolveOperation),
 * plan and execute. Apollo Server has no hook between planning and executing, so the plan span
 * ends in @apollo/gateway's `experimental_didResolveQueryPlan` (see `planResolved`); subgraph
 * fetches then go under the execute span. A request without a trace (tracing off) returns at the
 * first line.
 */
export function tracingPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const request = contextValue.trace;
      if (!request) return;
      const state: { request: RequestTrace; plan?: Span; execute?: Span } = { request };
      open.set(contextValue, state);
      let limits: Span | undefined;
      const phase = (name: string, code: string) => {
        const span = startChild(request, name);
        return async (error?: unknown) => {
          if (error) endFailed(span, code, (error as Error).message);
          else span.end();
        };
      };
      return {
        async parsingDidStart() {
          return phase('graphql.parse', 'GRAPHQL_PARSE_FAILED');
        },
        async validationDidStart() {
          const end = phase('graphql.validate', 'GRAPHQL_VALIDATION_FAILED');
          return async (errors?: readonly Error[]) => end(errors?.[0]);
        },
        async didResolveOperation(context) {
          limits = startChild(request, 'gateway.limits', attributes(context));
        },
        async executionDidStart(context) {
          limits?.end();
          limits = undefined;
          state.plan = startChild(request, 'gateway.plan', attributes(context));
          return {
            async executionDidEnd(error) {
              state.plan?.end();
              if (error) state.execute && endFailed(state.execute, 'INTERNAL', error.message);
              else state.execute?.end();
            },
          };
        },
        async didEncounterErrors({ errors }) {
          // A limit refused the operation (or something before execution failed).
          if (limits) endFailed(limits, String(errors[0]?.extensions?.code ?? 'ERROR'), errors[0]?.message);
          limits = undefined;
        },
      };
    },
  };
}

/** @apollo/gateway's plan is ready: the plan span ends, execution starts, fetches go under it. */
export function planResolved(context: GatewayContext, cached: boolean): void {
  const state = open.get(context);
  if (!state?.plan) return;
  state.plan.setAttribute('gateway.plan.cached', cached);
  state.plan.end();
  state.plan = undefined;
  state.execute = startChild(state.request, 'gateway.execute');
  context.trace = under(state.request, state.execute);
}

/**
 * @apollo/gateway's `experimental_didResolveQueryPlan`: called with every request's plan, cached or
 * new. The plan store hands back the object it holds, so a plan seen before was a cache hit.
 */
export function observePlans(onPlan?: (cached: boolean) => void): ExperimentalDidResolveQueryPlanCallback {
  const seen = new WeakSet<object>();
  return ({ queryPlan, requestContext }) => {
    const cached = seen.has(queryPlan);
    if (!cached) seen.add(queryPlan);
    onPlan?.(cached);
    planResolved(requestContext.context as GatewayContext, cached);
  };
}
