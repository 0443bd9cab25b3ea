/**
 * Something the check cannot run without is missing or malformed (a file, a git ref, a manifest):
 * `portico schema check` exits 2 with the message rather than pretending to judge the schema.
 */
export class SchemaCheckInputError extends Error {
  override name = 'SchemaCheckInputError';
}
