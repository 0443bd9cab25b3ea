import { buildSchema, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readCacheHints } from '../../../gateway/cache/hints.ts';
import { operationCachePolicy } from '../../../gateway/cache/policy.ts';
import { fragmentsIn } from '../../../gateway/persisted/manifest.ts';

const SDL = `
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Query {
    models: [Model] @cacheControl(maxAge: 300)
    me: User @cacheControl(maxAge: 30, scope: PRIVATE)
    unhinted: Page
    typed: Model
    page: Page @cacheControl(maxAge: 100)
    node: Node @cacheControl(maxAge: 200)
    version: String
  }
  interface Node { id: ID! }
  type Model implements Node @cacheControl(maxAge: 600) {
    id: ID!
    name: String
    price: Price
    live: Price @cacheControl(maxAge: 5)
    owner: User
  }
  type Price @cacheControl(inheritMaxAge: true) { amount: Float }
  type User @cacheControl(maxAge: 60, scope: PRIVATE) { id: ID! invoices: [String] @cacheControl(maxAge: 0) }
  type Page { total: Int models: [Model] }
  type Mutation { touch: Model }
`;
const schema = buildSchema(SDL);
const hints = readCacheHints(SDL);
const policy = (query: string) => {
  const document = parse(query);
  const operation = document.definitions.find(
    (d) => d.kind === 'OperationDefinition',
  ) as OperationDefinitionNode;
  return operationCachePolicy(schema, operation, fragmentsIn(document), hints, 1000);
};

describe('operationCachePolicy (Apollo Server rules, read statically)', () => {
  it('takes the field hint over the type hint, and the smallest maxAge of the operation', () => {
    expect(policy('{ models { id name } }')).toEqual({ maxAge: 300, scope: 'PUBLIC' });
    expect(policy('{ models { id live { amount } } }')).toEqual({ maxAge: 5, scope: 'PUBLIC' });
  });
  it('inherits the parent maxAge with inheritMaxAge, and for scalars without hints', () => {
    expect(policy('{ models { price { amount } } }')).toEqual({ maxAge: 300, scope: 'PUBLIC' });
  });
  it('is uncacheable for a root field or an object field without a hint', () => {
    expect(policy('{ unhinted { total } }').maxAge).toBe(0);
    expect(policy('{ typed { id } }').maxAge).toBe(600);
    expect(policy('{ version }').maxAge).toBe(0);
    expect(policy('{ page { total models { id } } }').maxAge).toBe(100);
    expect(policy('{ page { total } models { id } }').maxAge).toBe(100);
  });
  it('is PRIVATE when any field or type is', () => {
    expect(policy('{ models { id owner { id } } }')).toEqual({ maxAge: 60, scope: 'PRIVATE' });
    expect(policy('{ me { id } }')).toEqual({ maxAge: 30, scope: 'PRIVATE' });
    expect(policy('{ me { invoices } }').maxAge).toBe(0);
  });
  it('follows fragments and inline fragments', () => {
    expect(policy('{ node { id ... on Model { live { amount } } } }').maxAge).toBe(5);
    expect(policy('query { models { ...M } } fragment M on Model { owner { id } }').scope).toBe('PRIVATE');
  });
  it('never caches mutations or introspection', () => {
    expect(policy('mutation { touch { id } }').maxAge).toBe(0);
    expect(policy('{ __schema { queryType { name } } }').maxAge).toBe(0);
  });
});
