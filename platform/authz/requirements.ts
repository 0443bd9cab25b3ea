import {
  type ConstDirectiveNode,
  type DocumentNode,
  Kind,
  parse,
  print,
  type StringValueNode,
  visit,
} from 'graphql';

/** What a field (or a type) asks of the caller, read from the supergraph. */
export interface Requirement {
  authenticated: boolean;
  /** Alternatives (OR) of scope sets (AND); null when no scopes are required. */
  scopes: string[][] | null;
}

/** What a caller has, as far as `@authenticated` and `@requiresScopes` are concerned. */
export interface Caller {
  authenticated: boolean;
  scopes: readonly string[];
}

/** Why the caller does not meet a requirement (safe to show), or null when it does. */
export function unmetRequirement(requirement: Requirement, caller: Caller): string | null {
  if (requirement.authenticated && !caller.authenticated) return 'requires an authenticated caller';
  if (
    requirement.scopes &&
    !requirement.scopes.some((group) => group.every((scope) => caller.scopes.includes(scope)))
  ) {
    return `requires scope ${requirement.scopes.map((group) => group.join(' and ')).join(' or ')}`;
  }
  return null;
}

export interface SecurityRequirements {
  fields: Map<string, Requirement>;
  types: Map<string, Requirement>;
}

const FEATURES = {
  authenticated: 'https://specs.apollo.dev/authenticated/',
  requiresScopes: 'https://specs.apollo.dev/requiresScopes/',
} as const;

function linkArgs(directive: ConstDirectiveNode): { url?: string; as?: string } {
  const out: { url?: string; as?: string } = {};
  for (const arg of directive.arguments ?? []) {
    if ((arg.name.value === 'url' || arg.name.value === 'as') && arg.value.kind === Kind.STRING) {
      out[arg.name.value] = (arg.value as StringValueNode).value;
    }
  }
  return out;
}

function schemaLinks(document: DocumentNode): ConstDirectiveNode[] {
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION
      ? (definition.directives ?? []).filter((d) => d.name.value === 'link')
      : [],
  );
}

/** The names the supergraph uses for the two directives (a link may rename them with `as:`). */
function directiveNames(document: DocumentNode): { authenticated: string; requiresScopes: string } {
  const names = { authenticated: 'authenticated', requiresScopes: 'requiresScopes' };
  for (const link of schemaLinks(document)) {
    const { url, as } = linkArgs(link);
    for (const key of Object.keys(FEATURES) as (keyof typeof FEATURES)[]) {
      if (url?.startsWith(FEATURES[key]) && as) names[key] = as;
    }
  }
  return names;
}

function requirementOf(
  directives: readonly ConstDirectiveNode[] | undefined,
  names: { authenticated: string; requiresScopes: string },
): Requirement | null {
  let authenticated = false;
  let scopes: string[][] | null = null;
  for (const directive of directives ?? []) {
    if (directive.name.value === names.authenticated) authenticated = true;
    if (directive.name.value === names.requiresScopes) {
      const arg = directive.arguments?.find((a) => a.name.value === 'scopes');
      if (arg?.value.kind === Kind.LIST) {
        scopes = arg.value.values.map((group) =>
          group.kind === Kind.LIST
            ? group.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []))
            : [],
        );
      }
    }
  }
  return authenticated || scopes ? { authenticated: authenticated || scopes !== null, scopes } : null;
}

/** Reads every `@authenticated` and `@requiresScopes` of a supergraph into lookup tables. */
export function readRequirements(supergraphSdl: string): SecurityRequirements {
  const document = parse(supergraphSdl);
  const names = directiveNames(document);
  const fields = new Map<string, Requirement>();
  const types = new Map<string, Requirement>();
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION &&
      definition.kind !== Kind.SCALAR_TYPE_DEFINITION &&
      definition.kind !== Kind.ENUM_TYPE_DEFINITION
    ) {
      continue;
    }
    const onType = requirementOf(definition.directives, names);
    if (onType) types.set(definition.name.value, onType);
    if ('fields' in definition) {
      for (const field of definition.fields ?? []) {
        const onField = requirementOf(field.directives, names);
        if (onField) fields.set(`${definition.name.value}.${field.name.value}`, onField);
      }
    }
  }
  return { fields, types };
}

/**
 * @apollo/gateway refuses a supergraph with a `for: SECURITY` link it does not enforce itself,
 * which is right for a gateway on its own. Portico enforces these two in its field authorization
 * plugin, so only their links are presented to @apollo/gateway without the purpose; any other
 * security feature still makes the gateway refuse the supergraph.
 */
export function presentEnforcedSecurityFeatures(supergraphSdl: string): string {
  const document = parse(supergraphSdl);
  let changed = false;
  const edited = visit(document, {
    Directive(node) {
      if (node.name.value !== 'link') return undefined;
      const { url } = linkArgs(node as ConstDirectiveNode);
      if (!url || !Object.values(FEATURES).some((prefix) => url.startsWith(prefix))) return undefined;
      const args = node.arguments?.filter((arg) => arg.name.value !== 'for');
      if (args?.length === node.arguments?.length) return undefined;
      changed = true;
      return { ...node, arguments: args };
    },
  });
  return changed ? print(edited) : supergraphSdl;
}
