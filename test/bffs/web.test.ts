import { defineBffSuite } from './suite.ts';

const dashboard = `{ dashboard {
  viewer { name }
  tenant { name plan tier }
  quota { percentUsed tokenLimit resetsAt }
  models(first: 12) { id name status availability { status } usage7d { requests cost } replacement { id name } }
  health { status services { name status } incidents { title } }
  recentInvoices { number amount status }
  generatedAt
} }`;

defineBffSuite({
  name: 'web',
  mainQuery: dashboard,
  // Eight model lists of different lengths: eight different gateway operations.
  costlyQuery: `{ dashboard { ${Array.from({ length: 8 }, (_, i) => `m${i}: models(first: ${i + 1}) { id }`).join(' ')} } }`,
  // Account, models, health, and one batched lookup for every deprecated model's replacement.
  gatewayCalls: 4,
  billingDown: {
    nullPaths: [
      ['dashboard', 'viewer'],
      ['dashboard', 'tenant'],
      ['dashboard', 'quota'],
      ['dashboard', 'recentInvoices'],
    ],
    servedPaths: [
      ['dashboard', 'models'],
      ['dashboard', 'health'],
      ['dashboard', 'models', 0, 'usage7d'],
    ],
  },
  healthLate: {
    nullPaths: [
      ['dashboard', 'health'],
      ['dashboard', 'models', 0, 'availability'],
    ],
    servedPaths: [
      ['dashboard', 'tenant'],
      ['dashboard', 'quota'],
      ['dashboard', 'models', 0, 'usage7d'],
    ],
  },
  // Account is billing then metering (1 s); models and health run beside it.
  latency: {
    delays: { billing: 1_000, metering: 1_000, health: 1_000 },
    slowestChainMs: 2_000,
    sumMs: 4_000,
  },
  stalePath: ['dashboard', 'health'],
});
