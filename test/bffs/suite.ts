import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import type { BffName } from '../../bffs/kit/create-bff.ts';
import { auditServer } from '../helpers/audit.ts';
import { startBff, type TestBff } from '../helpers/bff.ts';
import { testConfig } from '../helpers/config.ts';
import { type CountingProxy, startCountingProxy } from '../helpers/counting-proxy.ts';
import { startFaultServer } from '../helpers/fault-server.ts';
import { type PlatformOptions, startPlatform, type TestPlatform } from '../helpers/platform.ts';

type Path = (string | number)[];

/** What a BFF promises, for the conformance suite to check. */
export interface BffSuiteSpec {
  name: BffName;
  /** The BFF's main query (its screen). */
  mainQuery: string;
  /** Gateway calls one main query costs, however many fields ask for data. */
  gatewayCalls: number;
  /** With billing down: these go null with a billing error; these are still served. */
  billingDown: { nullPaths: Path[]; servedPaths: Path[] };
  /** With health answering after the deadline: these go null; these are still served. */
  healthLate: { nullPaths: Path[]; servedPaths: Path[] };
  /** Subgraph delays (ms) for the latency check, and the slowest chain of calls they make. */
  latency: {
    delays: Partial<Record<'billing' | 'metering' | 'health' | 'models', number>>;
    slowestChainMs: number;
    sumMs: number;
  };
  /** A stale-if-error field (served from health), served stale when health fails. */
  stalePath: Path;
  /**
   * A query within the BFF's limits that would need many distinct gateway calls (aliases of a
   * field whose arguments reach the gateway), when the BFF has such a field.
   */
  costlyQuery?: string;
}

/** Every public service refuses these before any work; each gets a coded 4xx. */
const bombs: { name: string; body: unknown; status: number; code: string | string[] }[] = [
  {
    name: '50,000 aliased __typename (token limit, before parsing)',
    body: { query: `{ ${Array.from({ length: 50_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` },
    status: 400,
    code: 'QUERY_TOO_COMPLEX',
  },
  {
    name: '20 aliased __typename (aliases count __typename too)',
    body: { query: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: __typename`).join(' ')} }` },
    status: 400,
    code: 'QUERY_TOO_COMPLEX',
  },
  {
    // Our BFF schemas have no recursive type, so validation may name the unknown field first.
    name: 'nesting 40 levels deep',
    body: { query: `${'{ a '.repeat(40)}${'}'.repeat(40)}` },
    status: 400,
    code: ['QUERY_TOO_COMPLEX', 'GRAPHQL_VALIDATION_FAILED'],
  },
  {
    name: '30 directives',
    body: { query: `{ ${'__typename @skip(if: false) '.repeat(30)}}` },
    status: 400,
    code: 'QUERY_TOO_COMPLEX',
  },
  {
    name: 'a batch',
    body: [{ query: '{ __typename }' }, { query: '{ __typename }' }],
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'variables of 10 KB',
    body: { query: '{ __typename }', variables: { x: 'y'.repeat(10_000) } },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'variables nested 5,000 deep',
    body: `{"query":"{ __typename }","variables":{"x":${'['.repeat(5_000)}${']'.repeat(5_000)}}}`,
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a subscription',
    body: { query: 'subscription { x }' },
    status: 400,
    code: 'SUBSCRIPTIONS_NOT_SUPPORTED',
  },
];

function at(data: unknown, path: Path): unknown {
  return path.reduce<unknown>(
    (value, key) => (value == null ? undefined : (value as Record<string | number, unknown>)[key]),
    data,
  );
}

interface Stack {
  platform: TestPlatform;
  proxy: CountingProxy;
  bff: TestBff;
  close(): Promise<void>;
}

async function stack(
  name: BffName,
  platformOptions: PlatformOptions = {},
  bffs: Record<string, unknown> = {},
): Promise<Stack> {
  const platform = await startPlatform(platformOptions);
  const proxy = await startCountingProxy(platform.gatewayUrl);
  const bff = await startBff(name, platform, { gatewayUrl: proxy.url, ...bffs });
  return {
    platform,
    proxy,
    bff,
    async close() {
      await bff.close();
      await proxy.close();
      await platform.close();
    },
  };
}

/**
 * One conformance suite every BFF passes (web, mobile and CLI each call it with their spec): health
 * and readiness, what is forwarded, GraphQL over HTTP, partial failures field by field, the
 * deadline, latency of parallel calls, batching, and stale-if-error.
 */
