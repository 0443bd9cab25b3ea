import { buildSchema, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { analyzeOperation } from '../../gateway/operation/analysis.ts';

const schema = buildSchema(`
  type Query { me: User, users(first: Int): [User], health: String }
  type User { id: ID!, name: String, friends: [User] }
`);

function analyse(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return { document, operation, analysis: analyzeOperation(schema, document, operation, variables) };
}

/** The one analysis of what an operation selects, which every gateway policy reads. */
describe('operation analysis', () => {
  it('expands fragments in place, with response keys, coordinates and root fields', () => {
    const { analysis } = analyse(`
      query { ...Q  health  __typename }
      fragment Q on Query { people: users(first: 2) { ...U  ... on User { friends { __typename id } } } }
      fragment U on User { id name }
    `);
    expect([...analysis.rootFields].sort()).toEqual(['health', 'users']);
    expect([...analysis.coordinates].sort()).toEqual([
      'Query.health',
      'Query.users',
      'User.friends',
      'User.id',
      'User.name',
    ]);
    const people = analysis.fields.find((f) => f.key === 'people')!;
    expect(people.children.map((f) => f.key)).toEqual(['id', 'name', 'friends']);
    expect([...analysis.typenameAt].sort()).toEqual(['', 'people.friends']);
  });

  it('applies @skip/@include with the coerced variables, defaults included', () => {
    const query = `query ($show: Boolean = true, $hide: Boolean!) {
      me { id name @include(if: $show) friends @skip(if: $hide) { id } }
      health @skip(if: true)
    }`;
    const shown = analyse(query, { hide: false }).analysis;
    expect([...shown.coordinates].sort()).toEqual(['Query.me', 'User.friends', 'User.id', 'User.name']);
    const hidden = analyse(query, { show: false, hide: true }).analysis;
    expect([...hidden.coordinates].sort()).toEqual(['Query.me', 'User.id']);
    // Variables that do not coerce: everything counts as selected (deny more, cost more, never less).
    const invalid = analyse(query, { hide: 'yes' }).analysis;
    expect([...invalid.coordinates].sort()).toEqual([
      'Query.health',
      'Query.me',
      'User.friends',
      'User.id',
      'User.name',
    ]);
  });

  it('is computed once per document and per the values its conditions read', () => {
    const { document, operation, analysis } = analyse(
      'query ($a: Boolean!, $n: Int) { users(first: $n) @include(if: $a) { id } }',
      { a: true, n: 1 },
    );
    // Other variables (not read by a condition) share the analysis; a different condition does not.
    expect(analyzeOperation(schema, document, operation, { a: true, n: 5 })).toBe(analysis);
    const other = analyzeOperation(schema, document, operation, { a: false, n: 1 });
    expect(other).not.toBe(analysis);
    expect(other.rootFields.size).toBe(0);
    expect(analyzeOperation(schema, document, operation, { a: false })).toBe(other);
  });
});
