import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnPortico } from '../helpers/process.ts';

/** `portico keys`, as an operator runs it: both files written, the private one private. */
describe('portico keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-keys-'));
  const env = {
    PORTICO_SUBGRAPH_AUTH_KEYS_FILE: join(dir, 'private', 'signing.json'),
    PORTICO_SUBGRAPH_AUTH_JWKS_FILE: join(dir, 'public', 'jwks.json'),
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (...args: string[]) => {
    const proc = spawnPortico(['keys', ...args], env);
    const code = await proc.exited;
    return { code, output: proc.output() };
  };
  const kids = (file: string) =>
    (JSON.parse(readFileSync(file, 'utf8')) as { keys: { kid: string; d?: string }[] }).keys;

  it('init, add, promote, retire: the public file follows, without private parts', {
    timeout: 90_000,
  }, async () => {
    const init = await run('init');
    expect(init.code, init.output).toBe(0);
    const [a] = kids(env.PORTICO_SUBGRAPH_AUTH_KEYS_FILE);
    expect(init.output).toContain(`signing   ${a!.kid}`);
    expect(statSync(env.PORTICO_SUBGRAPH_AUTH_KEYS_FILE).mode & 0o777).toBe(0o600);
    expect((await run('init')).code).toBe(1);

    expect((await run('add')).code).toBe(0);
    const [, b] = kids(env.PORTICO_SUBGRAPH_AUTH_KEYS_FILE);
    const promote = await run('promote', b!.kid);
    expect(promote.code).toBe(0);
    expect(promote.output).toMatch(new RegExp(`signing +${b!.kid}\\naccepted +${a!.kid}`));
    expect((await run('retire', b!.kid)).code).toBe(1);
    expect((await run('retire', a!.kid)).code).toBe(0);

    const publicKeys = kids(env.PORTICO_SUBGRAPH_AUTH_JWKS_FILE);
    expect(publicKeys.map((k) => k.kid)).toEqual([b!.kid]);
    expect(publicKeys.every((k) => k.d === undefined)).toBe(true);
    expect(kids(env.PORTICO_SUBGRAPH_AUTH_KEYS_FILE)[0]!.d).toBeTypeOf('string');

    rmSync(env.PORTICO_SUBGRAPH_AUTH_JWKS_FILE);
    expect((await run('ensure')).code).toBe(0);
    expect(kids(env.PORTICO_SUBGRAPH_AUTH_JWKS_FILE).map((k) => k.kid)).toEqual([b!.kid]);
    expect((await run('nonsense')).code).toBe(2);
  });
});
