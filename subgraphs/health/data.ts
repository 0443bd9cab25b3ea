import { hashString, round, seededRandom } from '../shared/random.ts';

export type ServiceStatus = 'OPERATIONAL' | 'DEGRADED' | 'OUTAGE';

const platformServices = ['inference-api', 'embeddings', 'fine-tuning', 'batch', 'console'] as const;

export const incidents = [
  {
    id: 'inc-2041',
    title: 'Elevated latency on batch jobs in eu-west',
    severity: 'MINOR' as const,
    startedAtHoursAgo: 3,
    affects: ['batch'],
  },
];

const affected = new Set(incidents.flatMap((incident) => incident.affects));

export function serviceHealth(now = Date.now()) {
  return platformServices.map((name) => {
    const random = seededRandom(`health:${name}`);
    return {
      name,
      status: (affected.has(name) ? 'DEGRADED' : 'OPERATIONAL') as ServiceStatus,
      latencyMs: round(40 + random() * 160, 1),
      uptime30d: round(99.5 + random() * 0.49, 3),
      checkedAt: new Date(now).toISOString(),
    };
  });
}

/** Availability per model, derived from its id so every replica agrees. */
export function availability(modelId: string) {
  const random = seededRandom(`availability:${modelId}`);
  const roll = hashString(modelId) % 17;
  const status: ServiceStatus = roll === 0 ? 'DEGRADED' : 'OPERATIONAL';
  const p50 = round(120 + random() * 600, 1);
  return {
    status,
    uptime30d: round(status === 'DEGRADED' ? 98.2 + random() : 99.6 + random() * 0.39, 3),
    p50LatencyMs: p50,
    p95LatencyMs: round(p50 * (2 + random()), 1),
  };
}

export function overallStatus(statuses: ServiceStatus[]): ServiceStatus {
  if (statuses.includes('OUTAGE')) return 'OUTAGE';
  return statuses.includes('DEGRADED') ? 'DEGRADED' : 'OPERATIONAL';
}
