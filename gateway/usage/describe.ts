import { createHash } from 'node:crypto';
import { usageReportingSignature } from '@apollo/utils.usagereporting';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { type DeprecatedUse, deprecatedUses } from '../../platform/schema/deprecations.ts';
import { coordinatesUsed } from '../../platform/schema/usage.ts';

/** What usage recording needs to know of an operation, worked out once per document. */
export interface OperationFacts {
  name: string;
  signature: string;
  coordinates: string[];
  deprecated: DeprecatedUse[];
}

/**
 * The coordinates and deprecated uses of an operation, cached on the parsed document (Apollo
 * Server hands back the same document object for the same query text, so a repeated operation
 * costs one map lookup). The coordinate rules are schema check's own (platform/schema/usage.ts), so
 * what the gateway records is exactly what the check compares against a change.
 */
export function createDescriber() {
  const cache = new WeakMap<DocumentNode, Map<string, OperationFacts>>();
  return (
    document: DocumentNode,
    operation: OperationDefinitionNode,
    schema: GraphQLSchema,
  ): OperationFacts => {
    const name = operation.name?.value ?? '(anonymous)';
    let byName = cache.get(document);
    if (!byName) {
      byName = new Map();
      cache.set(document, byName);
    }
    let facts = byName.get(name);
    if (!facts) {
      // Only this operation (and the fragments it spreads) counts, not its siblings in the document.
      const single: DocumentNode = {
        ...document,
        definitions: document.definitions.filter((d) => d.kind !== 'OperationDefinition' || d === operation),
      };
      const signature = usageReportingSignature(single, operation.name?.value ?? '');
      facts = {
        name,
        signature: createHash('sha256').update(signature).digest('hex').slice(0, 16),
        coordinates: [...coordinatesUsed(single, schema)].sort(),
        deprecated: deprecatedUses(single, schema),
      };
      byName.set(name, facts);
    }
    return facts;
  };
}
