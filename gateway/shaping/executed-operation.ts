import type { Operation } from '@apollo/federation-internals';
import type { DocumentNode, FragmentDefinitionNode, OperationDefinitionNode } from 'graphql';

type Schema = Parameters<typeof import('@apollo/federation-internals').operationFromDocument>[0];
type FromDocument = typeof import('@apollo/federation-internals').operationFromDocument;

interface Built {
  fragments: readonly FragmentDefinitionNode[];
  operation: Operation;
}

/**
 * @apollo/gateway's executeQueryPlan.js turns the request's operation into a federation-internals
 * `Operation` again on every request (`operationFromDocument(apiSchema, { definitions: [operation,
 * ...fragments] }, { validate: false })`), only to walk it when shaping the answer: ~2.5 % of a
 * small query's CPU in the gateway. It depends on nothing but the schema and those AST nodes, and
 * Apollo Server hands out the same parsed document for the same query text (its document cache),
 * so the result is kept per API schema and operation node, in weak maps: a new schema or a
 * document that left the cache takes its entry with it. Nothing reads it but to walk it.
 *
 * Only that call is served from here (an unvalidated two-part document built around an operation
 * node, as executeQueryPlan.js makes it); the planner's own call, which validates, goes through
 * unchanged, as does any call whose fragments are not the very nodes seen before.
 */
export function memoizedOperationFromDocument(original: FromDocument): FromDocument {
  const bySchema = new WeakMap<Schema, WeakMap<OperationDefinitionNode, Built>>();
  return (schema, document, options) => {
    if (options?.validate !== false || options.operationName !== undefined) {
      return original(schema, document, options);
    }
    const [first, ...fragments] = document.definitions;
    if (first?.kind !== 'OperationDefinition' || !fragments.every(isFragment)) {
      return original(schema, document, options);
    }
    let byNode = bySchema.get(schema);
    if (!byNode) {
      byNode = new WeakMap();
      bySchema.set(schema, byNode);
    }
    const known = byNode.get(first);
    if (known && sameNodes(known.fragments, fragments)) return known.operation;
    const operation = original(schema, document as DocumentNode, options);
    byNode.set(first, { fragments, operation });
    return operation;
  };
}

function isFragment(definition: DocumentNode['definitions'][number]): definition is FragmentDefinitionNode {
  return definition.kind === 'FragmentDefinition';
}

function sameNodes(a: readonly FragmentDefinitionNode[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
