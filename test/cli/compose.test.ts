import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/paths.ts';
import { runCli } from '../helpers/cli.ts';

function copyGraph(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portico-compose-'));
  cpSync(join(projectRoot, 'subgraphs'), join(dir, 'subgraphs'), {
    recursive: true,
    filter: (src) => !src.endsWith('.ts'),
  });
  cpSync(join(projectRoot, 'supergraph.yaml'), join(dir, 'supergraph.yaml'));
  return dir;
}

describe('portico compose', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('composes supergraph.yaml to exactly the committed supergraph.graphql', async () => {
    const result = await runCli(['compose', '--check']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/up to date \(4 subgraphs\)/);
  });

  it('writes the supergraph it composed', async () => {
    const dir = copyGraph();
    dirs.push(dir);
    const out = join(dir, 'out.graphql');
    const result = await runCli(['compose', '--config', join(dir, 'supergraph.yaml'), '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(projectRoot, 'supergraph.graphql'), 'utf8'));
  });

  it('fails with the subgraph, code and message when a subgraph schema is broken', async () => {
    const dir = copyGraph();
    dirs.push(dir);
    const file = join(dir, 'subgraphs', 'metering', 'schema.graphql');
    // metering now says Model.id is a String while models says ID: a real composition conflict.
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        'type Model @key(fields: "id") {\n  id: ID!',
        'type Model @key(fields: "id") {\n  id: String!',
      ),
    );
    const result = await runCli([
      'compose',
      '--config',
      join(dir, 'supergraph.yaml'),
      '--out',
      join(dir, 'x.graphql'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/composition failed/);
    expect(result.stderr).toMatch(/FIELD_TYPE_MISMATCH: .*Model\.id/);
  });

  it('names the subgraph whose schema is not valid GraphQL', async () => {
    const dir = copyGraph();
    dirs.push(dir);
    writeFileSync(join(dir, 'subgraphs', 'health', 'schema.graphql'), 'type Query { health: }');
    const result = await runCli([
      'compose',
      '--config',
      join(dir, 'supergraph.yaml'),
      '--out',
      join(dir, 'x.graphql'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/health: INVALID_GRAPHQL: Syntax Error/);
  });

  it('refuses a federation_version other than the installed composition', async () => {
    const dir = copyGraph();
    dirs.push(dir);
    const yaml = join(dir, 'supergraph.yaml');
    writeFileSync(
      yaml,
      readFileSync(yaml, 'utf8').replace(/federation_version: .*/, 'federation_version: =2.3.0'),
    );
    const result = await runCli(['compose', '--config', yaml, '--out', join(dir, 'x.graphql')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /federation_version =2.3.0 does not match the installed @apollo\/composition 2\.14/,
    );
  });

  it('reports a stale supergraph with --check', async () => {
    const dir = copyGraph();
    dirs.push(dir);
    const out = join(dir, 'stale.graphql');
    writeFileSync(out, 'type Query { old: String }');
    const result = await runCli([
      'compose',
      '--config',
      join(dir, 'supergraph.yaml'),
      '--out',
      out,
      '--check',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/out of date/);
  });
});
