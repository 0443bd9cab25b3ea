import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

// RFC 3339 date-time, as the scalar's specification (scalars.graphql.org/andimarek/date-time) asks.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function dateTime(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value))) return value;
  throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}: not an RFC 3339 date-time`);
}

/**
 * `DateTime`: the backends' ISO 8601 strings, checked, so a client generating types from a BFF's
 * contract can map it to its platform's date type (a `Date`, `Instant`, `OffsetDateTime`).
 */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant in time, ISO 8601 with an offset (RFC 3339), e.g. 2026-01-31T09:30:00.000Z.',
  specifiedByURL: 'https://scalars.graphql.org/andimarek/date-time',
  serialize: dateTime,
  parseValue: dateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
    return dateTime(ast.value);
  },
});

/** The kit's scalars a BFF schema declares (`scalar DateTime`), ready for makeExecutableSchema. */
export function scalarResolvers(typeDefs: string): Record<string, GraphQLScalarType> {
  return /^scalar DateTime\b/m.test(typeDefs) ? { DateTime: DateTimeScalar } : {};
}
