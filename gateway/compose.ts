import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { type GraphQLError, parse, Source } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** rover's `supergraph.yaml`, the subset Portico uses (schema files, not introspection). */
const supergraphConfigSchema = z.object({
  federation_version: z.union([z.string(), z.number()]).transform(String),
  subgraphs: z.record(
    z.string(),
    z.object({
      routing_url: z.url(),
      schema: z.object({ file: z.string().min(1) }),
    }),
  ),
});

export interface SubgraphSource {
  name: string;
  url: string;
  file: string;
  sdl: string;
}

export interface CompositionProblem {
  subgraph: string | null;
  code: string;
  message: string;
}

export type CompositionOutcome =
  | { ok: true; supergraphSdl: string; hints: CompositionProblem[]; subgraphs: SubgraphSource[] }
  | { ok: false; errors: CompositionProblem[]; subgraphs: SubgraphSource[] };

export class SupergraphConfigError extends Error {
  override name = 'SupergraphConfigError';
}

export const compositionVersion: string = (
  createRequire(import.meta.url)('@apollo/composition/package.json') as { version: string }
).version;

/**
 * rover accepts `=2.14.4` (exact) or `2` / `2.14` (a line). We compose with the installed
 * @apollo/composition, so a config that asks for another version is refused rather than silently
 * composed differently.
 */
export function checkFederationVersion(requested: string, installed = compositionVersion): string | null {
  const exact = requested.startsWith('=');
  const wanted = requested.replace(/^[=v]/, '');
  const ok = exact ? wanted === installed : installed === wanted || installed.startsWith(`${wanted}.`);
  return ok
    ? null
    : `federation_version ${requested} does not match the installed @apollo/composition ${installed}`;
}

export function readSupergraphConfig(path: string): {
  federationVersion: string;
  subgraphs: SubgraphSource[];
} {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SupergraphConfigError(`${path}: ${(error as Error).message}`);
  }
  const parsed = supergraphConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SupergraphConfigError(`${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const base = dirname(path);
  const subgraphs = Object.entries(parsed.data.subgraphs).map(([name, entry]) => {
    const file = resolve(base, entry.schema.file);
    let sdl: string;
    try {
      sdl = readFileSync(file, 'utf8');
    } catch {
      throw new SupergraphConfigError(
        `${path}: subgraph ${name}: cannot read schema file ${entry.schema.file}`,
      );
    }
    return { name, url: entry.routing_url, file, sdl };
  });
  return { federationVersion: parsed.data.federation_version, subgraphs };
}

/**
 * The subgraph an error is about: the `[name]` prefix composition puts on per-subgraph errors, else
 * the sources of the error's nodes (each subgraph is parsed as a Source named after it), joined
 * when several subgraphs disagree (a field sharing or type conflict).
 */
function problem(error: GraphQLError, names: string[]): CompositionProblem {
  const tagged = /^\[([^\]]+)\]\s*/.exec(error.message);
  const prefixed = tagged && names.includes(tagged[1]!) ? tagged[1]! : null;
  const sources = [...new Set((error.nodes ?? []).map((node) => node.loc?.source.name))].filter(
    (name): name is string => name !== undefined && names.includes(name),
  );
  return {
    subgraph: prefixed ?? (sources.length > 0 ? sources.sort().join(', ') : null),
    code: typeof error.extensions?.code === 'string' ? error.extensions.code : 'COMPOSITION_ERROR',
    message: tagged && prefixed ? error.message.slice(tagged[0].length) : error.message,
  };
}

/** Composes subgraph SDLs in-process. Syntax errors are reported per subgraph like composition errors. */
export function composeSubgraphs(subgraphs: SubgraphSource[]): CompositionOutcome {
  const names = subgraphs.map((s) => s.name);
  const syntax: CompositionProblem[] = [];
  const services = subgraphs.flatMap((subgraph) => {
    try {
      return [
        { name: subgraph.name, url: subgraph.url, typeDefs: parse(new Source(subgraph.sdl, subgraph.name)) },
      ];
    } catch (error) {
      syntax.push({ subgraph: subgraph.name, code: 'INVALID_GRAPHQL', message: (error as Error).message });
      return [];
    }
  });
  if (syntax.length > 0) return { ok: false, errors: syntax, subgraphs };
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map((e) => problem(e, names)), subgraphs };
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl,
    hints: result.hints.map((hint) => ({
      subgraph: null,
      code: hint.definition.code,
      message: hint.message,
    })),
    subgraphs,
  };
}

export function composeFromConfig(path: string): CompositionOutcome & { versionProblem: string | null } {
  const config = readSupergraphConfig(path);
  return {
    ...composeSubgraphs(config.subgraphs),
    versionProblem: checkFederationVersion(config.federationVersion),
  };
}
