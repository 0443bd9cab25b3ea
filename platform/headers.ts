/**
 * Headers that cross service boundaries. Identity headers are set by the gateway from a verified
 * token and trusted by subgraphs; no client may set them.
 */
export const IDENTITY_HEADERS = {
  user: 'x-user-id',
  tenant: 'x-tenant-id',
  scopes: 'x-user-scopes',
} as const;
export const REQUEST_DEADLINE_HEADER = 'x-request-deadline';
export const RELATIVE_TIMEOUT_HEADER = 'request-timeout';
/** On a retried subgraph call: which retry it is (1 for the first retry). */
export const RETRY_ATTEMPT_HEADER = 'x-retry-attempt';
/** On the second copy of a hedged subgraph call. */
export const HEDGED_REQUEST_HEADER = 'x-hedged-request';
/** The default header that sends a subgraph's calls to its canary (`x-canary: models`). */
export const CANARY_HEADER = 'x-canary';
