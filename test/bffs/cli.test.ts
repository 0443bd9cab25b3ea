import { defineBffSuite } from './suite.ts';

const all = `{
  status { platform { overall services { name status } incidents { title } } account { tenant plan quotaPercent } }
  models(first: 5) { id name status availability requests7d }
  usage(window: D7) { requests cost days { date requests } }
}`;

defineBffSuite({
  name: 'cli',
  mainQuery: all,
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
  latency: {
    delays: { billing: 1_000, metering: 1_000, health: 1_000 },
    slowestChainMs: 2_000,
    sumMs: 6_000,
  },
  stalePath: ['status', 'platform'],
});
