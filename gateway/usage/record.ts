/**
 * The exported form of recorded field usage (`portico schema usage`), read back by
 * `portico schema check --usage`. One entry per operation signature and client.
 */
export interface UsageExport {
  version: 1;
  /** ISO times of the window the counts cover (whole hours). */
  since: string;
  until: string;
  operations: RecordedOperation[];
}

/** What an operation is: who sent it, which operation, and the schema coordinates it uses. */
export interface OperationMeta {
  client: string;
  clientVersion: string;
  /** The operation's name, or `(anonymous)`. */
  operation: string;
  /** A hash of Apollo's usage-reporting signature (literals hidden, fields sorted). */
  signature: string;
  coordinates: string[];
}

export interface RecordedOperation extends OperationMeta {
  count: number;
  /** ISO time of the last hour it was seen in. */
  lastSeen: string;
}

export const HOUR_MS = 3_600_000;

/** The hour a time falls in, as epoch ms. */
export function hourOf(time: number): number {
  return Math.floor(time / HOUR_MS) * HOUR_MS;
}

/** Adds `weight` to `key` in the bucket of `hour`, making the bucket when it is the hour's first. */
export function addCount(
  buckets: Map<number, Map<string, number>>,
  hour: number,
  key: string,
  weight: number,
): void {
  let bucket = buckets.get(hour);
  if (!bucket) {
    bucket = new Map();
    buckets.set(hour, bucket);
  }
  bucket.set(key, (bucket.get(key) ?? 0) + weight);
}

/** Adds one bucket's counts into the export's entries (key: operation key). */
export function collect(
  into: Map<string, RecordedOperation>,
  hour: number,
  counts: Iterable<[string, number]>,
  meta: (key: string) => OperationMeta | undefined,
): void {
  for (const [key, count] of counts) {
    const known = meta(key);
    if (!known) continue;
    const entry = into.get(key);
    const seen = new Date(hour).toISOString();
    if (entry) {
      entry.count += count;
      if (seen > entry.lastSeen) entry.lastSeen = seen;
    } else into.set(key, { ...known, count, lastSeen: seen });
  }
}

/** `30d`, `12h`, `90m` as milliseconds; null when it does not read as one. */
export function parseWindow(text: string): number | null {
  const match = /^(\d+)([dhm])$/.exec(text.trim());
  if (!match) return null;
  const unit = { d: 86_400_000, h: HOUR_MS, m: 60_000 }[match[2] as 'd' | 'h' | 'm'];
  return Number(match[1]) * unit;
}
