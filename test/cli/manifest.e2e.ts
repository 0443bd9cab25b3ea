import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/paths.ts';
import { fixtureBffTree } from '../helpers/operations.ts';

/** `npm run manifest` as a user runs it: the inputs and the output come from portico.yaml. */
describe('npm run manifest', () => {
  let root: string;
  beforeAll(() => {
    root = fixtureBffTree();
    mkdirSync(join(root, 'partners'));
    writeFileSync(join(root, 'partners', 'status.graphql'), 'query PartnerStatus { health { status } }');
    writeFileSync(
      join(root, 'portico.yaml'),
      [
        'persistedQueries:',
        `  manifest: ${join(root, 'out', 'manifest.json')}`,
        '  operations:',
        `    - ${join(root, 'bffs', '*', 'operations', '*.graphql')}`,
        `    - ${join(root, 'partners', 'status.graphql')}`,
      ].join('\n'),
    );
    mkdirSync(join(root, 'out'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads persistedQueries.operations (the BFF glob and extra paths) and writes persistedQueries.manifest', () => {
    const result = spawnSync('npm', ['run', '--silent', 'manifest'], {
      cwd: projectRoot,
      env: { ...process.env, PORTICO_CONFIG: join(root, 'portico.yaml') },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('wrote 7 operations from 5 files');
    const manifest = JSON.parse(readFileSync(join(root, 'out', 'manifest.json'), 'utf8'));
    expect(manifest.operations.map((o: { name: string }) => o.name)).toContain('PartnerStatus');
  });
});
