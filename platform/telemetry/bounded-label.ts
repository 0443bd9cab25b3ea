/** What a label value may look like: a client or operation name, never free text. */
const PLAIN = /^[A-Za-z0-9_.:@/-]{1,64}$/;

/**
 * Label values that come from clients, bounded so a client sending a new name per request cannot
 * grow the metrics without end: missing is `unknown`; odd-looking, not on the allow list, or past
 * the first `max` distinct values is `other`. The values admitted stay admitted for the process's
 * life (series are never deleted under a scraper).
 */
export function boundedLabel(
  max: number,
  allowed: readonly string[] = [],
): (value: string | null | undefined) => string {
  const allow = allowed.length > 0 ? new Set(allowed) : null;
  const admitted = new Set<string>();
  return (value) => {
    if (value === null || value === undefined || value === '') return 'unknown';
    if (admitted.has(value)) return value;
    if (!PLAIN.test(value) || (allow && !allow.has(value)) || admitted.size >= max) return 'other';
    admitted.add(value);
    return value;
  };
}
