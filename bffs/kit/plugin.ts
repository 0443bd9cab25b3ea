import type { ApolloServerPlugin } from '@apollo/server';
import type { BffContext } from './context.ts';

/**
 * The last word on a BFF answer. A caller the gateway refused (401, 429) gets that refusal for the
 * whole request, with the gateway's status and headers and no partial data; otherwise the notes
 * about stale values served are added to the errors, next to the data they describe.
 */
export function partialFailurePlugin(): ApolloServerPlugin<BffContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const whole = contextValue.wholeFailure;
          if (whole) {
            response.body.singleResult = {
              errors: [{ message: whole.message, extensions: { ...whole.extensions, code: whole.code } }],
            };
            response.http.status = whole.status;
            for (const [name, value] of Object.entries(whole.headers)) response.http.headers.set(name, value);
            return;
          }
          if (contextValue.notes.length > 0) {
            const result = response.body.singleResult;
            result.errors = [...(result.errors ?? []), ...contextValue.notes];
          }
        },
      };
    },
  };
}
