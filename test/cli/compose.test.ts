import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/paths.ts';
import { runCli } from '../helpers/cli.ts';
import { type SchemaFixture, schemaFixture } from '../helpers/schema-fixture.ts';

describe('portico compose', () => {
  const fixtures: SchemaFixture[] = [];
  /** A copy of the schema inputs, and `portico compose` on it writing `out` there. */
  const fixture = () => {
    const made = schemaFixture();
    fixtures.push(made);
    const compose = (...extra: string[]) =>
      made.portico(
        'compose',
        '--config',
        join(made.root, 'supergraph.yaml'),
        '--out',
        join(made.root, 'out.graphql'),
        ...extra,
      );
    return { ...made, compose };
  };
  afterEach(() => {
    for (const made of fixtures.splice(0)) made.remove();
  });

  it('composes supergraph.yaml to exactly the committed supergraph.graphql', async () => {
    const result = await runCli(['compose', '--check']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/up to date \(4 subgraphs\)/);
  });

  it('writes the supergraph it composed', async () => {
    const made = fixture();
    const result = await made.compose();
    expect(result.code).toBe(0);
    expect(readFileSync(join(made.root, 'out.graphql'), 'utf8')).toBe(
      readFileSync(join(projectRoot, 'supergraph.graphql'), 'utf8'),
    );
  });

  it('fails with the subgraph, code and message when a subgraph schema is broken', async () => {
    const made = fixture();
    // metering now says Model.id is a String while models says ID: a real composition conflict.
    made.edit(
      'subgraphs/metering/schema.graphql',
      'type Model @key(fields: "id") {\n  id: ID!',
      'type Model @key(fields: "id") {\n  id: String!',
    );
    const result = await made.compose();
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/composition failed/);
    expect(result.err).toMatch(/FIELD_TYPE_MISMATCH: .*Model\.id/);
  });

  it('names the subgraph whose schema is not valid GraphQL', async () => {
    const made = fixture();
    made.write('subgraphs/health/schema.graphql', 'type Query { health: }');
    const result = await made.compose();
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/health: INVALID_GRAPHQL: Syntax Error/);
  });

  it('refuses a federation_version other than the installed composition', async () => {
    const made = fixture();
    made.edit('supergraph.yaml', /federation_version: .*/, 'federation_version: =2.3.0');
    const result = await made.compose();
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /federation_version =2.3.0 does not match the installed @apollo\/composition 2\.14/,
    );
  });

  it('reports a stale supergraph with --check', async () => {
    const made = fixture();
    made.write('out.graphql', 'type Query { old: String }');
    const result = await made.compose('--check');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/out of date/);
  });
});
