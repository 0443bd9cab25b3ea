import type { FastifyInstance } from 'fastify';
import type { ValidationRule } from 'graphql';
import type { PorticoConfig } from '../config/schema.ts';
import { installRequestLimitsHook } from './request-limits.ts';
import { limitRules } from './rules.ts';

export type QueryLimits = PorticoConfig['limits'];

/**
 * What one request may ask of a public GraphQL service, the same piece for the gateway and every
 * BFF (each with its own values): before GraphQL parses anything, batch size, variables (size and
 * nesting) and tokens; while parsing, the token limit again; in validation, depth, aliases (every
 * one, `__typename` included), root fields and directives. Everything refused is a coded 4xx that
 * costs no planning and no backend call.
 */
export interface QueryGuard {
  /** Where the values live in portico.yaml, named in every refusal (`limits`, `bffs.limits`). */
  readonly section: string;
  readonly validationRules: ValidationRule[];
  readonly parseOptions: { maxLexicalTokens: number };
  readonly allowBatchedHttpRequests: boolean;
  /** The checks on the request as sent; install before anything else that reads the operation. */
  install(app: FastifyInstance, path: string): void;
}

export function createQueryGuard(limits: QueryLimits, section: string): QueryGuard {
  return {
    section,
    validationRules: limitRules(limits, section),
    parseOptions: { maxLexicalTokens: limits.maxTokens },
    allowBatchedHttpRequests: limits.maxBatchOperations > 1,
    install: (app, path) => installRequestLimitsHook(app, limits, section, path),
  };
}