export function defineBffSuite(spec: BffSuiteSpec): void {
  describe(`${spec.name} BFF conformance`, () => {
    const open: Stack[] = [];
    const start = async (platformOptions?: PlatformOptions, bffs?: Record<string, unknown>) => {
      const s = await stack(spec.name, platformOptions, bffs);
      open.push(s);
      return s;
    };
    afterAll(async () => {
      for (const s of open) await s.close();
    });

    it('answers /health and /ready', async () => {
      const { bff } = await start();
      const base = bff.url.replace(/\/graphql$/, '');
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', service: spec.name });
    });

    it('serves its main query in full, in a fixed number of gateway calls, forwarding token, request id and trace', async () => {
      const { platform, proxy, bff } = await start();
      const token = await platform.token({ sub: 'acme-user-1', tenant: 'acme', scopes: ['billing:read'] });
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      platform.subgraphRequests.length = 0;
      const sent = Date.now();
      const { status, body } = await bff.query(
        { query: spec.mainQuery },
        {
          token,
          headers: {
            'x-request-id': `conformance-${spec.name}`,
            traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
          },
        },
      );
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(proxy.calls).toBe(spec.gatewayCalls);
      for (const headers of proxy.received) {
        expect(headers.authorization).toBe(`Bearer ${token}`);
        expect(headers['x-request-id']).toBe(`conformance-${spec.name}`);
        expect(headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
        // The BFF's own deadline (no client deadline was sent), less its margin.
        const deadline = Number(headers['x-request-deadline']);
        expect(deadline).toBeGreaterThan(sent);
        expect(deadline).toBeLessThanOrEqual(Date.now() + testConfig().bffs[spec.name].deadlineMs);
      }
      expect(platform.subgraphRequests.length).toBeGreaterThan(0);
      for (const request of platform.subgraphRequests) {
        expect(request.requestId).toBe(`conformance-${spec.name}`);
        // Identity reaches the subgraphs only in the gateway's assertion, as the token said.
        const assertion = String(request.headers.authorization).replace(/^Bearer /, '');
        expect(decodeJwt(assertion)).toMatchObject({ sub: 'acme-user-1', tenant: 'acme' });
      }
    });

    it('passes the GraphQL-over-HTTP audit MUST items', async () => {
      const { bff } = await start();
      const audit = await auditServer(bff.url);
      expect(audit.failedMust).toEqual([]);
      expect(audit.must).toBeGreaterThan(10);
    });

    it('with billing down, nulls only the fields billing serves, each with an error at its path', async () => {
      const { platform, bff } = await start({ without: ['billing'] });
      const { status, body } = await bff.query({ query: spec.mainQuery }, { token: await platform.token() });
      expect(status).toBe(200);
      for (const path of spec.billingDown.nullPaths) {
        expect(at(body.data, path), path.join('.')).toBeNull();
        const error = body.errors.find(
          (e: { path: Path }) => JSON.stringify(e.path) === JSON.stringify(path),
        );
        expect(error?.extensions, path.join('.')).toMatchObject({
          code: 'SUBGRAPH_UNAVAILABLE',
          service: 'billing',
          retryable: true,
        });
      }
      for (const path of spec.billingDown.servedPaths)
        expect(at(body.data, path), path.join('.')).not.toBeNull();
      expect(body.errors).toHaveLength(spec.billingDown.nullPaths.length);
    });

    it('with health answering after the deadline, answers by the deadline with health fields null', async () => {
      // The deadline is long enough for every other call on a loaded machine, shorter than health's
      // delay, and the gateway's own health timeout is out of the way, so the deadline is what ends
      // it. The gateway cuts its subgraph calls a second before the deadline it was given, so its
      // partial answer reaches the BFF in time however busy the machine.
      const deadlineMs = 3_000;
      const { platform, bff } = await start(
        {
          subgraphOverrides: { health: { faults: { delayMs: 8_000 } } },
          gateway: { gateway: { deadlineMarginMs: 1_000, subgraphs: { health: { timeoutMs: 30_000 } } } },
        },
        { [spec.name]: { deadlineMs } },
      );
      const token = await platform.token();
      // A cold gateway plans each operation on its first call, which on a loaded machine can take
      // most of a 700 ms deadline by itself: warm the plans up, then time the answer.
      await bff.query({ query: spec.mainQuery }, { token });
      const { status, body, ms } = await bff.query({ query: spec.mainQuery }, { token });
      expect(status).toBe(200);
      // By its deadline (with three seconds of slack for a loaded machine), not health's 8 s.
      expect(ms).toBeLessThan(deadlineMs + 3_000);
      for (const path of spec.healthLate.nullPaths) {
        expect(at(body.data, path), path.join('.')).toBeNull();
      }
      const codes = new Set(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code));
      expect(
        [...codes].every((code) => code === 'DEADLINE_EXCEEDED' || code === 'SUBGRAPH_TIMEOUT'),
        [...codes].join(),
      ).toBe(true);
      for (const path of spec.healthLate.servedPaths)
        expect(at(body.data, path), path.join('.')).not.toBeNull();
    });

    it('takes about as long as its slowest chain of calls, not their sum', async () => {
      const overrides = Object.fromEntries(
        Object.entries(spec.latency.delays).map(([name, ms]) => [name, { faults: { delayMs: ms } }]),
      );
      // Deadlines and timeouts well above the delays: only the latency is under test here.
      const { platform, bff } = await start(
        {
          subgraphOverrides: overrides,
          gateway: {
            gateway: {
              subgraphDefaults: { timeoutMs: 10_000 },
              subgraphs: { health: { timeoutMs: 10_000 } },
            },
          },
        },
        { [spec.name]: { deadlineMs: 20_000 } },
      );
      const token = await platform.token();
      await bff.query({ query: spec.mainQuery }, { token });
      const { body, ms } = await bff.query({ query: spec.mainQuery }, { token });
      expect(body.errors).toBeUndefined();
      expect(ms).toBeGreaterThanOrEqual(spec.latency.slowestChainMs - 50);
      expect(ms).toBeLessThan(
        spec.latency.slowestChainMs + (spec.latency.sumMs - spec.latency.slowestChainMs) / 2,
      );
    });

    it('serves a stale value with stale: true and its age when health fails', async () => {
      const health = await startFaultServer({ upstream: 'health' });
      const { platform, bff } = await start({ subgraphUrls: { health: health.url } });
      open.push({ close: () => health.close() } as Stack);
      const token = await platform.token();
      const fresh = await bff.query({ query: spec.mainQuery }, { token });
      const before = at(fresh.body.data, spec.stalePath);
      expect(before).not.toBeNull();
      health.set({ kind: 'status', status: 500 });
      const stale = await bff.query({ query: spec.mainQuery }, { token });
      expect(at(stale.body.data, spec.stalePath)).toEqual(before);
      const note = stale.body.errors.find(
        (e: { path: Path }) => JSON.stringify(e.path) === JSON.stringify(spec.stalePath),
      );
      expect(note.extensions).toMatchObject({ code: 'SUBGRAPH_ERROR', service: 'health', stale: true });
      expect(note.extensions.ageMs).toBeGreaterThanOrEqual(0);
    });

    it('fails the whole request with 401 when the token is bad', async () => {
      const { bff, proxy } = await start();
      const { status, headers, body } = await bff.query({ query: spec.mainQuery }, { token: 'not.a.token' });
      expect(status).toBe(401);
      expect(String(headers['www-authenticate'])).toMatch(/invalid_token/);
      expect(body).toEqual({
        errors: [
          expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
        ],
      });
      // The BFF verified the token itself: a bad one costs no gateway call.
      expect(proxy.calls).toBe(0);
    });

    it('refuses query bombs with a coded 4xx before calling the gateway', async () => {
      const { platform, proxy, bff } = await start();
      const token = await platform.token();
      for (const bomb of bombs) {
        for (const caller of [{}, { token }]) {
          const { status, body } = await bff.query(bomb.body, caller);
          expect(status, bomb.name).toBe(bomb.status);
          expect([bomb.code].flat(), bomb.name).toContain(body.errors?.[0]?.extensions?.code);
          expect(JSON.stringify(body), bomb.name).not.toMatch(/stack|Maximum call stack|at [a-zA-Z]+ \(/);
        }
      }
      expect(proxy.calls).toBe(0);
    });

    it("carries a gateway refusal's code and status to the caller (400 QUERY_TOO_COMPLEX stays itself)", async () => {
      const { platform, bff } = await start({ gateway: { limits: { maxDepth: 2 } } });
      const { status, body } = await bff.query({ query: spec.mainQuery }, { token: await platform.token() });
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors[0].extensions).toMatchObject({
        code: 'QUERY_TOO_COMPLEX',
        limit: 'maxDepth',
        max: 2,
      });
    });

    it('keys its limits on the verified caller, however the Authorization header is spelt', async () => {
      const { platform, proxy, bff } = await start();
      const token = await platform.token();
      for (const header of [`Bearer ${token}`, `bearer ${token}`, `BEARER \t${token}`]) {
        const { status } = await bff.query({ query: spec.mainQuery }, { headers: { authorization: header } });
        expect(status, header).toBe(200);
      }
      expect(proxy.calls).toBeGreaterThan(0);
    });

    if (spec.costlyQuery) {
      const costlyQuery = spec.costlyQuery;
      it('spends at most bffs.maxGatewayCalls gateway calls on a request, however it is written', async () => {
        const { platform, proxy, bff } = await start({}, { maxGatewayCalls: 3 });
        const { status, body } = await bff.query({ query: costlyQuery }, { token: await platform.token() });
        expect(status).toBe(200);
        expect(proxy.calls).toBe(3);
        const refused = (body.errors ?? []).filter(
          (e: { extensions?: { code?: string } }) => e.extensions?.code === 'QUERY_TOO_COMPLEX',
        );
        expect(refused.length).toBeGreaterThan(0);
        expect(refused[0].message).toMatch(/bffs\.maxGatewayCalls/);
      });
    }
  });
}
