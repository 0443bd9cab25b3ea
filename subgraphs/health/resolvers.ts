import type { SubgraphResolvers } from '../shared/build.ts';
import { availability, incidents, overallStatus, serviceHealth } from './data.ts';

export const resolvers: SubgraphResolvers = {
  Query: {
    health: () => {
      const now = Date.now();
      const services = serviceHealth(now);
      return {
        status: overallStatus(services.map((service) => service.status)),
        services,
        openIncidents: incidents.map(({ startedAtHoursAgo, ...incident }) => ({
          ...incident,
          startedAt: new Date(
            Math.floor(now / 3_600_000) * 3_600_000 - startedAtHoursAgo * 3_600_000,
          ).toISOString(),
        })),
        checkedAt: new Date(now).toISOString(),
      };
    },
  },
  Model: {
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    availability: ({ id }: { id: string }) => availability(id),
  },
};
