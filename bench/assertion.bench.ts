import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssertionSigner } from '../platform/assertion/sign.ts';
import { createAssertionVerifier } from '../platform/assertion/verify.ts';
import { loadConfig } from '../platform/config/load.ts';
import { startPlatform } from '../test/helpers/platform.ts';
import { formatLoad, runLoad } from './lib/load.ts';

/**
 * What "subgraphs trust only the gateway" costs per subgraph call: the gateway's signing (a cache
 * hit but once per subgraph, caller and second) and the subgraph's verification (a cache hit but
 * once per assertion), measured on the real functions, call by call; then a single-subgraph query
 * end to end through the gateway, which pays both on every call.
 */
const calls = Number(process.env.BENCH_CALLS ?? 200_000);
const dir = mkdtempSync(join(tmpdir(), 'portico-bench-keys-'));
const settings = loadConfig({
  env: {},
  overrides: {
    subgraphAuth: { signingKeysFile: join(dir, 'signing.json'), jwksFile: join(dir, 'jwks.json') },
  },
}).subgraphAuth;

function percentiles(samples: number[]): string {
  const sorted = samples.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return `p50 ${(at(0.5) * 1000).toFixed(1)} µs, p99 ${(at(0.99) * 1000).toFixed(1)} µs (${sorted.length} samples)`;
}

async function timed(count: number, each: (i: number) => unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    const result = each(i);
    if (result instanceof Promise) await result;
    samples.push(performance.now() - t0);
  }
  return samples;
}

try {
  const signer = await createAssertionSigner(settings, { development: true });
  const verify = createAssertionVerifier(settings, { audience: 'models', development: true });
  const identities = Array.from({ length: 100 }, (_, i) => ({
    subject: `user-${i}`,
    tenant: `tenant-${i % 10}`,
    scopes: ['billing:read'],
    client: null,
  }));
  const audiences = ['models', 'billing', 'metering', 'health'];
  // Deadlines spread over 10 s, as a request stream's are: a new second is a new assertion.
  const deadline = (i: number) => Date.now() + 10_000 + (i % 10) * 1000;
  await timed(10_000, (i) => signer.assertion(audiences[i % 4]!, identities[i % 100]!, deadline(i)));
  const signHits = await timed(calls, (i) =>
    signer.assertion(audiences[i % 4]!, identities[i % 100]!, deadline(i)),
  );
  const signMisses = await timed(5_000, (i) =>
    signer.assertion('models', { ...identities[0]!, subject: `fresh-${i}` }, Date.now() + 10_000),
  );
  const tokens = await Promise.all(
    Array.from({ length: 5_000 }, (_, i) =>
      signer.assertion('models', { ...identities[0]!, subject: `verify-${i}` }, Date.now() + 10_000),
    ),
  );
  const verifyMisses = await timed(tokens.length, (i) => verify(tokens[i]!));
  const verifyHits = await timed(calls, (i) => verify(tokens[i % tokens.length]!));
  process.stdout.write(
    `gateway, sign  (cache hit)   ${percentiles(signHits)}\n` +
      `gateway, sign  (cache miss)  ${percentiles(signMisses)}   once per subgraph, caller and second\n` +
      `subgraph, verify (cache hit)  ${percentiles(verifyHits)}\n` +
      `subgraph, verify (cache miss) ${percentiles(verifyMisses)}   once per assertion\n`,
  );

  // End to end: the subgraph answering alone, then through the gateway (one subgraph call each).
  const platform = await startPlatform();
  try {
    const seconds = Number(process.env.BENCH_SECONDS ?? 5);
    const token = await platform.token();
    const healthUrl = platform.subgraphUrls.health!;
    const body = JSON.stringify({ query: '{ health { status } }' });
    const json = { 'content-type': 'application/json' };
    // The platform's subgraphs trust this process's test keys, not the bench signer's above.
    const { asGateway } = await import('../test/helpers/assertions.ts');
    const direct = await runLoad({
      url: healthUrl,
      headers: { ...json, ...(await asGateway({ audience: 'health', expiresIn: 600 })) },
      body,
      concurrency: 1,
      seconds,
    });
    process.stdout.write(`${formatLoad('health subgraph alone (verifies an assertion)', direct)}\n`);
    const through = await runLoad({
      url: platform.gatewayUrl,
      headers: { ...json, authorization: `Bearer ${token}` },
      body,
      concurrency: 1,
      seconds,
    });
    process.stdout.write(`${formatLoad('through the gateway (signs one)', through)}\n`);
  } finally {
    await platform.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
