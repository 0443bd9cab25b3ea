import { z } from 'zod';
import { SchemaCheckInputError } from './input-error.ts';

/** One client document out of a JSON manifest. */
export interface ManifestEntry {
  id: string;
  name?: string;
  body: string;
}

/** What Apollo Client's `generate-persisted-query-manifest` writes. Unknown keys are ignored. */
const apolloManifest = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({ id: z.string().min(1), name: z.string().min(1).optional(), body: z.string().min(1) }),
  ),
});

/** `{ "<id or hash>": "<document>" }`: Relay's persisted queries and graphql-codegen's persisted documents. */
const documentMap = z.record(z.string().min(1), z.string().min(1));

/**
 * Reads a JSON persisted-query manifest in either format. Anything else is an input error naming
 * the file, because a manifest the check cannot read would silently protect nobody.
 */
export function readJsonManifest(text: string, file: string): ManifestEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SchemaCheckInputError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw === 'object' && raw !== null && 'format' in raw) {
    const parsed = apolloManifest.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SchemaCheckInputError(
        `${file}: not an apollo-persisted-query-manifest v1: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
      );
    }
    return parsed.data.operations.map(({ id, name, body }) => ({ id, name, body }));
  }
  const parsed = documentMap.safeParse(raw);
  if (!parsed.success) {
    throw new SchemaCheckInputError(
      `${file}: expected an apollo-persisted-query-manifest or an object of "<id>": "<document>"`,
    );
  }
  return Object.entries(parsed.data).map(([id, body]) => ({ id, body }));
}
