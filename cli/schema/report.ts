import type { CompositionProblem } from '../../gateway/compose.ts';
import type { SchemaChange } from './changes.ts';
import type { DeprecatedUse } from './deprecations.ts';
import type { OperationImpact } from './impact.ts';
import type { OperationRef } from './operations.ts';
import type { RecordedUse } from './recorded.ts';

/** Everything one run of `portico schema check` found; `--format json` prints exactly this. */
export interface SchemaCheckReport {
  verdict: 'pass' | 'fail';
  /** One line per reason the check fails; empty when it passes. */
  failures: string[];
  options: { base: string | null; strict: boolean };
  composition: {
    ok: boolean;
    subgraphs: string[];
    errors: CompositionProblem[];
    hints: number;
    supergraph: {
      path: string;
      /** Null when composition failed and there is nothing to compare. */
      upToDate: boolean | null;
      /** With --base the committed file must be up to date; without, it is the base itself. */
      mustBeUpToDate: boolean;
    };
  };
  /** What the diff was taken against, e.g. `supergraph.graphql at origin/main`. */
  base: string;
  /** False when composition failed: changes and operations could not be judged. */
  checked: boolean;
  /**
   * `affected`: operations that use the change's coordinate; `broken`: those of them the change
   * breaks (always empty for dangerous and safe changes).
   */
  changes: (SchemaChange & { affected: OperationRef[]; broken: OperationRef[]; recorded: RecordedUse[] })[];
  /** The recorded traffic the changes were judged against too (`--usage`); null without it. */
  usage: { source: string; since: string; until: string; operations: number } | null;
  operations: {
    registered: number;
    frontends: Record<string, number>;
    /** Operations that use a breaking or dangerous change, or do not validate against the new schema. */
    affected: OperationImpact[];
  };
  deprecations: (DeprecatedUse & { operation: OperationRef })[];
}

export function countLevels(report: SchemaCheckReport): Record<'breaking' | 'dangerous' | 'safe', number> {
  const counts = { breaking: 0, dangerous: 0, safe: 0 };
  for (const change of report.changes) counts[change.level] += 1;
  return counts;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
