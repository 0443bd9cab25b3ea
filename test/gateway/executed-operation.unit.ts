import * as federation from '@apollo/federation-internals';
import { type DocumentNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { memoizedOperationFromDocument } from '../../gateway/shaping/executed-operation.ts';

const sdl = 'type Query { me: User } type User { id: ID!, name: String }';
const text = 'query Me { me { ...who } } fragment who on User { id name }';

/** The document executeQueryPlan.js builds around the request's operation, on every request. */
function asExecuted(
  document: DocumentNode,
  fragments: readonly DocumentNode['definitions'][number][] = document.definitions.slice(1),
): DocumentNode {
  return { ...document, definitions: [document.definitions[0]!, ...fragments] };
}

// Identity is compared as a boolean: a failing object assertion would print a whole schema graph.
describe('the executed operation, built once per document instead of per request', () => {
  const build = memoizedOperationFromDocument(federation.operationFromDocument);
  const schema = federation.buildSchema(sdl);
  const document = parse(text);
  const unvalidated = { validate: false };

  it('is the same for the same operation and fragment nodes, and equal to one built afresh', () => {
    const first = build(schema, asExecuted(document), unvalidated);
    expect(build(schema, asExecuted(document), unvalidated) === first).toBe(true);
    expect(first.toString()).toBe(federation.operationFromDocument(schema, document, unvalidated).toString());
  });

  it('is built again for another schema, other fragment nodes or another document', () => {
    const first = build(schema, asExecuted(document), unvalidated);
    expect(build(federation.buildSchema(sdl), asExecuted(document), unvalidated) === first).toBe(false);
    const other = parse('fragment who on User { id }').definitions;
    const mixed = build(schema, asExecuted(document, other), unvalidated);
    expect(mixed === first).toBe(false);
    expect(mixed.toString()).not.toBe(first.toString());
    expect(build(schema, asExecuted(parse(text)), unvalidated) === first).toBe(false);
  });

  it('leaves validating calls (the planner) and named ones to the original', () => {
    const validated = build(schema, document, {});
    expect(build(schema, document, {}) === validated).toBe(false);
    const named = { validate: false, operationName: 'Me' };
    const first = build(schema, document, named);
    expect(build(schema, document, named) === first).toBe(false);
  });
});
