import { type DirectiveNode, Kind, parse, valueFromASTUntyped } from 'graphql';

export type CacheScope = 'PUBLIC' | 'PRIVATE';

/** One `@cacheControl` application, as Apollo Server reads it. */
export interface CacheHint {
  maxAge?: number;
  scope?: CacheScope;
  inheritMaxAge?: boolean;
}

/** The supergraph's cache hints: on fields (`Type.field`) and on composite types. */
export interface CacheHints {
  fields: Map<string, CacheHint>;
  types: Map<string, CacheHint>;
}

export const noCacheHints = (): CacheHints => ({ fields: new Map(), types: new Map() });

function hintOf(directives: readonly DirectiveNode[] | undefined): CacheHint | undefined {
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  if (!directive) return undefined;
  const hint: CacheHint = {};
  for (const argument of directive.arguments ?? []) {
    const value = valueFromASTUntyped(argument.value);
    if (argument.name.value === 'maxAge' && typeof value === 'number') hint.maxAge = value;
    if (argument.name.value === 'scope' && (value === 'PUBLIC' || value === 'PRIVATE')) hint.scope = value;
    if (argument.name.value === 'inheritMaxAge' && value === true) hint.inheritMaxAge = true;
  }
  return hint;
}

/**
 * Reads `@cacheControl` from the composed supergraph. The subgraphs import it under its own name
 * and `@composeDirective` keeps that name, so it is found as `@cacheControl`; a supergraph
 * without hints yields none, and then nothing is cacheable.
 */
export function readCacheHints(supergraphSdl: string): CacheHints {
  const hints = noCacheHints();
  for (const definition of parse(supergraphSdl).definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION &&
      definition.kind !== Kind.UNION_TYPE_DEFINITION
    ) {
      continue;
    }
    const typeName = definition.name.value;
    const typeHint = hintOf(definition.directives);
    if (typeHint) hints.types.set(typeName, typeHint);
    if (definition.kind === Kind.UNION_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      const fieldHint = hintOf(field.directives);
      if (fieldHint) hints.fields.set(`${typeName}.${field.name.value}`, fieldHint);
    }
  }
  return hints;
}
