import { describe, expect, it } from 'vitest';
import { requestBody } from '../../../gateway/transport/body.ts';

describe('subgraph request body', () => {
  const query =
    'query($representations:[_Any!]!){_entities(representations:$representations){...on User{name "\\u2028"}}}';
  const cases: [Record<string, unknown> | undefined, string | undefined][] = [
    [undefined, undefined],
    [{ representations: [{ __typename: 'User', id: '1' }] }, undefined],
    [{ a: 1, skipped: undefined, when: new Date(0) }, 'Op'],
    [{}, 'Named "quoted" \u2028'],
  ];

  it.each(cases)('is what JSON.stringify of the operation gives (%j, %j)', (variables, operationName) => {
    const expected = JSON.stringify({ query, variables, operationName });
    expect(requestBody(query, variables, operationName)).toBe(expected);
    // Again, from the query's cached encoding.
    expect(requestBody(query, variables, operationName)).toBe(expected);
  });

  it('encodes each query on its own', () => {
    expect(requestBody('{ a }', undefined, undefined)).toBe('{"query":"{ a }"}');
    expect(requestBody('{ b }', { x: null }, undefined)).toBe('{"query":"{ b }","variables":{"x":null}}');
  });
});
