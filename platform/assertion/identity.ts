/**
 * Who a subgraph call is for, as the gateway vouches for it: the verified client token's subject,
 * tenant, scopes and API client, or nobody (an anonymous caller of a public field).
 */
export interface CallerIdentity {
  subject: string | null;
  tenant: string | null;
  scopes: readonly string[];
  client: string | null;
}

const keys = new WeakMap<object, string>();

/**
 * One string per identity, for cache and in-flight keys: two calls share an assertion or a
 * deduplicated answer only when every part of who they are for is the same.
 */
export function identityKey(identity: CallerIdentity | null): string {
  if (!identity) return '';
  let key = keys.get(identity);
  if (key === undefined) {
    key = JSON.stringify([identity.subject, identity.tenant, identity.scopes, identity.client]);
    keys.set(identity, key);
  }
  return key;
}
