import { z } from 'zod';
import { authSection, devIssuerSection } from './auth.ts';
import { bffsSection } from './bffs.ts';
import { cacheSection } from './cache.ts';
import { corsSection } from './cors.ts';
import { gatewaySection } from './gateway.ts';
import { limitsSection } from './limits.ts';
import { persistedQueriesSection } from './persisted-queries.ts';
import { rateLimitsSection } from './rate-limits.ts';
import { runtimeSection } from './runtime.ts';
import { schemaCheckSection } from './schema-check.ts';
import { adminSection, serverSection } from './server.ts';
import { subgraphAuthSection } from './subgraph-auth.ts';
import { telemetrySection } from './telemetry.ts';

/**
 * The shape of `portico.yaml`. Each section lives in its own file next to this one; adding a
 * concern's settings is one file and one line here. Objects are strict so a misspelt key stops
 * start-up instead of being ignored.
 */
export const configSchema = z.strictObject({
  ...runtimeSection,
  server: serverSection,
  admin: adminSection,
  gateway: gatewaySection,
  auth: authSection,
  subgraphAuth: subgraphAuthSection,
  limits: limitsSection,
  persistedQueries: persistedQueriesSection,
  rateLimits: rateLimitsSection,
  cache: cacheSection,
  devIssuer: devIssuerSection,
  schemaCheck: schemaCheckSection,
  bffs: bffsSection,
  cors: corsSection,
  telemetry: telemetrySection,
});

export type PorticoConfig = z.infer<typeof configSchema>;
export type PorticoConfigInput = z.input<typeof configSchema>;
