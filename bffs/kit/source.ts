import type { GraphQLFormattedError } from 'graphql';
import { ErrorCodes } from '../../platform/errors.ts';
import { sourceFailureFrom } from './failures.ts';
import type { GatewayResult } from './gateway-client.ts';

type Path = readonly (string | number)[];

/**
 * A place in a gateway answer: the result and a path into its data. BFF objects built from a
 * gateway list keep one per item, so a field resolver can find its own value and the gateway's
 * error for exactly that item (`["models", "nodes", 3, "usage"]`).
 */
export interface SourceRef {
  result: GatewayResult<unknown>;
  path: Path;
}

export function ref(result: GatewayResult<unknown>, path: Path = []): SourceRef {
  return { result, path };
}

export function child(parent: SourceRef, ...path: Path): SourceRef {
  return { result: parent.result, path: [...parent.path, ...path] };
}

function related(error: GraphQLFormattedError, path: Path): boolean {
  // An error at the value's path, above it (its parent went null) or below it (one of its
  // non-null children failed and nulled it) explains why the value is missing.
  if (!error.path) return true;
  const n = Math.min(error.path.length, path.length);
  for (let i = 0; i < n; i += 1) if (error.path[i] !== path[i]) return false;
  return true;
}

/**
 * The value at a source ref. If it is missing and the gateway reported an error that explains it,
 * the gateway's failure is thrown (code, service, retryable as the gateway said); a value that is
 * simply null in the data is returned as null.
 */
export function read<T>(source: SourceRef): T | null {
  let value: unknown = source.result.data;
  for (const key of source.path) {
    if (value === null || value === undefined) break;
    value = (value as Record<string | number, unknown>)[key];
  }
  if (value !== null && value !== undefined) return value as T;
  const error = source.result.errors.find((candidate) => related(candidate, source.path));
  if (error) throw sourceFailureFrom(error);
  return null;
}

/** Like `read`, for values the BFF cannot do without (a null is an error too). */
export function need<T>(source: SourceRef): T {
  const value = read<T>(source);
  if (value === null)
    throw sourceFailureFrom({
      message: `no value at ${source.path.join('.')}`,
      extensions: { code: ErrorCodes.INTERNAL },
    });
  return value;
}
