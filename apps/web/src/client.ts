import type { TypedDocumentString } from './generated/operations.ts';

/** A GraphQL error as the BFF sends it: a code, and for a failed backend its name and retryability. */
export interface BffError {
  message: string;
  path?: (string | number)[];
  extensions?: {
    code?: string;
    service?: string;
    retryable?: boolean;
    stale?: boolean;
    ageMs?: number;
  };
}

/** What one call to the BFF came to, in the terms the page shows. */
export type Outcome<T> =
  | { kind: 'data'; data: T; errors: BffError[] }
  | { kind: 'unauthenticated'; message: string }
  | { kind: 'rate-limited'; retryAfterSec: number; message: string }
  | { kind: 'failed'; message: string };

/**
 * Sends one typed operation to the BFF. A 401 or 429 fails the whole page (the BFF sends no data
 * with them); anything else with data is served, each failed card carrying its own error. A
 * network failure (the BFF down, or this origin refused by its CORS policy) is `failed`.
 */
export async function execute<TResult, TVariables>(
  url: string,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  token: string | null,
): Promise<Outcome<TResult>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    return {
      kind: 'failed',
      message: `cannot reach the web BFF at ${url} (down, or this page's origin is not allowed)`,
    };
  }
  const body = (await response.json().catch(() => null)) as {
    data?: TResult | null;
    errors?: BffError[];
  } | null;
  const first = body?.errors?.[0];
  if (response.status === 401) return { kind: 'unauthenticated', message: first?.message ?? 'sign in again' };
  if (response.status === 429) {
    const retryAfterSec = Math.max(1, Number(response.headers.get('retry-after')) || 1);
    return { kind: 'rate-limited', retryAfterSec, message: first?.message ?? 'too many requests' };
  }
  if (!body?.data) {
    const code = first?.extensions?.code ? ` (${first.extensions.code})` : '';
    return { kind: 'failed', message: `${first?.message ?? `HTTP ${response.status}`}${code}` };
  }
  return { kind: 'data', data: body.data, errors: body.errors ?? [] };
}

/** The error explaining the value at `path` (or above it): why a card or a part of one is missing. */
export function errorAt(errors: BffError[], ...path: (string | number)[]): BffError | undefined {
  return errors.find(
    (e) => e.path !== undefined && e.path.length <= path.length && e.path.every((p, i) => p === path[i]),
  );
}
