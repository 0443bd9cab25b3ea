import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { RecordedOperation, UsageExport } from '../../gateway/usage/record.ts';
import { changeAffects, type SchemaChange } from './changes.ts';
import { SchemaCheckInputError } from './input-error.ts';

/** Usage recorded by the gateway from real traffic, as `schema check --usage` read it. */
export interface RecordedUsage {
  /** `usage.json`, or `redis` */
  source: string;
  since: string;
  until: string;
  operations: RecordedOperation[];
}

/** A recorded operation a change would break: who sent it, how often, when last. */
export interface RecordedUse {
  client: string;
  clientVersion: string;
  operation: string;
  signature: string;
  count: number;
  lastSeen: string;
}

const exportSchema = z.object({
  version: z.literal(1),
  since: z.string(),
  until: z.string(),
  operations: z.array(
    z.object({
      client: z.string(),
      clientVersion: z.string(),
      operation: z.string(),
      signature: z.string(),
      coordinates: z.array(z.string()),
      count: z.number(),
      lastSeen: z.string(),
    }),
  ),
});

/** Reads a `portico schema usage` export; a file that is not one is an input error (exit 2). */
export function readUsageFile(path: string): RecordedUsage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SchemaCheckInputError(`--usage ${path}: ${(error as Error).message}`);
  }
  const result = exportSchema.safeParse(parsed);
  if (!result.success)
    throw new SchemaCheckInputError(
      `--usage ${path}: not a usage export (portico schema usage): ${result.error.issues[0]?.message}`,
    );
  return { source: path, ...result.data };
}

export function fromExport(source: string, exported: UsageExport): RecordedUsage {
  return { source, since: exported.since, until: exported.until, operations: exported.operations };
}

/** The recorded operations that use a change's coordinate, most used first. */
export function recordedUses(change: SchemaChange, usage: RecordedUsage | undefined): RecordedUse[] {
  if (!usage || change.level === 'safe') return [];
  return usage.operations
    .filter((op) => changeAffects(change, new Set(op.coordinates)))
    .sort((a, b) => b.count - a.count)
    .map(({ coordinates: _coordinates, ...use }) => use);
}

/** One line per client: `ios 1.0.0: Catalogue (12 requests, last seen ...)`. */
export function describeUses(uses: readonly RecordedUse[]): string[] {
  return uses.map(
    (use) =>
      `${use.client}${use.clientVersion === 'unknown' ? '' : ` ${use.clientVersion}`}: ${use.operation} (${use.count} request${use.count === 1 ? '' : 's'}, last seen ${use.lastSeen})`,
  );
}
