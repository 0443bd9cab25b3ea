import { createRequire } from 'node:module';
import * as federation from '@apollo/federation-internals';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { type ComputeResponseArgs, computeResponseWith } from '../../gateway/shaping/compute-response.ts';
import { installResultShaping, SHAPED_GATEWAY_VERSION } from '../../gateway/shaping/install.ts';

const fromGateway = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
// Read before any replacement: the gateway's own shaping is the reference.
const original = (
  fromGateway('./resultShaping.js') as { computeResponse: (args: ComputeResponseArgs) => unknown }
).computeResponse;
const replacement = computeResponseWith(fromGateway('@apollo/federation-internals'));

const schema = federation.buildSchema(`
  type Query { me: User, users: [User!], things: [Thing], count: Int, node(id: ID!): Node }
  interface Node { id: ID! }
  type User implements Node { id: ID!, name: String, age: Int, friends: [User!]!, best: User! }
  type Book implements Node { id: ID!, title: String! }
  union Thing = User | Book
`);

interface Shaped {
  data: unknown;
  errors: { message: string; path?: readonly (string | number)[] }[];
}

function both(query: string, input: unknown, variables?: Record<string, unknown>) {
  const run = (shape: (args: ComputeResponseArgs) => unknown) => {
    const operation = federation.operationFromDocument(schema, parse(query) as never);
    const result = shape({
      operation,
      variables,
      input: structuredClone(input) as Record<string, unknown>,
      introspectionHandling: (field) => `introspected ${field.element.name}`,
    }) as Shaped;
    return {
      json: JSON.stringify(result.data),
      errors: result.errors.map((e) => ({ message: e.message, path: e.path })),
    };
  };
  return { stock: run(original), ours: run(replacement) };
}

const users = [
  { __typename: 'User', id: '1', name: 'Ada', age: 36, friends: [], best: { id: '2', name: 'Bo' } },
  {
    __typename: 'User',
    id: '2',
    name: 'Bo',
    age: 41,
    friends: [{ id: '1', name: 'Ada' }],
    best: { id: '1' },
  },
];

/** The replacement of @apollo/gateway's result shaping answers exactly what the original does. */
describe('result shaping', () => {
  it.each([
    [
      'aliases, nested lists, __typename',
      '{ people: users { id who: name kind: __typename friends { name } } }',
      { users },
    ],
    ['missing fields become null', '{ users { id name age } count }', { users: [{ id: '1' }] }],
    [
      'skip and include from variables and literals',
      'query Q($s: Boolean!, $i: Boolean = true) { users { id @skip(if: $s) name @include(if: $i) age @skip(if: false) } }',
      { users },
      { s: true },
    ],
    [
      'fragments on a union and an interface',
      '{ things { __typename ... on User { id name } ... on Book { id title } } node(id: "1") { id ... on User { best { name } } } }',
      { things: [users[0], { __typename: 'Book', id: 'b', title: 'T' }], node: users[1] },
    ],
    [
      'the same field from two fragments merges',
      '{ users { best { id } ... on User { best { name } } } }',
      { users },
    ],
    [
      'null in a non-null list element bubbles to the list',
      '{ users { id } count }',
      { users: [{ id: '1' }, null], count: 3 },
    ],
    [
      'null for a non-null field bubbles to the nearest nullable',
      '{ me { best { id } name } count }',
      { me: { best: null, name: 'x' }, count: 1 },
    ],
    ['a non-null path up to the root nulls the data', '{ me { friends { id } } }', { me: { friends: null } }],
    [
      'an unknown __typename is an error at its path',
      '{ things { ... on User { id } } }',
      { things: [{ __typename: 'Nope', id: '1' }] },
    ],
    ['an invalid leaf value is an error and null', '{ users { age } }', { users: [{ age: 'old' }] }],
    [
      'introspection fields are delegated',
      '{ __typename users { id } __schema { queryType { name } } }',
      { users },
    ],
  ])('%s', (_name, query, input, variables?: Record<string, unknown>) => {
    const { stock, ours } = both(query, input, variables);
    expect(ours).toEqual(stock);
  });

  it('throws where the original throws (a non-list for a list)', () => {
    expect(() => both('{ users { id } }', { users: { id: '1' } }).stock).toThrow();
    const operation = federation.operationFromDocument(schema, parse('{ users { id } }') as never);
    const args = { operation, input: { users: { id: '1' } }, introspectionHandling: () => null };
    expect(() => replacement(args)).toThrow(/Invalid non-list value/);
  });

  it('replaces the gateway version it was written against, and only that one', () => {
    const version = (fromGateway('../package.json') as { version: string }).version;
    expect(installResultShaping()).toBe(version === SHAPED_GATEWAY_VERSION);
    expect(version).toBe(SHAPED_GATEWAY_VERSION);
  });
});
