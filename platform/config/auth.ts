import { z } from 'zod';

const asymmetric = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** How the gateway verifies tokens. Keys come from a JWKS URL or a local JWKS file. */
export const authSection = z
  .strictObject({
    jwksUrl: z.url().optional(),
    jwksFile: z.string().min(1).optional(),
    issuer: z.string().min(1).default('portico-dev'),
    audience: z.string().min(1).default('portico'),
    algorithms: z.array(z.enum(asymmetric)).min(1).default(['RS256', 'ES256', 'EdDSA']),
    clockToleranceSec: z.number().int().min(0).max(300).default(30),
    /**
     * A verified token is reused this long without checking its signature again, while the key
     * set still holds the key it was checked with, and never past its `exp`. 0: verify every request.
     */
    verifiedTokenCacheSec: z.number().int().min(0).max(300).default(10),
    jwks: z
      .strictObject({
        /** A fetched key set is trusted this long before it is fetched again (a removed key stops working then). */
        cacheMaxAgeSec: z.number().int().positive().default(600),
        /** At most one refetch per this period, even when tokens with unknown key ids keep arriving. */
        cooldownSec: z.number().int().min(0).default(30),
        timeoutMs: z.number().int().positive().default(2_000),
        /**
         * While the JWKS endpoint is down, the last good key set keeps serving this long past its
         * cache age; after that, requests with a token answer 503 until the endpoint is back.
         */
        staleMaxAgeSec: z.number().int().min(0).default(3_600),
        /** After a failed fetch, wait this long before trying the endpoint again (requests are not held up). */
        retryAfterFailureSec: z.number().int().positive().default(15),
      })
      .prefault({}),
    claims: z
      .strictObject({
        tenant: z.string().min(1).default('tenant'),
        scopes: z.string().min(1).default('scope'),
        /** The API client a token was issued to (OAuth client credentials); rate limits `per: apiKey`. */
        client: z.string().min(1).default('client_id'),
      })
      .prefault({}),
    /**
     * What a caller without a token may query. `rootFields` (the default, deny by default): only
     * the root fields listed in `anonymousRootFields`. `unguarded`: every root field that no
     * `@authenticated` / `@requiresScopes` in the supergraph guards (on the field or on the type it
     * returns), as Apollo Router does, so a foreign supergraph needs no list; guarded fields deeper
     * in the operation are cut and answered null with FORBIDDEN, as for any caller.
     */
    anonymousAccess: z.enum(['rootFields', 'unguarded']).default('rootFields'),
    /** Root fields a caller without a token may query in `rootFields` mode (everything else answers 401). */
    anonymousRootFields: z.array(z.string().min(1)).default(['health']),
    /** Client headers stripped at the edge besides the identity headers the gateway sets itself. */
    strippedHeaderPrefix: z.string().min(1).toLowerCase().default('x-portico-'),
  })
  .prefault({});

/** The local token issuer that `npm start` runs; never for production. */
export const devIssuerSection = z
  .strictObject({
    /** Where the generated key pair is kept, so tokens survive a restart. */
    keyFile: z.string().min(1).default('.portico/dev-issuer-key.json'),
    defaultTtl: z
      .string()
      .regex(/^\d+[smhd]$/)
      .default('1h'),
  })
  .prefault({});
