import { z } from 'zod';
import { bffNames } from '../services.ts';

/**
 * A client operation list checked by `portico schema check` besides the BFFs' own
 * `bffs/<name>/operations/*.graphql`: a `.graphql` document or a JSON persisted-query manifest
 * (see docs/schema-check.md). A bare string is a path; `frontend` defaults to the file's name.
 */
const manifestEntry = z.union([
  z
    .string()
    .min(1)
    .transform((path) => ({ path, frontend: undefined as string | undefined })),
  z.strictObject({
    /** From the project root. */
    path: z.string().min(1),
    /** The name the report gives these operations' owner. */
    frontend: z.string().min(1).optional(),
  }),
]);

/**
 * An app built on a BFF: the operations it sends, which `portico schema check` keeps valid
 * against that BFF's schema. `operations` are paths or globs from the project root: `.graphql`
 * documents (sharing fragments across the app's files) or JSON persisted-query manifests.
 */
const appEntry = z.strictObject({
  /** The name the report gives the app: "web-dashboard WebDashboard breaks". */
  name: z.string().regex(/^[\w.-]+$/, 'letters, digits, . _ -'),
  bff: z.enum(bffNames as [string, ...string[]]),
  operations: z.array(z.string().min(1)).min(1),
});

/** Schema review (`npm run schema:check`): which client operations a schema change must not break. */
export const schemaCheckSection = z
  .strictObject({
    manifests: z.array(manifestEntry).default([]),
    apps: z.array(appEntry).default([]),
  })
  .prefault({});

export type AppOperations = z.infer<typeof appEntry>;

export type SchemaCheckConfig = z.infer<typeof schemaCheckSection>;
