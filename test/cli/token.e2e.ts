import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIssuer } from '../../issuer/server.ts';
import { projectRoot } from '../../platform/paths.ts';
import type { Service } from '../../platform/service.ts';
import { testConfig } from '../helpers/config.ts';

/** `npm run --silent token`: a token on stdout, signed with the key the dev issuer publishes. */
describe('npm run token', () => {
  let dir: string;
  let issuer: Service;
  let jwksUrl: string;
  const env = () => ({ ...process.env, PORTICO_CONFIG: join(dir, 'portico.yaml') });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portico-token-'));
    const keyFile = join(dir, 'key.json');
    writeFileSync(join(dir, 'portico.yaml'), `devIssuer:\n  keyFile: ${keyFile}\n`);
    issuer = await buildIssuer(testConfig({ devIssuer: { keyFile } }));
    jwksUrl = `${await issuer.listen(0, '127.0.0.1')}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints only a token, verifiable against the issuer JWKS, with the claims asked for', async () => {
    const result = spawnSync(
      'npm',
      [
        'run',
        '--silent',
        'token',
        '--',
        '--sub',
        'dev-1',
        '--tenant',
        'globex',
        '--scopes',
        'billing:read,admin',
        '--ttl',
        '30m',
      ],
      { cwd: projectRoot, env: env(), encoding: 'utf8' },
    );
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const { payload, protectedHeader } = await jwtVerify(lines[0]!, createRemoteJWKSet(new URL(jwksUrl)), {
      issuer: 'portico-dev',
      audience: 'portico',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: 'dev-1', tenant: 'globex', scope: 'billing:read admin' });
    expect(payload.exp! - payload.iat!).toBe(1800);
  });

  it('refuses to mint without a subject', () => {
    const result = spawnSync('npm', ['run', '--silent', 'token', '--', '--tenant', 'acme'], {
      cwd: projectRoot,
      env: env(),
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--sub is required');
  });
});
