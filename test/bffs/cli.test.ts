import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBff, type TestBff } from '../helpers/bff.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';
import { defineBffSuite } from './suite.ts';

const all = `{
  status { platform { overall services { name status } incidents { title } } account { tenant plan quotaPercent } }
  catalogue(first: 5) { totalCount hasNextPage endCursor models { id name status availability requests7d } }
  usage(window: D7, timeZone: "Europe/Paris") { requests cost days { date requests } }
}`;

defineBffSuite({
  name: 'cli',
  mainQuery: all,
  costlyQuery: `{ ${Array.from({ length: 5 }, (_, i) => `m${i}: models(first: ${i + 1}) { id }`).join(' ')} }`,
  // Platform, account, catalogue, usage.
  gatewayCalls: 4,
  billingDown: {
    // Usage is metering's alone: only the account line needs billing.
    nullPaths: [['status', 'account']],
    servedPaths: [['status', 'platform'], ['catalogue'], ['catalogue', 'models', 0, 'requests7d'], ['usage']],
  },
  healthLate: {
    nullPaths: [
      ['status', 'platform'],
      ['catalogue', 'models', 0, 'availability'],
    ],
    servedPaths: [['status', 'account'], ['usage'], ['catalogue', 'models', 0, 'requests7d']],
  },
  // The account is billing then metering (2 s); platform, catalogue and usage run beside it.
  latency: {
    delays: { billing: 1_000, metering: 1_000, health: 1_000 },
    slowestChainMs: 2_000,
    sumMs: 5_000,
  },
  stalePath: ['status', 'platform'],
});

describe('cli BFF answers', () => {
  let healthy: TestPlatform;
  let meteringDown: TestPlatform;
  let bff: TestBff;
  let meteringDownBff: TestBff;
  let token: string;
  beforeAll(async () => {
    healthy = await startPlatform();
    meteringDown = await startPlatform({ without: ['metering'] });
    bff = await startBff('cli', healthy);
    meteringDownBff = await startBff('cli', meteringDown);
    token = await healthy.token();
  });
  afterAll(async () => {
    await bff.close();
    await meteringDownBff.close();
    await healthy.close();
    await meteringDown.close();
  });

  it('with metering down, keeps the account line and loses only the quota use', async () => {
    const { status, body } = await meteringDownBff.query(
      { query: '{ status { account { tenant plan quotaPercent } } usage { requests } }' },
      { token: await meteringDown.token() },
    );
    expect(status).toBe(200);
    expect(body.data.status.account).toEqual({ tenant: 'Acme Corp', plan: 'Enterprise', quotaPercent: null });
    expect(body.data.usage).toBeNull();
    const paths = body.errors.map((e: { path: unknown[] }) => e.path.join('.')).sort();
    expect(paths).toEqual(['status.account.quotaPercent', 'usage']);
    for (const error of body.errors)
      expect(error.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', service: 'metering' });
  });

  it('sums usage into calendar days of the time zone asked for, today last and so far', async () => {
    const query = `query ($tz: String) { usage(window: D7, timeZone: $tz) {
      timeZone from to requests cost days { date requests tokens tokensIn tokensOut cost complete } } }`;
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const before = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
      const { body } = await bff.query({ query, variables: { tz: timeZone } }, { token });
      const after = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
      const usage = body.data.usage;
      expect(usage.timeZone).toBe(timeZone);
      expect(usage.days).toHaveLength(7);
      expect([before, after]).toContain(usage.days[6].date);
      expect(usage.days.map((d: { complete: boolean }) => d.complete)).toEqual([
        ...Array(6).fill(true),
        false,
      ]);
      // Consecutive calendar days, and the totals are the days' sums.
      const dates = usage.days.map((d: { date: string }) => Date.parse(`${d.date}T00:00:00Z`));
      for (let i = 1; i < dates.length; i += 1) expect(dates[i] - dates[i - 1]).toBe(86_400_000);
      expect(usage.requests).toBe(
        usage.days.reduce((s: number, d: { requests: number }) => s + d.requests, 0),
      );
      for (const day of usage.days) expect(day.tokens).toBe(day.tokensIn + day.tokensOut);
      // The window ends now, not at the end of the hour in progress.
      expect(Date.parse(usage.to)).toBeLessThanOrEqual(Date.now());
      expect(Date.now() - Date.parse(usage.to)).toBeLessThan(60_000);
    }
  });

  it('refuses an unknown time zone with BAD_REQUEST on the usage field', async () => {
    const { body } = await bff.query(
      { query: '{ usage(timeZone: "Mars/Olympus") { requests } }' },
      { token },
    );
    expect(body.data.usage).toBeNull();
    expect(body.errors[0]).toMatchObject({
      path: ['usage'],
      extensions: { code: 'BAD_REQUEST' },
      message: expect.stringMatching(/unknown time zone "Mars\/Olympus"/),
    });
  });

  it('pages the catalogue with a count and a cursor, and still serves the deprecated models list', async () => {
    const first = await bff.query(
      { query: '{ catalogue(first: 12) { totalCount hasNextPage endCursor models { id } } }' },
      { token },
    );
    const page = first.body.data.catalogue;
    expect(page.totalCount).toBe(30);
    expect(page.models).toHaveLength(12);
    expect(page.hasNextPage).toBe(true);
    const last = await bff.query(
      {
        query:
          'query ($after: String) { catalogue(first: 20, after: $after) { hasNextPage endCursor models { id } } }',
        variables: { after: page.endCursor },
      },
      { token },
    );
    expect(last.body.data.catalogue.models).toHaveLength(18);
    expect(last.body.data.catalogue).toMatchObject({ hasNextPage: false, endCursor: null });
    const ids = [...page.models, ...last.body.data.catalogue.models].map((m: { id: string }) => m.id);
    expect(new Set(ids).size).toBe(30);
    const legacy = await bff.query({ query: '{ models(first: 3) { id } }' }, { token });
    expect(legacy.body.data.models.map((m: { id: string }) => m.id)).toEqual(ids.slice(0, 3));
  });
});
