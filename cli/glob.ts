import { readdirSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

function segmentPattern(segment: string): RegExp {
  const source = segment
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${source}$`);
}

function entries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * Files matching a glob (`*`, `?` within one path segment, `**` for any number of folders),
 * relative to `root` unless absolute; sorted. Node 20 has no fs.glob, and the manifest needs
 * only this much. Names starting with a dot are never matched by a wildcard.
 */
export function expandGlob(pattern: string, root: string): string[] {
  const absolute = isAbsolute(pattern) ? pattern : resolve(root, pattern);
  const parts = absolute.split(sep).filter(Boolean);
  const firstWild = parts.findIndex((part) => /[*?]/.test(part));
  if (firstWild === -1) {
    const dir = sep + parts.slice(0, -1).join(sep);
    return entries(dir).some((e) => e.isFile() && e.name === parts.at(-1)) ? [absolute] : [];
  }
  const found = new Set<string>();
  const walk = (dir: string, rest: string[]) => {
    const [head, ...tail] = rest;
    if (head === undefined) return;
    if (head === '**') {
      walk(dir, tail);
      for (const entry of entries(dir)) {
        if (entry.isDirectory() && !entry.name.startsWith('.')) walk(join(dir, entry.name), rest);
      }
      return;
    }
    const wild = /[*?]/.test(head);
    const match = segmentPattern(head);
    for (const entry of entries(dir)) {
      if (wild && entry.name.startsWith('.')) continue;
      if (!match.test(entry.name)) continue;
      const path = join(dir, entry.name);
      if (tail.length === 0) {
        if (entry.isFile()) found.add(path);
      } else if (entry.isDirectory()) {
        walk(path, tail);
      }
    }
  };
  walk(sep + parts.slice(0, firstWild).join(sep), parts.slice(firstWild));
  return [...found].sort();
}
