import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  print,
  type SelectionSetNode,
} from 'graphql';
import { z } from 'zod';

/**
 * The safelist, in Apollo's persisted query manifest format, so manifests made by Apollo's own
 * tooling (`generate-persisted-query-manifest`) load too. `id` is the SHA-256 of `body`: the same
 * hash an APQ client sends.
 */
const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/),
      name: z.string(),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});
export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestOperation = Manifest['operations'][number];

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function spreadNames(selectionSet: SelectionSetNode, into: Set<string>): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) into.add(selection.name.value);
    else if (selection.selectionSet) spreadNames(selection.selectionSet, into);
  }
}

/** The fragments an operation uses, directly or through other fragments, sorted by name. */
function fragmentsOf(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] | null {
  const wanted = new Set<string>();
  spreadNames(operation.selectionSet, wanted);
  const found = new Map<string, FragmentDefinitionNode>();
  for (const name of wanted) {
    if (found.has(name)) continue;
    const fragment = fragments.get(name);
    if (!fragment) return null;
    found.set(name, fragment);
    spreadNames(fragment.selectionSet, wanted);
  }
  return [...found.values()].sort((a, b) => a.name.value.localeCompare(b.name.value));
}

/**
 * One operation and the fragments it uses, printed by graphql-js: the normal form that makes two
 * documents "identical" when they differ only in layout, comments, other operations or unused
 * fragments. Null when the operation or a fragment it needs is missing.
 */
export function operationBody(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): string | null {
  const used = fragmentsOf(operation, fragments);
  if (!used) return null;
  const definitions: DefinitionNode[] = [operation, ...used];
  return print({ kind: Kind.DOCUMENT, definitions });
}

export function fragmentsIn(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** The normal form of the operation a request selects (by `operationName`), or null. */
export function selectedOperationBody(
  document: DocumentNode,
  operationName: string | undefined,
): string | null {
  const operation = getOperationAST(document, operationName);
  return operation ? operationBody(operation, fragmentsIn(document)) : null;
}

export function readManifest(path: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const hint =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? ' (build it with npm run manifest)' : '';
    throw new Error(`persisted query manifest ${path}: ${(error as Error).message}${hint}`);
  }
  const result = manifestSchema.safeParse(raw);
  if (!result.success) {
    throw new Error(`persisted query manifest ${path} is malformed: ${result.error.issues[0]?.message}`);
  }
  for (const operation of result.data.operations) {
    if (sha256(operation.body) !== operation.id) {
      throw new Error(
        `persisted query manifest ${path}: id of ${operation.name} is not the hash of its body`,
      );
    }
  }
  return result.data;
}
