import { fieldError } from '../../platform/errors.ts';
import type { SubgraphResolvers } from '../shared/build.ts';
import { paginate } from '../shared/connection.ts';
import { requireTenant, type SubgraphContext } from '../shared/identity.ts';
import { periodResetsAt, plans, spendAlerts, type TenantRecord, tenants, tenantsById } from './data.ts';

function tenantOrError(id: string): TenantRecord {
  const tenant = tenantsById.get(id);
  if (!tenant) throw fieldError('FORBIDDEN', `no tenant "${id}"`);
  return tenant;
}

export const resolvers: SubgraphResolvers = {
  Query: {
    viewer: (_: unknown, __: unknown, { identity }: SubgraphContext) => {
      const tenant = tenantOrError(requireTenant(identity));
      const user = tenant.users.find((candidate) => candidate.id === identity.userId);
      return {
        id: identity.userId ?? 'unknown',
        name: user?.name ?? identity.userId ?? 'there',
        scopes: identity.scopes,
        tenant,
      };
    },
    tenant: (_: unknown, __: unknown, { identity }: SubgraphContext) =>
      tenantOrError(requireTenant(identity)),
    tenants: (_: unknown, args: { first?: number; after?: string }) =>
      paginate(tenants, args.first, args.after),
  },
  Mutation: {
    setSpendAlert: (
      _: unknown,
      { threshold }: { threshold: number | null },
      { identity }: SubgraphContext,
    ) => {
      const tenant = tenantOrError(requireTenant(identity));
      if (threshold !== null && (!Number.isFinite(threshold) || threshold < 0)) {
        throw fieldError('BAD_REQUEST', 'threshold must be a positive amount');
      }
      if (threshold === null) spendAlerts.delete(tenant.id);
      else spendAlerts.set(tenant.id, threshold);
      return tenant;
    },
  },
  Tenant: {
    __resolveReference: ({ id }: { id: string }) => tenantsById.get(id) ?? null,
    plan: (tenant: TenantRecord) => plans.get(tenant.planId),
    quota: (tenant: TenantRecord) => {
      const plan = plans.get(tenant.planId)!;
      return { tokenLimit: plan.tokenLimit, requestLimit: plan.requestLimit, resetsAt: periodResetsAt() };
    },
    spendAlert: (tenant: TenantRecord) => spendAlerts.get(tenant.id) ?? null,
    invoices: (
      tenant: TenantRecord,
      args: { first?: number; after?: string },
      { identity }: SubgraphContext,
    ) => {
      // The gateway enforces @requiresScopes; a subgraph reached directly still refuses another tenant's invoices.
      if (identity.tenantId !== tenant.id && !identity.scopes.includes('admin')) {
        throw fieldError('FORBIDDEN', "another tenant's invoices");
      }
      return paginate(tenant.invoices, args.first, args.after);
    },
  },
};
