import { fieldError } from '../../platform/errors.ts';

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export const MAX_PAGE_SIZE = 100;

const encode = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');

function decode(cursor: string): number {
  const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw fieldError('BAD_REQUEST', '`after` is not a cursor this API issued');
  return Number(match[1]);
}

/**
 * Cursor pagination over an in-memory list. Cursors are opaque offsets: stable for seeded data,
 * and the opacity leaves room to switch to keyset cursors without a schema change.
 */
export function paginate<T>(
  items: readonly T[],
  first: number | null | undefined,
  after: string | null | undefined,
): Connection<T> {
  const size = first ?? 20;
  if (size < 0 || size > MAX_PAGE_SIZE) {
    throw fieldError('BAD_REQUEST', `\`first\` must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  const start = after ? decode(after) + 1 : 0;
  const page = items.slice(start, start + size);
  const edges = page.map((node, index) => ({ cursor: encode(start + index), node }));
  return {
    edges,
    nodes: page,
    pageInfo: { hasNextPage: start + size < items.length, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: items.length,
  };
}
