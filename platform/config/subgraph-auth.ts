import { z } from 'zod';

/**
 * How subgraphs know a call comes from the gateway. The gateway signs a short-lived assertion for
 * every subgraph call (audience: that subgraph; identity from the verified client token; expiry at
 * the request's deadline) with a private key only gateways hold; subgraphs verify it against the
 * public keys and take identity from nothing else. See docs/security.md ("Behind the gateway").
 */
export const subgraphAuthSection = z
  .strictObject({
    /** `iss` of every assertion; subgraphs accept no other. */
    issuer: z.string().min(1).default('portico-gateway'),
    /**
     * The gateway's private keys (a JWKS whose keys carry their private part; `portico keys`
     * writes it). The first key signs unless `signingKeyId` names another; every key is published.
     * Created on first start in development; required outside it.
     */
    signingKeysFile: z.string().min(1).default('.portico/gateway-signing-keys.json'),
    signingKeyId: z.string().min(1).optional(),
    /** The public keys subgraphs verify with (written beside the private file by `portico keys`). */
    jwksFile: z.string().min(1).default('.portico/gateway-jwks.json'),
    /** Instead of the file: where subgraphs fetch the public keys (the gateway's admin listener). */
    jwksUrl: z.url().optional(),
    /** Both key files are re-read when they change, checked at most this often (rotation, retirement). */
    reloadIntervalSec: z.number().int().positive().default(10),
    /** Clock skew allowed between gateway and subgraph hosts when checking `exp` and `iat`. */
    clockToleranceSec: z.number().int().min(0).max(60).default(5),
  })
  .prefault({});
