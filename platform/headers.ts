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
