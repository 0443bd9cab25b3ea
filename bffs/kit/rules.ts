import {
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isNonNullType,
  responsePathAsArray,
} from 'graphql';
import { fieldError } from '../../platform/errors.ts';
import type { BffContext } from './context.ts';
import { fieldFailureOf, GatewayCallError } from './failures.ts';
import type { StaleCache } from './stale-cache.ts';

/**
 * How a field behaves when its source fails, declared per field (`Type.field`):
 *
 *   best-effort  the field is nullable; it goes null with an error at its path naming the code,
 *                the service and whether to retry, and the rest of the answer is served.
 *   required     the failure propagates: the field is non-null, and GraphQL's null propagation
 *                nulls whatever encloses it, as far as the schema says and no further.
 *
 * Either may add stale-if-error: on a failure, a last-known-good value no older than
 * `maxAgeMs` is served instead, with an error at the path marked `stale: true` and its age.
 */
export type FieldRule = { mode: 'best-effort'; stale?: StaleRule } | { mode: 'required'; stale?: StaleRule };

export interface StaleRule {
  maxAgeMs: number;
  /** `public` data is shared by every caller; `caller` data only ever returns to the same token. */
  scope: 'public' | 'caller';
}

export type FieldRules = Record<string, FieldRule>;

export const bestEffort = (stale?: StaleRule): FieldRule => ({ mode: 'best-effort', stale });
export const required = (stale?: StaleRule): FieldRule => ({ mode: 'required', stale });

/** Rules must agree with the schema: a best-effort field nullable, a required one non-null. */
export function checkRules(schema: GraphQLSchema, rules: FieldRules): void {
  for (const [coordinate, rule] of Object.entries(rules)) {
    const [typeName, fieldName] = coordinate.split('.');
    const type = schema.getType(typeName ?? '');
    const field = type && 'getFields' in type ? type.getFields()[fieldName ?? ''] : undefined;
    if (!field) throw new Error(`field rule for ${coordinate}: no such field in the BFF schema`);
    const nonNull = isNonNullType(field.type);
    if (rule.mode === 'best-effort' && nonNull)
      throw new Error(`${coordinate} is best-effort, so it must be nullable`);
    if (rule.mode === 'required' && !nonNull)
      throw new Error(`${coordinate} is required, so it must be non-null`);
  }
}

type Resolver = GraphQLFieldResolver<unknown, BffContext>;

function path(info: GraphQLResolveInfo): (string | number)[] {
  return responsePathAsArray(info.path);
}

/** Wraps one resolver with its rule: failures mapped to coded errors, stale values kept and served. */
export function applyRule(
  coordinate: string,
  rule: FieldRule,
  resolve: Resolver,
  cache: StaleCache,
): Resolver {
  return async (parent, args, context, info) => {
    const key = rule.stale ? cache.key(rule.stale.scope, context.authorization, coordinate, args) : null;
    try {
      const value = await resolve(parent, args, context, info);
      if (key && value !== null && value !== undefined) cache.set(key, value);
      return value;
    } catch (error) {
      if (error instanceof GatewayCallError && error.whole) {
        context.wholeFailure ??= error.whole;
        throw fieldError(error.code, error.message);
      }
      const failure = fieldFailureOf(error);
      if (!failure) throw error;
      const extensions = { service: failure.service, retryable: failure.retryable };
      const stale = key && rule.stale ? cache.get(key, rule.stale.maxAgeMs) : null;
      if (stale) {
        const ageMs = Date.now() - stale.storedAt;
        context.notes.push({
          message: `${coordinate} is stale (${Math.round(ageMs / 1000)} s old): ${failure.message}`,
          path: path(info),
          extensions: { code: failure.code, ...extensions, stale: true, ageMs },
        });
        return stale.value;
      }
      throw fieldError(failure.code, failure.message, extensions);
    }
  };
}

/** Applies every rule to a resolver map (`{ Type: { field: resolver } }`), in place of the originals. */
export function withRules(
  resolvers: Record<string, Record<string, Resolver>>,
  rules: FieldRules,
  cache: StaleCache,
): Record<string, Record<string, Resolver>> {
  const out: Record<string, Record<string, Resolver>> = {};
  for (const [typeName, fields] of Object.entries(resolvers)) out[typeName] = { ...fields };
  for (const [coordinate, rule] of Object.entries(rules)) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    out[typeName] ??= {};
    const fields = out[typeName];
    const original: Resolver =
      fields[fieldName] ?? ((parent) => (parent as Record<string, unknown> | null)?.[fieldName]);
    fields[fieldName] = applyRule(coordinate, rule, original, cache);
  }
  return out;
}
