import { z } from 'zod';

/** The public services a browser may call from another origin. */
export const corsServices = ['gateway', 'web', 'mobile', 'cli', 'issuer'] as const;
export type CorsService = (typeof corsServices)[number];

/**
 * An origin as a browser sends it (`scheme://host[:port]`, no path), or the same with `:*` for
 * any port of that host. No bare `*`: with credentials allowed, any-origin would hand every site a
 * caller's token-bearing requests.
 */
const origin = z
  .string()
  .regex(
    /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:(\d{1,5}|\*))?$/i,
    'an origin is scheme://host[:port] (or :* for any port), without a path or a trailing slash',
  );

/**
 * Development allows pages on this machine (the reference web app on its port, a frontend dev
 * server on any other); production allows no origin until one is listed.
 */
export const developmentOrigins = ['http://127.0.0.1:*', 'http://localhost:*', 'http://[::1]:*'] as const;

/** Cross-origin browser access (CORS) to the gateway, the BFFs and the dev token issuer. */
export const corsSection = z
  .strictObject({
    /**
     * Allowed origins per service. A service not listed gets the development origins in
     * development and none in production; `[]` refuses every origin.
     */
    origins: z
      .strictObject(
        Object.fromEntries(corsServices.map((name) => [name, z.array(origin).optional()])) as Record<
          CorsService,
          z.ZodOptional<z.ZodArray<typeof origin>>
        >,
      )
      .prefault({}),
    /** How long a browser may cache a preflight answer (Access-Control-Max-Age). */
    maxAgeSec: z.number().int().min(0).max(86_400).default(600),
  })
  .prefault({});

export type CorsConfig = z.infer<typeof corsSection>;

/** The origins `service` accepts under this configuration. */
export function allowedOrigins(
  config: { environment: 'development' | 'production'; cors: CorsConfig },
  service: CorsService,
): readonly string[] {
  return config.cors.origins[service] ?? (config.environment === 'development' ? developmentOrigins : []);
}
