import { relative } from 'node:path';
import type { SchemaCheckConfig } from '../../platform/config/schema-check.ts';
import { diffApiSchemas, type SchemaChange } from './changes.ts';
import { assessOperations, type OperationImpact } from './impact.ts';
import { loadSchemas, type SchemaSources } from './load.ts';
import { describeRef, discoverOperations, type OperationRef } from './operations.ts';
import { describeUses, type RecordedUsage, recordedUses } from './recorded.ts';
import type { SchemaCheckReport } from './report.ts';

export interface SchemaCheckOptions extends SchemaSources {
  strict: boolean;
  config: SchemaCheckConfig;
  /** Usage recorded from real traffic (`--usage`): a breaking change it uses fails the check. */
  recorded?: RecordedUsage;
}

const label = (ref: OperationRef) => `${ref.frontend} ${ref.name}`;

/**
 * The policy: what fails the check.
 * - composition fails (or asks for another federation version);
 * - with --base, supergraph.graphql is not what supergraph.yaml composes to (the gateway serves
 *   the file, so a pull request must commit it recomposed); without --base the file is the base,
 *   so a stale file only means the changes shown are not composed yet;
 * - a breaking change used by at least one registered operation;
 * - an operation that does not validate against the new API schema, whatever the cause;
 * - with --usage, a breaking change used by recorded traffic in the window, naming the clients;
 * - with --strict, any breaking change, used or not.
 */
function failuresOf(report: Omit<SchemaCheckReport, 'verdict' | 'failures'>): string[] {
  const failures: string[] = [];
  const { composition } = report;
  if (!composition.ok) failures.push(`composition failed with ${composition.errors.length} error(s)`);
  if (composition.supergraph.mustBeUpToDate && composition.supergraph.upToDate === false)
    failures.push(`${composition.supergraph.path} is out of date with supergraph.yaml: run npm run compose`);
  const explained = new Set<OperationRef>();
  for (const change of report.changes) {
    if (change.level !== 'breaking') continue;
    for (const ref of change.broken) explained.add(ref);
    const count = change.broken.length;
    if (change.recorded.length > 0)
      failures.push(
        `${change.coordinate}: breaking change used by recorded traffic: ${describeUses(change.recorded).join('; ')}`,
      );
    if (count > 0)
      failures.push(
        `${change.coordinate}: breaking change breaks ${count} operation${count === 1 ? '' : 's'} (${change.broken.map(label).join(', ')})`,
      );
    else if (report.options.strict && change.recorded.length === 0)
      failures.push(
        `${change.coordinate}: breaking change, ${change.affected.length === 0 ? '0 operations affected' : 'no operation broken'} (fails with --strict)`,
      );
  }
  for (const impact of report.operations.affected)
    if (impact.errors.length > 0 && !explained.has(impact.operation))
      failures.push(
        `${label(impact.operation)} (${describeRef(impact.operation)}) does not validate against the new API schema`,
      );
  return failures;
}

export async function runSchemaCheck(options: SchemaCheckOptions): Promise<SchemaCheckReport> {
  const loaded = loadSchemas(options);
  // Discovered before judging, so a bad manifest is an input error even when composition fails.
  const operations = discoverOperations(options.root, options.config);
  const frontends: Record<string, number> = {};
  for (const { ref } of operations) frontends[ref.frontend] = (frontends[ref.frontend] ?? 0) + 1;

  let changes: SchemaChange[] = [];
  let impacts: OperationImpact[] = [];
  if (loaded.next) {
    changes = await diffApiSchemas(loaded.base, loaded.next);
    impacts = assessOperations(operations, loaded.base, loaded.next, changes);
  }
  const partial: Omit<SchemaCheckReport, 'verdict' | 'failures'> = {
    options: { base: options.baseRef ?? null, strict: options.strict },
    composition: {
      ok: loaded.composition.ok,
      subgraphs: loaded.composition.subgraphs,
      errors: loaded.composition.errors,
      hints: loaded.composition.hints.length,
      supergraph: {
        path: relative(options.root, options.supergraphPath) || options.supergraphPath,
        upToDate: loaded.upToDate,
        mustBeUpToDate: options.baseRef !== undefined,
      },
    },
    base: loaded.baseLabel,
    checked: loaded.next !== null,
    changes: changes.map((change) => {
      const uses = impacts.flatMap((impact) =>
        impact.changes
          .filter((c) => c.type === change.type && c.coordinate === change.coordinate)
          .map((c) => ({ operation: impact.operation, broken: c.broken })),
      );
      return {
        ...change,
        affected: uses.map((use) => use.operation),
        broken: uses.filter((use) => use.broken).map((use) => use.operation),
        recorded: change.level === 'breaking' ? recordedUses(change, options.recorded) : [],
      };
    }),
    usage: options.recorded
      ? {
          source: options.recorded.source,
          since: options.recorded.since,
          until: options.recorded.until,
          operations: options.recorded.operations.length,
        }
      : null,
    operations: {
      registered: operations.length,
      frontends,
      affected: impacts.filter((impact) => impact.changes.length > 0 || impact.errors.length > 0),
    },
    deprecations: impacts.flatMap((impact) =>
      impact.deprecated.map((use) => ({ ...use, operation: impact.operation })),
    ),
  };
  const failures = failuresOf(partial);
  return { verdict: failures.length > 0 ? 'fail' : 'pass', failures, ...partial };
}
