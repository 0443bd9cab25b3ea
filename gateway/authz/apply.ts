import { type GraphQLFormattedError, type GraphQLOutputType, isListType, isNonNullType } from 'graphql';
import { ErrorCodes } from '../../platform/errors.ts';
import type { Decision, Segment } from './authorize.ts';

type Json = Record<string, unknown>;
type Path = (string | number)[];

function unwrapList(type: GraphQLOutputType): GraphQLOutputType | null {
  const nullable = isNonNullType(type) ? type.ofType : type;
  return isListType(nullable) ? (nullable.ofType as GraphQLOutputType) : null;
}

/** Every object reached by following `segments` from `value`, with its concrete path. */
function objectsAt(
  value: unknown,
  type: GraphQLOutputType | null,
  segments: Segment[],
  path: Path,
  out: { object: Json; path: Path }[],
): void {
  if (value === null || value === undefined) return;
  const itemType = type ? unwrapList(type) : null;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      objectsAt(item, itemType, segments, [...path, index], out);
    });
    return;
  }
  if (typeof value !== 'object') return;
  const [head, ...rest] = segments;
  if (!head) {
    out.push({ object: value as Json, path });
    return;
  }
  objectsAt((value as Json)[head.key], head.type, rest, [...path, head.key], out);
}

/**
 * Writes the denied fields back into the response as nulls, with an error at each concrete path,
 * and drops the `__typename` that was only added to keep the reduced operation valid. A denied
 * non-null field nulls its parent, as GraphQL's null propagation would.
 */
export function applyDecision(
  result: { data?: Json | null; errors?: readonly GraphQLFormattedError[] },
  decision: Decision,
): void {
  const data = result.data;
  if (!data) return;
  const errors: GraphQLFormattedError[] = [...(result.errors ?? [])];
  for (const denial of decision.denials) {
    const parentSegments = denial.pattern.slice(0, -1);
    const field = denial.pattern.at(-1)!;
    const parents: { object: Json; path: Path }[] = [];
    objectsAt(data, null, parentSegments, [], parents);
    for (const { object, path } of parents) {
      object[field.key] = null;
      errors.push({
        message: `not authorized: ${denial.coordinate} ${denial.reason}`,
        path: [...path, field.key],
        extensions: { code: ErrorCodes.FORBIDDEN },
      });
    }
    if (isNonNullType(field.type)) nullParents(data, parentSegments);
  }
  for (const denial of decision.denials) {
    const parentSegments = denial.pattern.slice(0, -1);
    if (decision.typenameRequested.has(parentSegments.map((s) => s.key).join('.'))) continue;
    const parents: { object: Json; path: Path }[] = [];
    objectsAt(data, null, parentSegments, [], parents);
    for (const { object } of parents) delete object.__typename;
  }
  result.errors = errors;
}

/** Replaces the objects at `segments` by null, walking further up while the position is non-null. */
function nullParents(data: Json, segments: Segment[]): void {
  if (segments.length === 0) return;
  const last = segments.at(-1)!;
  const holders: { object: Json; path: Path }[] = [];
  objectsAt(data, null, segments.slice(0, -1), [], holders);
  for (const { object } of holders) object[last.key] = null;
  if (isNonNullType(last.type)) nullParents(data, segments.slice(0, -1));
}
