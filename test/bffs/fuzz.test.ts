import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BffName } from '../../bffs/kit/create-bff.ts';
import { projectRoot } from '../../platform/paths.ts';
import { startBff, type TestBff } from '../helpers/bff.ts';
import { type CountingProxy, startCountingProxy } from '../helpers/counting-proxy.ts';
import { describeFuzz, FUZZ_RUNS, fuzzService } from '../helpers/fuzz.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

/** What a frontend sends to its BFF: the screens' queries (the suite's), and a few small ones. */
const SEEDS: Record<BffName, string[]> = {
  web: [
    '{ dashboard { viewer { name } tenant { name plan tier } quota { percentUsed } models(first: 12) { id name status availability { status } usage7d { requests cost } replacement { id name } } health { status services { name status } incidents { title } } recentInvoices { number amount status } generatedAt } }',
    'query D($n: Int) { dashboard { models(first: $n) { id } } }',
  ],
  mobile: ['{ home { greeting quotaPercent topModels { id name requests7d available } status } }'],
  cli: [
    '{ status { platform { overall services { name status } incidents { title } } account { tenant plan quotaPercent } } }',
    'query ($first: Int) { models(first: $first) { id name status availability requests7d } }',
    'query ($w: Window!) { usage(window: $w) { window from to requests days { date requests } } }',
  ],
};

/** The BFF's own schema's field names, so mutations hit real fields as well as unknown ones. */
function schemaWords(name: BffName): string[] {
  const sdl = readFileSync(join(projectRoot, 'bffs', name, 'schema.graphql'), 'utf8');
  return [
    ...new Set(sdl.match(/^\s+([a-z]\w*)[:(]/gm)?.map((line) => line.trim().replace(/[:(]$/, '')) ?? []),
  ];
}

/**
 * The same hostile traffic as the gateway's fuzz run, against each BFF: never a 5xx, never an
 * internal message or a stack, a catalogue code on every error, and a refused request costs no
 * gateway call.
 */
describe('fuzzing the BFFs', () => {
  let platform: TestPlatform;
  let proxy: CountingProxy;
  const bffs = new Map<BffName, TestBff>();
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    platform = await startPlatform();
    proxy = await startCountingProxy(platform.gatewayUrl);
    for (const name of ['web', 'mobile', 'cli'] as const) {
      bffs.set(name, await startBff(name, platform, { gatewayUrl: proxy.url }));
    }
    tokens.valid = await platform.token({ scopes: ['billing:read'] });
    tokens.expired = (await platform.token()).replace(/\.[^.]+$/, '.AAAA');
    tokens.garbage = 'x.y.z';
  });
  afterAll(async () => {
    for (const bff of bffs.values()) await bff.close();
    await proxy.close();
    await platform.close();
  });

  for (const name of ['web', 'mobile', 'cli'] as const) {
    it(`${name}: survives ${FUZZ_RUNS} hostile requests`, { timeout: 300_000 }, async () => {
      const bff = bffs.get(name)!;
      const prefix = `fuzz-${name}-`;
      const outcome = await fuzzService({ url: bff.url, tokens }, [...SEEDS[name], ...schemaWords(name)], {
        requestIdPrefix: prefix,
      });
      const gatewayCalls = proxy.received.filter((h) => String(h['x-request-id']).startsWith(prefix));
      // A caller without a token is refused by the gateway (the BFF cannot know which of its
      // fields are public): those 401s cost a gateway call, refused there before planning. Any
      // other refusal is the BFF's own, before any call.
      const fromRefused = gatewayCalls.filter((h) => {
        const refusal = outcome.refused.get(String(h['x-request-id']));
        return refusal !== undefined && refusal !== '401 UNAUTHENTICATED';
      });
      process.stdout.write(
        `${describeFuzz(name, outcome)}fuzz ${name}: gateway calls ${gatewayCalls.length}, of requests it refused itself ${fromRefused.length}\n`,
      );
      expect(outcome.sent).toBe(FUZZ_RUNS);
      expect(outcome.refused.size).toBeGreaterThan(FUZZ_RUNS / 2);
      expect(gatewayCalls.length).toBeGreaterThan(0);
      expect(fromRefused.map((h) => outcome.refused.get(String(h['x-request-id'])))).toEqual([]);
      const after = await bff.query({ query: SEEDS[name][0]! }, { token: tokens.valid });
      expect(after.status).toBe(200);
    });
  }
});
