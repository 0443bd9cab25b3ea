import { relative } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import type { SchemaCheckConfig } from '../../platform/config/schema-check.ts';
import { loadBffSchemas } from './bff-load.ts';
import { diffApiSchemas } from './changes.ts';
import { assessOperations } from './impact.ts';
import { loadSchemas, type SchemaSources } from './load.ts';
import {
  appOperations,
  describeRef,
  discoverOperations,
  type OperationRef,
  type RegisteredOperation,
} from './operations.ts';
import { describeUses, type RecordedUsage, recordedUses } from './recorded.ts';
import type { BffCheck, Judged, SchemaCheckReport } from './report.ts';

export interface SchemaCheckOptions extends SchemaSources {
  strict: boolean;
  config: SchemaCheckConfig;
  /** Usage recorded from real traffic (`--usage`): a breaking change it uses fails the check. */
  recorded?: RecordedUsage;
}

const label = (ref: OperationRef) => `${ref.frontend} ${ref.name}`;

/**
 * Changes between two schemas, and what they do to the operations registered against them. With
 * no new schema (composition failed) nothing is judged.
 */
async function judge(
  operations: RegisteredOperation[],
  base: GraphQLSchema,
  next: GraphQLSchema | null,
  baseLabel: string,
): Promise<Judged> {
  const frontends: Record<string, number> = {};
  for (const { ref } of operations) frontends[ref.frontend] = (frontends[ref.frontend] ?? 0) + 1;
  const changes = next ? await diffApiSchemas(base, next) : [];
  const impacts = next ? assessOperations(operations, base, next, changes) : [];
  return {
    base: baseLabel,
    checked: next !== null,
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
      };
    }),
    operations: {
      registered: operations.length,
      frontends,
      affected: impacts.filter((impact) => impact.changes.length > 0 || impact.errors.length > 0),
    },
    deprecations: impacts.flatMap((impact) =>
      impact.deprecated.map((use) => ({ ...use, operation: impact.operation })),
    ),
  };
}

/** The supergraph's breaking changes, each with the recorded operations that use it (`--usage`). */
function withRecorded(judged: Judged, recorded: RecordedUsage | undefined): Judged {
  if (!recorded) return judged;
  return {
    ...judged,
    changes: judged.changes.map((change) => ({
      ...change,
      recorded: change.level === 'breaking' ? recordedUses(change, recorded) : [],
    })),
  };
}

/**
 * What fails in one judged schema: a breaking change used by at least one registered operation;
 * an operation that does not validate against the new schema, whatever the cause; with --strict,
 * any breaking change, used or not; a breaking change recorded traffic used (--usage). `prefix` names the schema ("web BFF: ") for BFFs.
 */
function operationFailures(judged: Judged, strict: boolean, prefix = '', schema = 'API schema'): string[] {
  const failures: string[] = [];
  const explained = new Set<OperationRef>();
  for (const change of judged.changes) {
    if (change.level !== 'breaking') continue;
    for (const ref of change.broken) explained.add(ref);
    const count = change.broken.length;
    const recorded = change.recorded ?? [];
    if (recorded.length > 0)
      failures.push(
        `${prefix}${change.coordinate}: breaking change used by recorded traffic: ${describeUses(recorded).join('; ')}`,
      );
    if (count > 0)
      failures.push(
        `${prefix}${change.coordinate}: breaking change breaks ${count} operation${count === 1 ? '' : 's'} (${change.broken.map(label).join(', ')})`,
      );
    else if (strict && recorded.length === 0)
      failures.push(
        `${prefix}${change.coordinate}: breaking change, ${change.affected.length === 0 ? '0 operations affected' : 'no operation broken'} (fails with --strict)`,
      );
  }
  for (const impact of judged.operations.affected)
    if (impact.errors.length > 0 && !explained.has(impact.operation))
      failures.push(
        `${prefix}${label(impact.operation)} (${describeRef(impact.operation)}) does not validate against the new ${schema}`,
      );
  return failures;
}

/**
 * The policy: what fails the check.
 * - composition fails (or asks for another federation version);
 * - with --base, supergraph.graphql is not what supergraph.yaml composes to (the gateway serves
 *   the file, so a pull request must commit it recomposed); without --base the file is the base,
 *   so a stale file only means the changes shown are not composed yet; the same for each BFF's
 *   published contract and its schema.graphql;
 * - in the supergraph and in each BFF schema, what operationFailures says;
 * - with --usage, a supergraph breaking change used by recorded traffic in the window.
 */
function failuresOf(report: Omit<SchemaCheckReport, 'verdict' | 'failures'>): string[] {
  const failures: string[] = [];
  const { composition } = report;
  if (!composition.ok) failures.push(`composition failed with ${composition.errors.length} error(s)`);
  if (composition.supergraph.mustBeUpToDate && composition.supergraph.upToDate === false)
    failures.push(`${composition.supergraph.path} is out of date with supergraph.yaml: run npm run compose`);
  failures.push(...operationFailures(report, report.options.strict));
  for (const bff of report.bffs) {
    if (bff.contract.mustBeUpToDate && !bff.contract.upToDate)
      failures.push(
        `${bff.contract.path} is out of date with bffs/${bff.bff}/schema.graphql: run npm run codegen`,
      );
    failures.push(...operationFailures(bff, report.options.strict, `${bff.bff} BFF: `, 'BFF schema'));
  }
  return failures;
}

export async function runSchemaCheck(options: SchemaCheckOptions): Promise<SchemaCheckReport> {
  const loaded = loadSchemas(options);
  // Discovered before judging, so a bad manifest is an input error even when composition fails.
  const operations = discoverOperations(options.root, options.config);
  const apps = options.config.apps.map((app) => ({ app, operations: appOperations(options.root, app) }));
  const bffs: BffCheck[] = [];
  for (const bff of loadBffSchemas(options.root, options.baseRef)) {
    const registered = apps.filter(({ app }) => app.bff === bff.name).flatMap((a) => a.operations);
    bffs.push({
      bff: bff.name,
      contract: bff.contract,
      ...(await judge(registered, bff.base, bff.next, bff.baseLabel)),
    });
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
    ...withRecorded(await judge(operations, loaded.base, loaded.next, loaded.baseLabel), options.recorded),
    bffs,
    usage: options.recorded
      ? {
          source: options.recorded.source,
          since: options.recorded.since,
          until: options.recorded.until,
          operations: options.recorded.operations.length,
        }
      : null,
  };
  const failures = failuresOf(partial);
  return { verdict: failures.length > 0 ? 'fail' : 'pass', failures, ...partial };
}
