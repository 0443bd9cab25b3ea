import { tenantIds } from '../shared/catalogue.ts';
import { round, seededRandom } from '../shared/random.ts';

export type PlanTier = 'FREE' | 'TEAM' | 'ENTERPRISE';

export interface Plan {
  id: string;
  name: string;
  tier: PlanTier;
  monthlyPrice: number;
  currency: string;
  tokenLimit: number;
  requestLimit: number;
}

export interface Invoice {
  id: string;
  number: string;
  period: string;
  issuedAt: string;
  amount: number;
  currency: string;
  status: 'PAID' | 'OPEN' | 'OVERDUE';
}

export interface TenantRecord {
  id: string;
  name: string;
  planId: string;
  invoices: Invoice[];
  users: { id: string; name: string }[];
}

export const plans: ReadonlyMap<string, Plan> = new Map(
  [
    {
      id: 'free',
      name: 'Free',
      tier: 'FREE',
      monthlyPrice: 0,
      currency: 'USD',
      tokenLimit: 5_000_000,
      requestLimit: 10_000,
    },
    {
      id: 'team',
      name: 'Team',
      tier: 'TEAM',
      monthlyPrice: 499,
      currency: 'USD',
      tokenLimit: 250_000_000,
      requestLimit: 500_000,
    },
    {
      id: 'enterprise',
      name: 'Enterprise',
      tier: 'ENTERPRISE',
      monthlyPrice: 4_999,
      currency: 'USD',
      tokenLimit: 2_000_000_000,
      requestLimit: 5_000_000,
    },
  ].map((plan) => [plan.id, plan as Plan]),
);

const displayNames: Record<string, string> = {
  acme: 'Acme Corp',
  globex: 'Globex',
  initech: 'Initech',
  umbrella: 'Umbrella Research',
  hooli: 'Hooli',
  stark: 'Stark Industries',
  wayne: 'Wayne Enterprises',
  tyrell: 'Tyrell Corporation',
  wonka: 'Wonka Industries',
  cyberdyne: 'Cyberdyne Systems',
};

const firstNames = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Radia',
];

function monthsBack(count: number): string[] {
  const now = new Date();
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1 - i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

function buildTenant(id: string, index: number): TenantRecord {
  const random = seededRandom(`tenant:${id}`);
  const planId = index < 2 ? 'enterprise' : index < 7 ? 'team' : 'free';
  const plan = plans.get(planId)!;
  const invoices = monthsBack(12).map((period, i): Invoice => {
    const [year, month] = period.split('-').map(Number) as [number, number];
    const amount =
      plan.monthlyPrice + round(random() * plan.monthlyPrice * 0.6 + (plan.tier === 'FREE' ? 0 : 20));
    return {
      id: `inv_${id}_${period.replace('-', '')}`,
      number: `PRT-${year}-${String(index * 100 + month).padStart(5, '0')}`,
      period,
      issuedAt: new Date(Date.UTC(year, month, 1, 9)).toISOString(),
      amount: round(amount),
      currency: 'USD',
      status: i === 0 ? 'OPEN' : i === 1 && random() < 0.3 ? 'OVERDUE' : 'PAID',
    };
  });
  const users = [1, 2, 3].map((n) => ({
    id: `${id}-user-${n}`,
    name: firstNames[(index + n) % firstNames.length]!,
  }));
  return { id, name: displayNames[id] ?? id, planId, invoices, users };
}

export const tenants: readonly TenantRecord[] = tenantIds.map(buildTenant);
export const tenantsById = new Map(tenants.map((tenant) => [tenant.id, tenant]));

/** Spend alerts are the one piece of mutable state; kept per process, as the seed data is. */
export const spendAlerts = new Map<string, number>();

/** The end of the tenant's rolling 30-day period: the next midnight UTC, for the seeded data. */
export function periodResetsAt(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
}
