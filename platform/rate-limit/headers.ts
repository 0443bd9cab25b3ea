/**
 * The RateLimit-Policy and RateLimit response fields of the IETF httpapi draft
 * (draft-ietf-httpapi-ratelimit-headers, the -08+ form): Structured Field lists whose items are
 * the policy name as a String, with parameters.
 *
 *   RateLimit-Policy: "tenant-requests";q=600;w=60, "tenant-cost";q=2000000;w=86400;qu="cost"
 *   RateLimit: "tenant-requests";r=12;t=41
 *
 * q: quota, w: window (s), qu: quota unit (requests when absent), r: remaining, t: seconds until
 * the window resets (rounded up; equal to Retry-After on a refusal).
 */
export interface PolicyState {
  name: string;
  quota: number;
  windowSec: number;
  unit: 'requests' | 'cost';
  remaining: number;
  resetSec: number;
}

/**
 * Policy names as sf-strings, escaped once per name rather than per response (two regular
 * expressions per name per request otherwise). Names come from the config and the supergraph,
 * so the map stays small; the bound is a guard.
 */
const escaped = new Map<string, string>();

function sfString(value: string): string {
  let quoted = escaped.get(value);
  if (quoted === undefined) {
    // sf-string allows printable ASCII; quotes and backslashes are escaped, anything else dropped.
    quoted = `"${value.replace(/[^\x20-\x7E]/g, '').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    if (escaped.size < 1_000) escaped.set(value, quoted);
  }
  return quoted;
}

function nonNegative(value: number): number {
  return Math.max(0, Math.floor(value));
}

export function rateLimitPolicyHeader(policies: readonly PolicyState[]): string {
  return policies
    .map((p) => {
      const unit = p.unit === 'cost' ? `;qu=${sfString('cost')}` : '';
      return `${sfString(p.name)};q=${nonNegative(p.quota)};w=${nonNegative(p.windowSec)}${unit}`;
    })
    .join(', ');
}

export function rateLimitHeader(policy: PolicyState): string {
  return `${sfString(policy.name)};r=${nonNegative(policy.remaining)};t=${nonNegative(policy.resetSec)}`;
}

/**
 * The policy a client should heed: the one with the smallest share of its quota left (quotas in
 * different units compare as fractions); on a tie, the one that resets last.
 */
export function strictest<T extends PolicyState>(policies: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const policy of policies) {
    if (!best) {
      best = policy;
      continue;
    }
    const share = policy.remaining / Math.max(policy.quota, 1);
    const bestShare = best.remaining / Math.max(best.quota, 1);
    if (share < bestShare || (share === bestShare && policy.resetSec > best.resetSec)) best = policy;
  }
  return best;
}

/**
 * Response headers for the policies applied to a request: RateLimit names the one that binds
 * (`first`, else the strictest), which also leads RateLimit-Policy.
 */
export function rateLimitHeaders(
  policies: readonly PolicyState[],
  first: PolicyState | undefined = strictest(policies),
): Record<string, string> {
  if (!first) return {};
  const ordered = [first, ...policies.filter((p) => p !== first)];
  return { 'ratelimit-policy': rateLimitPolicyHeader(ordered), ratelimit: rateLimitHeader(first) };
}
