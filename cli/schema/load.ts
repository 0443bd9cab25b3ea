import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';
import {
  type CompositionProblem,
  checkFederationVersion,
  composeSubgraphs,
  readSupergraphConfig,
  SupergraphConfigError,
} from '../../gateway/compose.ts';
import { readAtRef } from './git.ts';
import { SchemaCheckInputError } from './input-error.ts';

export interface SchemaSources {
  /** The project root every other path is shown relative to. */
  root: string;
  /** rover's supergraph.yaml. */
  configPath: string;
  /** The committed composed supergraph (the file the gateway serves). */
  supergraphPath: string;
  /** A git ref to take the base supergraph from; the working-tree file when absent. */
  baseRef?: string;
}

export interface CompositionResult {
  ok: boolean;
  subgraphs: string[];
  errors: CompositionProblem[];
  hints: CompositionProblem[];
}

export interface LoadedSchemas {
  composition: CompositionResult;
  /** The API schema clients will see after this change; null when composition failed. */
  next: GraphQLSchema | null;
  /** The API schema clients see now. */
  base: GraphQLSchema;
  baseLabel: string;
  /** Whether the supergraph file equals what supergraph.yaml composes to; null when composition failed. */
  upToDate: boolean | null;
}

/**
 * The API schema of a supergraph: what clients can query, without join/link machinery or
 * @inaccessible elements. Every feature is accepted (`supportedFeatures: null`): the check reads
 * the schema, it does not execute it, and the gateway enforces its own feature policy at load.
 */
export function apiSchemaOf(supergraphSdl: string, label: string): GraphQLSchema {
  try {
    return Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
  } catch (error) {
    throw new SchemaCheckInputError(`${label} is not a valid supergraph: ${(error as Error).message}`);
  }
}

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Reads both sides of the comparison. Input problems (unreadable supergraph.yaml or schema file,
 * missing base, bad ref) throw SchemaCheckInputError; a composition that fails is a result.
 */
export function loadSchemas(sources: SchemaSources): LoadedSchemas {
  const shown = relative(sources.root, sources.supergraphPath) || sources.supergraphPath;
  let config: ReturnType<typeof readSupergraphConfig>;
  try {
    config = readSupergraphConfig(sources.configPath);
  } catch (error) {
    if (error instanceof SupergraphConfigError) throw new SchemaCheckInputError(error.message);
    throw error;
  }
  const committed = readOptional(sources.supergraphPath);
  let baseSdl: string;
  let baseLabel: string;
  if (sources.baseRef !== undefined) {
    baseSdl = readAtRef(sources.root, sources.baseRef, sources.supergraphPath);
    baseLabel = `${shown} at ${sources.baseRef}`;
  } else {
    if (committed === null)
      throw new SchemaCheckInputError(`cannot read ${shown}; run npm run compose first`);
    baseSdl = committed;
    baseLabel = shown;
  }
  const base = apiSchemaOf(baseSdl, baseLabel);

  const subgraphs = config.subgraphs.map((s) => s.name);
  const versionProblem = checkFederationVersion(config.federationVersion);
  const outcome = composeSubgraphs(config.subgraphs);
  if (versionProblem || !outcome.ok) {
    const errors = outcome.ok ? [] : outcome.errors;
    if (versionProblem)
      errors.unshift({ subgraph: null, code: 'FEDERATION_VERSION', message: versionProblem });
    return {
      composition: { ok: false, subgraphs, errors, hints: [] },
      next: null,
      base,
      baseLabel,
      upToDate: null,
    };
  }
  return {
    composition: { ok: true, subgraphs, errors: [], hints: outcome.hints },
    next: apiSchemaOf(outcome.supergraphSdl, 'the composed supergraph'),
    base,
    baseLabel,
    upToDate: committed === outcome.supergraphSdl,
  };
}
