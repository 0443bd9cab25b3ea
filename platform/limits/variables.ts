/** Deeper than any input a GraphQL schema of ours takes; JSON nested further is refused outright. */
export const MAX_VARIABLES_DEPTH = 64;

export interface JsonMeasure {
  /** Bytes of the value as JSON; once past `stopAfterBytes`, a lower bound. */
  bytes: number;
  /** Deepest nesting of arrays and objects seen (0 for a scalar). */
  depth: number;
}

/**
 * The size and nesting of a parsed JSON value, measured without recursion and without building
 * the JSON text: `JSON.stringify` of a value nested a few thousand levels deep throws a
 * RangeError (and would be a 500), and a size check must not cost more than the limit it checks.
 * Stops early once the value is known to be too big or too deep.
 */
export function measureJson(value: unknown, stopAfterBytes: number, stopAfterDepth: number): JsonMeasure {
  let bytes = 0;
  let depth = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    if (bytes > stopAfterBytes || depth > stopAfterDepth) break;
    const [item, level] = stack.pop()!;
    if (item === null || typeof item !== 'object') {
      bytes += Buffer.byteLength(JSON.stringify(item) ?? 'null');
      continue;
    }
    depth = Math.max(depth, level + 1);
    if (Array.isArray(item)) {
      bytes += 2 + Math.max(0, item.length - 1);
      for (const element of item) stack.push([element, level + 1]);
    } else {
      const entries = Object.entries(item);
      bytes += 2 + Math.max(0, entries.length - 1);
      for (const [key, element] of entries) {
        bytes += Buffer.byteLength(JSON.stringify(key)) + 1;
        stack.push([element, level + 1]);
      }
    }
  }
  return { bytes, depth };
}
