import { defineBffSuite } from './suite.ts';

const all = `{
  status { platform { overall services { name status } incidents { title } } account { tenant plan quotaPercent } }
  models(first: 5) { id name status availability requests7d }
  usage(window: D7) { requests cost days { date requests } }
}`;

defineBffSuite({
  name: 'cli',
  mainQuery: all,
  costlyQuery: `{ ${Array.from({ length: 5 }, (_, i) => `m${i}: models(first: ${i + 1}) { id }`).join(' ')} }`,
  // Platform, account, models, usage.
  gatewayCalls: 4,
  billingDown: {
    nullPaths: [['status', 'account'], ['usage']],
    servedPaths: [['status', 'platform'], ['models'], ['models', 0, 'requests7d']],
  },
  healthLate: {
    // The platform section is required: without it the whole report is withheld (and only it).
    nullPaths: [['status'], ['models', 0, 'availability']],
    servedPaths: [['usage'], ['models', 0, 'requests7d']],
  },
  // Account and usage are each billing then metering (1 s); the rest run beside them.
  latency: { delays: { billing: 500, metering: 500, health: 500 }, slowestChainMs: 1_000, sumMs: 3_000 },
  stalePath: ['status', 'platform'],
});
