import { createHash } from 'node:crypto';
import {
  type DocumentNode,
  type FieldNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  Kind,
  type OperationDefinitionNode,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import {
  type Caller,
  type SecurityRequirements,
  unmetRequirement,
} from '../../platform/authz/requirements.ts';
import { analyzeOperation, type OperationAnalysis, type SelectedField } from '../operation/analysis.ts';

/** One step of a response path pattern: a response key and the type of the field there. */
export interface Segment {
  key: string;
  type: GraphQLOutputType;
}

export interface Denial {
  /** From the root to the denied field; lists are expanded when the response is walked. */
  pattern: Segment[];
  coordinate: string;
  reason: string;
}

export interface Decision {
  denials: Denial[];
  /** The operation without the denied fields, to plan and execute instead of the original. */
  document: DocumentNode;
  /** The plan-cache key of the reduced document (its own, so no caller is served another's plan). */
  queryHash: string;
  /** Path patterns (joined keys) at which the client itself asked for `__typename`. */
  typenameRequested: Set<string>;
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/** The operation without the fields at `denied` coordinates, kept valid with `__typename`. */
function reduce(schema: GraphQLSchema, document: DocumentNode, denied: Set<string>): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const withoutDenied = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        return parent && denied.has(`${parent.name}.${node.name.value}`) ? null : undefined;
      },
    }),
  );
  // A selection set left empty would not validate; `__typename` keeps it valid and is removed
  // from the response again unless the client asked for it.
  return visit(withoutDenied, {
    SelectionSet: {
      leave(node) {
        return node.selections.length === 0 ? { ...node, selections: [TYPENAME] } : undefined;
      },
    },
  });
}

function decide(
  schema: GraphQLSchema,
  document: DocumentNode,
  analysis: OperationAnalysis,
  requirements: SecurityRequirements,
  caller: Caller,
): Decision | null {
  const denials: Denial[] = [];
  const deniedCoordinates = new Set<string>();
  const walk = (fields: SelectedField[], pattern: Segment[]) => {
    for (const field of fields) {
      const named = getNamedType(field.definition.type);
      // A field's own requirement and its type's both apply.
      const reason =
        [requirements.fields.get(field.coordinate), requirements.types.get(named.name)]
          .map((requirement) => (requirement ? unmetRequirement(requirement, caller) : null))
          .find((denied) => denied !== null) ?? null;
      const here = [...pattern, { key: field.key, type: field.definition.type }];
      if (reason) {
        denials.push({ pattern: here, coordinate: field.coordinate, reason });
        deniedCoordinates.add(field.coordinate);
      } else {
        walk(field.children, here);
      }
    }
  };
  walk(analysis.fields, []);
  if (denials.length === 0) return null;
  const reduced = reduce(schema, document, deniedCoordinates);
  return {
    denials,
    document: reduced,
    queryHash: createHash('sha256').update(print(reduced)).digest('hex'),
    typenameRequested: analysis.typenameAt,
  };
}

/**
 * Decides which fields of an operation the caller may not see, by the supergraph's
 * `@authenticated` and `@requiresScopes` on the field and on the type it returns, over the shared
 * operation analysis (so it sees exactly what rate limits and cost see). Decisions are per schema
 * coordinate, so removing a denied field wherever it appears (fragments included) matches what
 * the walk decided. Returns null when everything is allowed. Memoized per analysis and per what
 * the caller holds (authenticated, scopes): a repeated operation is decided once per kind of caller.
 */
export function authorize(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown>,
  requirements: SecurityRequirements,
  caller: Caller,
): Decision | null {
  const analysis = analyzeOperation(schema, document, operation, inputs);
  let memo = analysis.memo.get('authz') as
    | { requirements: SecurityRequirements; decisions: Map<string, Decision | null> }
    | undefined;
  if (memo?.requirements !== requirements) {
    memo = { requirements, decisions: new Map() };
    analysis.memo.set('authz', memo);
  }
  const key = `${caller.authenticated}\n${[...caller.scopes].sort().join(' ')}`;
  if (memo.decisions.has(key)) return memo.decisions.get(key)!;
  const decision = decide(schema, document, analysis, requirements, caller);
  // Distinct scope sets are few in practice; a flood of them only costs recomputation.
  if (memo.decisions.size < 256) memo.decisions.set(key, decision);
  return decision;
}
