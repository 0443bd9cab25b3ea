import { cpSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OPERATION_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'operations');

/**
 * A throwaway project tree laid out as the BFFs will be (`bffs/<bff>/operations/*.graphql`),
 * holding the fixture operations; returns its root.
 */
export function fixtureBffTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'portico-ops-'));
  for (const bff of readdirSync(OPERATION_FIXTURES)) {
    const dir = join(root, 'bffs', bff, 'operations');
    mkdirSync(dir, { recursive: true });
    cpSync(join(OPERATION_FIXTURES, bff), dir, { recursive: true });
  }
  return root;
}
