import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSubgraphs, readSupergraphConfig } from '../../gateway/compose.ts';
import { projectRoot } from '../../platform/paths.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** The real supergraph with one more root field on the health subgraph. */
function supergraphWithMotd(): string {
  const { subgraphs } = readSupergraphConfig(join(projectRoot, 'supergraph.yaml'));
  const edited = subgraphs.map((s) =>
    s.name === 'health' ? { ...s, sdl: s.sdl.replace('type Query {', 'type Query {\n  motd: String') } : s,
  );
  const outcome = composeSubgraphs(edited);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.supergraphSdl;
}

describe('supergraph hot reload', () => {
  let platform: TestPlatform;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portico-reload-'));
    file = join(dir, 'supergraph.graphql');
    copyFileSync(join(projectRoot, 'supergraph.graphql'), file);
    platform = await startPlatform({ gateway: { gateway: { supergraphPath: file, watchSupergraph: true } } });
  });
  afterAll(async () => {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const motdValidates = async () => {
    const { body } = await platform.query({ query: '{ motd }' });
    return body.errors?.[0]?.extensions?.code !== 'GRAPHQL_VALIDATION_FAILED';
  };

  it('serves a changed supergraph without a restart', async () => {
    expect(await motdValidates()).toBe(false);
    writeFileSync(file, supergraphWithMotd());
    expect(await waitFor(motdValidates)).toBe(true);
    const { body } = await platform.query({ query: '{ health { status } }' });
    expect(body.data.health.status).toMatch(/OPERATIONAL|DEGRADED/);
  });

  it('keeps serving the previous schema when the new one is invalid', async () => {
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, 'this is not a supergraph');
    await sleep(500);
    writeFileSync(file, before.replace('join__Graph', 'join__Nonsense'));
    await sleep(500);
    expect(await motdValidates()).toBe(true);
    const { status, body } = await platform.query({ query: '{ health { status } }' });
    expect(status).toBe(200);
    expect(body.data.health.status).toMatch(/OPERATIONAL|DEGRADED/);
    // The watcher read those files and is still watching: a valid change after them is taken.
    writeFileSync(file, readFileSync(join(projectRoot, 'supergraph.graphql'), 'utf8'));
    expect(await waitFor(async () => !(await motdValidates()))).toBe(true);
  });
});
