import { z } from 'zod';

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

/** Schema review (`npm run schema:check`): which client operations a schema change must not break. */
export const schemaCheckSection = z
  .strictObject({
    manifests: z.array(manifestEntry).default([]),
  })
  .prefault({});

export type SchemaCheckConfig = z.infer<typeof schemaCheckSection>;
