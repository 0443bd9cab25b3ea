import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../platform/errors.ts';
import { projectRoot } from '../../platform/paths.ts';

/** The rows of the README's error table: code, HTTP status, retryable, meaning. */
function readmeErrorTable(): Map<string, { status: number; retryable: boolean; meaning: string }> {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const section = readme.split(/^## Error codes$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = new Map<string, { status: number; retryable: boolean; meaning: string }>();
  for (const match of section.matchAll(
    /^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*(yes|no)\s*\|\s*(.+?)\s*\|$/gm,
  )) {
    rows.set(match[1]!, { status: Number(match[2]), retryable: match[3] === 'yes', meaning: match[4]! });
  }
  return rows;
}

describe('the error-code catalogue', () => {
  it('is documented in the README, row for row', () => {
    const table = readmeErrorTable();
    const documented = Object.fromEntries(table);
    const catalogued = Object.fromEntries(
      Object.entries(errorCatalogue).map(([code, entry]) => [
        code,
        { status: entry.status, retryable: entry.retryable, meaning: entry.description },
      ]),
    );
    expect(documented).toEqual(catalogued);
  });

  it('covers the codes the architecture promises', () => {
    for (const code of [
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_REQUEST',
      'QUERY_TOO_COMPLEX',
      'RATE_LIMITED',
      'PERSISTED_QUERY_NOT_FOUND',
      'SUBGRAPH_UNAVAILABLE',
      'SUBGRAPH_TIMEOUT',
      'SUBGRAPH_CIRCUIT_OPEN',
      'SUBGRAPH_ERROR',
      'DEADLINE_EXCEEDED',
      'GATEWAY_UNAVAILABLE',
      'INTERNAL',
    ]) {
      expect(errorCatalogue).toHaveProperty(code);
    }
  });
});
