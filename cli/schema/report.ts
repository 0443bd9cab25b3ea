import type { CompositionProblem } from '../../gateway/compose.ts';
import type { DeprecatedUse } from '../../platform/schema/deprecations.ts';
import type { SchemaChange } from './changes.ts';
import type { OperationImpact } from './impact.ts';
import type { OperationRef } from './operations.ts';
import type { RecordedUse } from './recorded.ts';

/** `recorded`: operations recorded from real traffic (`--usage`) that a breaking change breaks. */
export type ReportChange = SchemaChange & {
  affected: OperationRef[];
  broken: OperationRef[];
  recorded: RecordedUse[];
};

/** What is judged of one schema (the supergraph's API, or a BFF's): changes, operations, deprecated uses. */
export interface Judged {
  /** What the diff was taken against, e.g. `supergraph.graphql at origin/main`. */
  base: string;
  /** False when composition failed: changes and operations could not be judged. */
  checked: boolean;
  /**
   * `affected`: operations that use the change's coordinate; `broken`: those of them the change
   * breaks (always empty for dangerous and safe changes).
   */
  changes: ReportChange[];
  operations: {
    registered: number;
    frontends: Record<string, number>;
    /** Operations that use a breaking or dangerous change, or do not validate against the new schema. */
    affected: OperationImpact[];
  };
  deprecations: (DeprecatedUse & { operation: OperationRef })[];
}

/** One BFF's schema, judged against the apps registered on it (`schemaCheck.apps`). */
export interface BffCheck extends Judged {
  bff: string;
  /** Its published contract (`bffs/<name>/generated/schema.graphql`): must be regenerated with --base. */
  contract: { path: string; upToDate: boolean; mustBeUpToDate: boolean };
}

/** Everything one run of `portico schema check` found; `--format json` prints exactly this. */
export interface SchemaCheckReport extends Judged {
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
  /** The recorded traffic the changes were judged against too (`--usage`); null without it. */
  usage: { source: string; since: string; until: string; operations: number } | null;
  /** Each BFF's own schema, diffed and checked against its apps' operations. */
  bffs: BffCheck[];
}

export function countLevels(
  report: Pick<Judged, 'changes'>,
): Record<'breaking' | 'dangerous' | 'safe', number> {
  const counts = { breaking: 0, dangerous: 0, safe: 0 };
  for (const change of report.changes) counts[change.level] += 1;
  return counts;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
