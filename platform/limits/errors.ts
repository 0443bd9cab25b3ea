import type { GraphQLError } from 'graphql';
import { codedError } from '../errors.ts';

/** The query limits, by their key in a limits section of portico.yaml. */
export type QueryLimit = 'maxDepth' | 'maxAliases' | 'maxRootFields' | 'maxTokens' | 'maxDirectives';

const measures: Record<QueryLimit, string> = {
  maxDepth: 'query depth',
  maxAliases: 'aliases',
  maxRootFields: 'root fields',
  maxTokens: 'tokens',
  maxDirectives: 'directives',
};

/**
 * What a client sees: the measure, what the query had, the limit and its key in portico.yaml
 * (`section` is where this service's limits live: `limits` for the gateway, `bffs.limits` ...).
 */
export function limitDetails(section: string, limit: QueryLimit, max: number, found?: number) {
  const measured = found === undefined ? `more than ${max}` : `${found}, more than ${max}`;
  return {
    message: `${measures[limit]}: ${measured} (${section}.${limit})`,
    extensions: { limit, max, ...(found === undefined ? {} : { found }) },
  };
}

/**
 * QUERY_TOO_COMPLEX naming the limit, its value and what the query had, so a client developer
 * knows which key to question. Limits are not secret: they are documented.
 */
export function limitExceeded(section: string, limit: QueryLimit, max: number, found?: number): GraphQLError {
  const { message, extensions } = limitDetails(section, limit, max, found);
  return codedError('QUERY_TOO_COMPLEX', message, { status: 400, extensions });
}
