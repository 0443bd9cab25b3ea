import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { buildSchema } from 'graphql';

/**
 * A BFF's full schema as standalone SDL: every directive it uses is defined in it (so graphql-js's
 * `buildSchema`, graphql-codegen, Apollo iOS / Kotlin and GraphiQL accept it alone) and directive
 * uses such as `@rateLimit` are kept, so a client sees the budgets it is held to.
 */
export function contractSdl(typeDefs: string): string {
  return printSchemaWithDirectives(buildSchema(typeDefs));
}
