import { dirname } from 'node:path';
import { type FragmentDefinitionNode, GraphQLError, Kind, parse } from 'graphql';
import { fragmentsIn, type Manifest, type ManifestOperation, operationBody, sha256 } from './manifest.ts';

export interface OperationSource {
  path: string;
  text: string;
}

/**
 * Builds the safelist from operation files. Fragments are shared by the files of one folder (one
 * BFF's `operations/`), so two BFFs may each have their own `ModelCard`. Every operation needs a
 * name, unique in its folder; problems are collected, each naming its file, and no manifest is
 * made while there is any.
 */
export function buildManifest(sources: readonly OperationSource[]): {
  manifest: Manifest;
  problems: string[];
} {
  const problems: string[] = [];
  const folders = new Map<string, OperationSource[]>();
  for (const source of sources) {
    const folder = dirname(source.path);
    folders.set(folder, [...(folders.get(folder) ?? []), source]);
  }
  const byId = new Map<string, ManifestOperation>();
  for (const files of folders.values()) {
    const parsed = files.flatMap((file) => {
      try {
        return [{ file, document: parse(file.text) }];
      } catch (error) {
        problems.push(`${file.path}: ${error instanceof GraphQLError ? error.message : String(error)}`);
        return [];
      }
    });
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const { file, document } of parsed) {
      for (const [name, fragment] of fragmentsIn(document)) {
        if (fragments.has(name))
          problems.push(`${file.path}: fragment ${name} is defined twice in its folder`);
        fragments.set(name, fragment);
      }
    }
    const names = new Set<string>();
    for (const { file, document } of parsed) {
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const name = definition.name?.value;
        if (!name) {
          problems.push(`${file.path}: an operation without a name cannot be safelisted`);
          continue;
        }
        if (names.has(name)) problems.push(`${file.path}: operation ${name} is defined twice in its folder`);
        names.add(name);
        const body = operationBody(definition, fragments);
        if (body === null) {
          problems.push(`${file.path}: operation ${name} uses a fragment defined nowhere in its folder`);
          continue;
        }
        const id = sha256(body);
        byId.set(id, { id, name, type: definition.operation, body });
      }
    }
  }
  const operations = [...byId.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  return { manifest: { format: 'apollo-persisted-query-manifest', version: 1, operations }, problems };
}
