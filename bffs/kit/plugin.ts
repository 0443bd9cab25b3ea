import type { ApolloServerPlugin } from '@apollo/server';
import { errorBody, httpOf } from '../../platform/errors.ts';
import type { BffContext } from './context.ts';

/**
 * The last word on a BFF answer. A caller the gateway refused (401, 429) gets that refusal for the
 * whole request, with the gateway's status and headers and no partial data; a `@rateLimit` that
 * left no data answers 429 with Retry-After; otherwise the notes about stale values served are
 * added to the errors, next to the data they describe.
 */
export function partialFailurePlugin(): ApolloServerPlugin<BffContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const whole = contextValue.wholeFailure ? httpOf(contextValue.wholeFailure) : null;
          if (whole) {
            response.body.singleResult = errorBody(
              whole.code,
              contextValue.wholeFailure!.message,
              whole.extensions,
            );
            response.http.status = whole.status;
            for (const [name, value] of whole.headers) response.http.headers.set(name, value);
            return;
          }
          const result = response.body.singleResult;
          // A limited root field that nulls the whole answer is a refusal like the gateway's: 429.
          const limited =
            result.data == null
              ? result.errors?.filter((e) => e.extensions?.code === 'RATE_LIMITED')
              : undefined;
          if (limited && limited.length > 0) {
            const retryAfter = Math.max(1, ...limited.map((e) => Number(e.extensions?.retryAfter) || 1));
            response.http.status = 429;
            response.http.headers.set('retry-after', String(Math.ceil(retryAfter)));
          }
          if (contextValue.notes.length > 0) {
            result.errors = [...(result.errors ?? []), ...contextValue.notes];
          }
        },
      };
    },
  };
}
