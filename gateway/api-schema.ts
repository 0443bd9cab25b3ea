import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

/**
 * The schema clients see, derived from a supergraph: join directives and `@inaccessible`
 * elements removed, exactly as @apollo/gateway derives it. BFF code generation and the schema
 * review validate client operations against this.
 */
export function apiSchemaFromSupergraph(supergraphSdl: string): GraphQLSchema {
  // Portico enforces the security features itself (see platform/authz/requirements.ts), so they are
  // accepted here as they are in the gateway.
  const supergraph = Supergraph.build(supergraphSdl, { supportedFeatures: null });
  return supergraph.apiSchema().toGraphQLJSSchema();
}
