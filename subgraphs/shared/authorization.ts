import {
  type DocumentNode,
  defaultFieldResolver,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  print,
} from 'graphql';
import { readRequirements, unmetRequirement } from '../../platform/authz/requirements.ts';
import { fieldError } from '../../platform/errors.ts';
import type { SubgraphContext } from './identity.ts';

/**
 * Defence in depth: the subgraph enforces its own `@authenticated` and `@requiresScopes` (on a
 * field, or on the type it returns) against the identity in the gateway's assertion, as the
 * gateway already did before planning. Were the gateway ever misconfigured, `tenants` still
 * needs `admin` and `setSpendAlert` still needs `billing:write` here. Resolvers are wrapped in
 * place so federation's own fields and resolvers stay as they are.
 */
export function enforceFieldRequirements(schema: GraphQLSchema, typeDefs: DocumentNode): GraphQLSchema {
  const requirements = readRequirements(print(typeDefs));
  if (requirements.fields.size === 0 && requirements.types.size === 0) return schema;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const needs = [
        requirements.fields.get(`${type.name}.${field.name}`),
        requirements.types.get(getNamedType(field.type).name),
      ].filter((requirement) => requirement !== undefined);
      if (needs.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: SubgraphContext, info) => {
        const { identity } = context;
        const caller = { authenticated: identity.userId !== null, scopes: identity.scopes };
        for (const requirement of needs) {
          const unmet = unmetRequirement(requirement, caller);
          if (unmet) {
            throw fieldError(
              caller.authenticated ? 'FORBIDDEN' : 'UNAUTHENTICATED',
              `${type.name}.${field.name} ${unmet}`,
            );
          }
        }
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
