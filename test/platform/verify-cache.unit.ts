import { describe, expect, it } from 'vitest';
import type { KeyResolver } from '../../platform/auth/keys.ts';
import { TokenRejectedError, type VerifiedIdentity } from '../../platform/auth/verify.ts';
import { cachedTokenVerifier } from '../../platform/auth/verify-cache.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (subject: string) => `${b64({ alg: 'ES256', kid: 'k1' })}.${b64({ sub: subject })}.c2ln`;

/**
 * The cache in front of a verifier that accepts tokens whose subject starts with `good` until
 * `expiresAt`, counting its checks; the key set is a variable the test replaces (a rotation).
 */
function setup(expiresAt: number, maxAgeMs = 10_000) {
  let now = 1_000_000;
  const checks: string[] = [];
  const keySet = { key: {} as unknown, down: false };
  const keys = (async () => {
    if (keySet.down) throw new Error('signing keys unavailable');
    return keySet.key;
  }) as unknown as KeyResolver;
  const verify = async (token: string): Promise<VerifiedIdentity> => {
    const subject = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub as string;
    checks.push(subject);
    if (!subject.startsWith('good')) throw new TokenRejectedError('signature does not verify');
    return { subject, tenant: null, scopes: ['read'], client: null, expiresAt: now + expiresAt };
  };
  const cached = cachedTokenVerifier(verify, keys, maxAgeMs, () => now);
  return { cached, checks, keySet, advance: (ms: number) => (now += ms) };
}

describe('verified token cache', () => {
  it('checks a token once within the cache age, again after it', async () => {
    const { cached, checks, advance } = setup(3_600_000);
    const first = await cached(jwt('good-a'));
    expect(await cached(jwt('good-a'))).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(checks).toEqual(['good-a']);
    advance(10_001);
    await cached(jwt('good-a'));
    expect(checks).toEqual(['good-a', 'good-a']);
  });

  it('runs one check for requests that arrive together, when the entry lapses too', async () => {
    const { cached, checks, advance } = setup(3_600_000);
    const together = await Promise.all(Array.from({ length: 20 }, () => cached(jwt('good-c'))));
    expect(new Set(together).size).toBe(1);
    expect(checks).toEqual(['good-c']);
    advance(10_001);
    await Promise.all(Array.from({ length: 20 }, () => cached(jwt('good-c'))));
    expect(checks).toEqual(['good-c', 'good-c']);
    const refused = await Promise.allSettled(Array.from({ length: 5 }, () => cached(jwt('bad-c'))));
    expect(refused.every((result) => result.status === 'rejected')).toBe(true);
    expect(checks.filter((subject) => subject === 'bad-c')).toHaveLength(1);
    // A shared rejection is not remembered: the next request checks again.
    await expect(cached(jwt('bad-c'))).rejects.toThrow(TokenRejectedError);
    expect(checks.filter((subject) => subject === 'bad-c')).toHaveLength(2);
  });

  it('never serves a token past its exp, and keeps no rejection', async () => {
    const { cached, checks, advance } = setup(2_000);
    await cached(jwt('good-b'));
    advance(2_001);
    await cached(jwt('good-b'));
    expect(checks).toEqual(['good-b', 'good-b']);
    await expect(cached(jwt('bad'))).rejects.toThrow(TokenRejectedError);
    await expect(cached(jwt('bad'))).rejects.toThrow(TokenRejectedError);
    expect(checks.filter((subject) => subject === 'bad')).toHaveLength(2);
  });

  it('checks again as soon as the key set changes or becomes unavailable', async () => {
    const { cached, checks, keySet } = setup(3_600_000);
    await cached(jwt('good-c'));
    keySet.key = {};
    await cached(jwt('good-c'));
    expect(checks).toEqual(['good-c', 'good-c']);
    keySet.down = true;
    await cached(jwt('good-c'));
    expect(checks).toEqual(['good-c', 'good-c', 'good-c']);
  });

  it('keys on the exact token; 0 turns the cache off', async () => {
    const { cached, checks } = setup(3_600_000);
    expect((await cached(jwt('good-d'))).subject).toBe('good-d');
    expect((await cached(jwt('good-e'))).subject).toBe('good-e');
    expect(checks).toEqual(['good-d', 'good-e']);
    const off = setup(3_600_000, 0);
    await off.cached(jwt('good-f'));
    await off.cached(jwt('good-f'));
    expect(off.checks).toHaveLength(2);
  });
});
