import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/paths.ts';
import { startBff, type TestBff } from '../helpers/bff.ts';
import { emptyConfigDir, spawnCli } from '../helpers/cli.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

describe('portico login and logout', () => {
  let platform: TestPlatform;
  let bff: TestBff;
  let env: Record<string, string>;
  let dir: string;
  beforeAll(async () => {
    platform = await startPlatform();
    bff = await startBff('cli', platform);
    dir = emptyConfigDir();
    // portico.yaml as it is, but signing with the test platform's throwaway issuer key.
    const yaml = readFileSync(join(projectRoot, 'portico.yaml'), 'utf8');
    const config = join(dir, 'portico.yaml');
    writeFileSync(config, yaml.replace(/^( {2}keyFile:) .*$/m, `$1 ${platform.keyFile}`));
    expect(readFileSync(config, 'utf8')).toContain(platform.keyFile);
    env = { PORTICO_CLI_URL: bff.url, PORTICO_CONFIG: config, PORTICO_CONFIG_DIR: join(dir, 'portico') };
  });
  afterAll(async () => {
    await bff.close();
    await platform.close();
  });

  it('login saves a dev token only its user can read; the client uses it; logout forgets it', async () => {
    const login = await spawnCli(
      ['login', '--sub', 'globex-user-1', '--tenant', 'globex', '--ttl', '2h'],
      env,
    );
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toBe('');
    const file = join(dir, 'portico', 'credentials.json');
    expect(login.stderr).toMatch(
      new RegExp(`^Logged in as globex-user-1 until .+ \\(2 h\\); the token is in ${file}\\n$`),
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'portico')).mode & 0o777).toBe(0o700);

    const status = await spawnCli(['status'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/\nAccount {3}Globex · /);

    const logout = await spawnCli(['logout'], env);
    expect(logout).toEqual({ code: 0, stdout: '', stderr: `Logged out: removed ${file}\n` });
    expect(() => statSync(file)).toThrow();
    const usage = await spawnCli(['usage'], env);
    expect(usage.code).toBe(3);
    expect(usage.stderr).toMatch(/^portico: not signed in: run portico login/);
    const again = await spawnCli(['logout'], env);
    expect(again).toEqual({ code: 0, stdout: '', stderr: `Not logged in: there is no ${file}\n` });
  });

  it('login --with-token keeps a token from standard input; PORTICO_TOKEN still wins', async () => {
    const token = await platform.token({ sub: 'acme-user-1', tenant: 'acme' });
    const login = await spawnCli(['login', '--with-token'], env, { stdin: `${token}\n` });
    expect(login.code, login.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'portico', 'credentials.json'), 'utf8'));
    expect(saved).toMatchObject({ token, subject: 'acme-user-1' });
    expect((await spawnCli(['status'], env)).stdout).toMatch(/\nAccount {3}Acme Corp · /);
    const other = await platform.token({ sub: 'initech-user-1', tenant: 'initech' });
    expect((await spawnCli(['status'], { ...env, PORTICO_TOKEN: other })).stdout).toMatch(
      /\nAccount {3}Initech · /,
    );

    const garbage = await spawnCli(['login', '--with-token'], env, { stdin: 'hello world' });
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/standard input does not hold a token/);
    await spawnCli(['logout'], env);
  });
});
