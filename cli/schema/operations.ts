import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import {
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  visit,
} from 'graphql';
import type { AppOperations, SchemaCheckConfig } from '../../platform/config/schema-check.ts';
import { expandGlob } from '../glob.ts';
import { SchemaCheckInputError } from './input-error.ts';
import { readJsonManifest } from './manifest.ts';

/** Where an operation is registered: the report names it by these. */
export interface OperationRef {
  frontend: string;
  /** From the project root, with forward slashes. */
  file: string;
  /** The operation's name, or `(anonymous)`. */
  name: string;
  /** 1-based line of the operation in a .graphql file. */
  line?: number;
  /** The entry's id in a JSON manifest. */
  id?: string;
}

export interface RegisteredOperation {
  ref: OperationRef;
  /** The operation with the fragments it spreads (transitively), ready to validate on its own. */
  document: DocumentNode;
}

/** Documents that share fragments: a BFF's operations folder, a .graphql manifest, a JSON entry. */
interface Scope {
  frontend: string;
  documents: { file: string; body: string; id?: string; name?: string }[];
}

function parseOrThrow(body: string, where: string): DocumentNode {
  try {
    return parse(body);
  } catch (error) {
    throw new SchemaCheckInputError(`${where}: ${(error as Error).message}`);
  }
}

function withFragments(
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
): DocumentNode {
  const needed = new Map<string, FragmentDefinitionNode>();
  const pending: DefinitionNode[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !needed.has(fragment.name.value)) {
          needed.set(fragment.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  // A spread of an unknown fragment stays unresolved: validation reports it as this operation's error.
  return { kind: Kind.DOCUMENT, definitions: [operation, ...needed.values()] };
}

function operationsOf(scope: Scope): RegisteredOperation[] {
  const parsed = scope.documents.map((doc) => ({
    ...doc,
    ast: parseOrThrow(doc.body, doc.id ? `${doc.file}#${doc.id}` : doc.file),
  }));
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { ast } of parsed)
    for (const def of ast.definitions)
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return parsed.flatMap(({ file, id, name, ast }) =>
    ast.definitions
      .filter((def): def is OperationDefinitionNode => def.kind === Kind.OPERATION_DEFINITION)
      .map((operation) => ({
        ref: {
          frontend: scope.frontend,
          file,
          name: operation.name?.value ?? name ?? '(anonymous)',
          ...(id === undefined ? { line: operation.loc?.startToken.line ?? 1 } : { id }),
        },
        document: withFragments(operation, fragments),
      })),
  );
}

const posix = (path: string) => path.split(sep).join('/');

function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).map((e) => e.name) : [];
}

/** `bffs/<frontend>/operations/*.graphql`: the folder under bffs/ names the frontend. */
function bffScopes(root: string): Scope[] {
  const bffs = join(root, 'bffs');
  return listDir(bffs)
    .sort()
    .map((frontend) => {
      const dir = join(bffs, frontend, 'operations');
      const files = listDir(dir)
        .filter((name) => name.endsWith('.graphql'))
        .sort();
      return {
        frontend,
        documents: files.map((name) => ({
          file: posix(relative(root, join(dir, name))),
          body: readFileSync(join(dir, name), 'utf8'),
        })),
      };
    })
    .filter((scope) => scope.documents.length > 0);
}

function manifestScopes(root: string, manifests: SchemaCheckConfig['manifests']): Scope[] {
  return manifests.flatMap(({ path, frontend }) => {
    const absolute = resolve(root, path);
    const file = posix(relative(root, absolute));
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch {
      throw new SchemaCheckInputError(`schemaCheck.manifests: cannot read ${file}`);
    }
    const owner = frontend ?? basename(absolute, extname(absolute));
    if (extname(absolute) !== '.json') return [{ frontend: owner, documents: [{ file, body: text }] }];
    // Each persisted document stands alone: ids do not share fragments.
    return readJsonManifest(text, file).map((entry) => ({
      frontend: owner,
      documents: [{ file, body: entry.body, id: entry.id, name: entry.name }],
    }));
  });
}

/**
 * The operations of an app built on a BFF (`schemaCheck.apps`): its `.graphql` files form one
 * scope (fragments shared across them); each JSON manifest entry stands alone. A path or glob
 * that matches nothing is an input error: a typo must not leave an app unprotected.
 */
export function appOperations(root: string, app: AppOperations): RegisteredOperation[] {
  const files = app.operations.flatMap((pattern) => {
    const found = expandGlob(pattern, root);
    if (found.length === 0)
      throw new SchemaCheckInputError(`schemaCheck.apps ${app.name}: ${pattern} matches no file`);
    return found;
  });
  const documents = files
    .filter((file) => extname(file) !== '.json')
    .map((file) => ({ file: posix(relative(root, file)), body: readFileSync(file, 'utf8') }));
  const manifests = files
    .filter((file) => extname(file) === '.json')
    .flatMap((file) => {
      const shown = posix(relative(root, file));
      return readJsonManifest(readFileSync(file, 'utf8'), shown).map((entry) => ({
        frontend: app.name,
        documents: [{ file: shown, body: entry.body, id: entry.id, name: entry.name }],
      }));
    });
  return [{ frontend: app.name, documents }, ...manifests].flatMap(operationsOf);
}

/** Every client operation the schema must keep serving. */
export function discoverOperations(root: string, config: SchemaCheckConfig): RegisteredOperation[] {
  return [...bffScopes(root), ...manifestScopes(root, config.manifests)].flatMap(operationsOf);
}

export function describeRef(ref: OperationRef): string {
  return ref.id !== undefined ? `${ref.file}#${ref.id}` : `${ref.file}:${ref.line}`;
}
