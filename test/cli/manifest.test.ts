import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { fixtureBffTree } from '../helpers/operations.ts';

describe('portico manifest', () => {
  let root: string;
  let out: string;
  beforeEach(() => {
    root = fixtureBffTree();
    out = join(root, 'manifest.json');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const glob = () => join(root, 'bffs', '*', 'operations', '*.graphql');
  const read = () => JSON.parse(readFileSync(out, 'utf8'));

  it('builds an Apollo-format manifest of every named operation, each with the fragments it uses', async () => {
    const wrote = await runCli(['manifest', '--out', out, glob()]);
    expect(wrote.code).toBe(0);
    expect(wrote.stdout).toMatch(/wrote 6 operations from 4 files/);
    const manifest = read();
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    expect(manifest.version).toBe(1);
    expect(manifest.operations.map((o: { name: string }) => o.name)).toEqual([
      'CliModelUsage',
      'CliStatus',
      'MobileOverview',
      'WebDashboard',
      'WebModels',
      'WebSetSpendAlert',
    ]);
    for (const operation of manifest.operations) {
      expect(operation.id).toBe(createHash('sha256').update(operation.body).digest('hex'));
      expect(operation.body).not.toContain('#');
    }
    const models = manifest.operations.find((o: { name: string }) => o.name === 'WebModels');
    expect(models.body).toContain('fragment ModelCard on Model');
    expect(models.body).not.toContain('mutation');
    const mutation = manifest.operations.find((o: { name: string }) => o.name === 'WebSetSpendAlert');
    expect(mutation.type).toBe('mutation');
    expect(mutation.body).not.toContain('ModelCard');
  });

  it('is stable: the same files give the same bytes, and --check tells an outdated manifest', async () => {
    expect((await runCli(['manifest', '--out', out, glob()])).code).toBe(0);
    const first = readFileSync(out, 'utf8');
    expect((await runCli(['manifest', '--out', out, glob()])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);
    expect((await runCli(['manifest', '--check', '--out', out, glob()])).code).toBe(0);

    writeFileSync(
      join(root, 'bffs', 'cli', 'operations', 'more.graphql'),
      'query CliMore { health { checkedAt } }',
    );
    const check = await runCli(['manifest', '--check', '--out', out, glob()]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('out of date');
    expect(readFileSync(out, 'utf8')).toBe(first);
  });

  it('keeps fragments per BFF folder: two BFFs may each define their own of the same name', async () => {
    const dir = join(root, 'bffs', 'mobile', 'operations');
    writeFileSync(
      join(dir, 'card.graphql'),
      'query MobileCards { models { nodes { ...ModelCard } } }\nfragment ModelCard on Model { id }',
    );
    expect((await runCli(['manifest', '--out', out, glob()])).code).toBe(0);
    const cards = read().operations.find((o: { name: string }) => o.name === 'MobileCards');
    expect(cards.body).toContain('fragment ModelCard on Model {\n  id\n}');
  });

  it('refuses anonymous operations, duplicates, missing fragments and syntax errors, naming each file', async () => {
    const dir = join(root, 'bffs', 'broken', 'operations');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.graphql'), '{ health { status } }\nquery Twice { health { status } }');
    writeFileSync(
      join(dir, 'b.graphql'),
      'query Twice { tenant { name } }\nquery Lost { models { nodes { ...Gone } } }',
    );
    writeFileSync(join(dir, 'c.graphql'), 'query Broken { health { ');
    const refused = await runCli(['manifest', '--out', out, glob()]);
    expect(refused.code).toBe(1);
    const text = refused.stderr;
    expect(text).toMatch(/broken\/operations\/a\.graphql: an operation without a name/);
    expect(text).toMatch(/b\.graphql: operation Twice is defined twice/);
    expect(text).toMatch(/b\.graphql: operation Lost uses a fragment defined nowhere/);
    expect(text).toMatch(/c\.graphql: Syntax Error/);
    expect(() => readFileSync(out)).toThrow();
  });

  it('warns and writes an empty manifest when nothing matches', async () => {
    const empty = await runCli(['manifest', '--out', out, join(root, 'nowhere', '*.graphql')]);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain('no operation files match');
    expect(read().operations).toEqual([]);
  });
});
