import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import type { PorticoConfig } from '../config/schema.ts';
import { limitExceeded, type QueryLimit } from './errors.ts';
import { maxRootFieldsRule } from './root-fields.ts';

type Limits = PorticoConfig['limits'];

/** armor's messages say "... limit of N exceeded, found M."; the count is all we take from them. */
function found(error: GraphQLError): number | undefined {
  const match = /found (\d+)/.exec(error.message);
  return match ? Number(match[1]) : undefined;
}

/** Reports armor's rejection as our QUERY_TOO_COMPLEX instead of its BAD_USER_INPUT. */
function reject(section: string, limit: QueryLimit, max: number) {
  return {
    n: max,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(limitExceeded(section, limit, max, found(error))),
    ],
  };
}

/**
 * The validation rules that enforce the query limits, so a query over a limit is refused after
 * validation and before any planning. Depth, aliases and directives are graphql-armor's rules;
 * the root-field cap is ours. Tokens are counted at the edge and while parsing (`parseOptions`),
 * and field suggestions are hidden by Apollo Server's `hideSchemaDetailsFromClientErrors`, so
 * armor's versions of those two are off; cost limits belong with rate limiting (`@cost`,
 * `@listSize`: gateway/rate-limit/cost.ts).
 */
export function limitRules(limits: Limits, section: string): ValidationRule[] {
  const armor = new ApolloArmor({
    maxDepth: {
      ...reject(section, 'maxDepth', limits.maxDepth),
      // A fragment is not a level of the response; introspection (development only) is exempt.
      flattenFragments: true,
      ignoreIntrospection: true,
    },
    // armor lets `__typename` be aliased for free; 50,000 such aliases are 50,000 fields to
    // resolve and answer, so every alias counts.
    maxAliases: { ...reject(section, 'maxAliases', limits.maxAliases), allowList: [] },
    maxDirectives: reject(section, 'maxDirectives', limits.maxDirectives),
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  return [...armor.protect().validationRules, maxRootFieldsRule(section, limits.maxRootFields)];
}
