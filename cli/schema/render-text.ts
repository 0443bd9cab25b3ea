import { describeRef, type OperationRef } from './operations.ts';
import { describeUses } from './recorded.ts';
import { type BffCheck, countLevels, type Judged, plural, type SchemaCheckReport } from './report.ts';

const where = (ref: OperationRef) => `${ref.frontend}  ${ref.name}  ${describeRef(ref)}`;

/** Why an operation is listed under a change it uses. */
function note(change: { level: string; broken: boolean }): string {
  if (change.level !== 'breaking') return change.level;
  return change.broken ? 'breaking' : 'breaking, but judged by validation and it still validates';
}

function composition(report: SchemaCheckReport): string[] {
  const { composition: c } = report;
  const lines = ['Composition'];
  if (c.ok) lines.push(`  ok: ${c.subgraphs.join(', ')} composed (${plural(c.hints, 'hint')})`);
  else {
    lines.push(`  FAILED with ${plural(c.errors.length, 'error')}:`);
    for (const e of c.errors) lines.push(`    ${e.subgraph ?? '(supergraph)'}: ${e.code}: ${e.message}`);
  }
  const { path, upToDate, mustBeUpToDate } = c.supergraph;
  if (upToDate === true) lines.push(`  ${path} is up to date with supergraph.yaml`);
  if (upToDate === false)
    lines.push(
      mustBeUpToDate
        ? `  ${path} is OUT OF DATE with supergraph.yaml: run npm run compose and commit it`
        : `  ${path} is out of date with supergraph.yaml: the changes below are not composed yet (npm run compose)`,
    );
  lines.push(`  base: ${report.base}`);
  return lines;
}

/** How the sections of one judged schema are titled: the supergraph's, or a BFF's. */
interface Titles {
  changes: string;
  schema: string;
  operations: string;
  noOperations: string;
  deprecations: string;
}

const supergraphTitles: Titles = {
  changes: 'Changes',
  schema: 'API schema',
  operations: 'Affected operations',
  noOperations: '(bffs/<name>/operations/*.graphql, schemaCheck.manifests)',
  deprecations: 'Deprecations',
};

const bffTitles = (name: string): Titles => ({
  changes: `${name} BFF changes`,
  schema: 'BFF schema',
  operations: `${name} BFF app operations affected`,
  noOperations: `(register apps on it in schemaCheck.apps)`,
  deprecations: `${name} BFF deprecations`,
});

function changes(report: Judged, titles = supergraphTitles): string[] {
  if (!report.checked) return [titles.changes, '  not checked: composition failed'];
  const n = countLevels(report);
  const lines = [`${titles.changes}: ${n.breaking} breaking, ${n.dangerous} dangerous, ${n.safe} safe`];
  if (report.changes.length === 0) lines.push(`  none: the ${titles.schema} is unchanged`);
  for (const change of report.changes) {
    const tag = change.level.toUpperCase().padEnd(9);
    lines.push(`  ${tag} ${change.coordinate}: ${change.message}`);
    lines.push(`            ${change.reason}`);
    if (change.level === 'safe') continue;
    if (change.affected.length === 0) lines.push('            0 operations affected');
    const spared = change.affected.filter((ref) => !change.broken.includes(ref));
    if (change.broken.length > 0) {
      lines.push(`            breaks ${plural(change.broken.length, 'operation')}:`);
      for (const ref of change.broken) lines.push(`              ${where(ref)}`);
    }
    if (spared.length > 0) {
      const note = change.level === 'breaking' ? ' that still validate (not broken)' : '';
      lines.push(`            affects ${plural(spared.length, 'operation')}${note}:`);
      for (const ref of spared) lines.push(`              ${where(ref)}`);
    }
    if (change.recorded && change.level === 'breaking') {
      if (change.recorded.length === 0) lines.push('            unused in the recorded traffic');
      else
        lines.push(`            used by recorded traffic (${plural(change.recorded.length, 'operation')}):`);
      for (const line of describeUses(change.recorded)) lines.push(`              ${line}`);
    }
  }
  const { usage } = report as Partial<SchemaCheckReport>;
  if (usage)
    lines.push(
      `  recorded traffic: ${plural(usage.operations, 'operation')} from ${usage.source}, ${usage.since} to ${usage.until}`,
    );
  return lines;
}

function operations(report: Judged, titles = supergraphTitles): string[] {
  const { registered, frontends, affected } = report.operations;
  const per = Object.entries(frontends).map(([name, count]) => `${name} ${count}`);
  const lines = [
    registered === 0
      ? `${titles.operations}: 0 registered operations ${titles.noOperations}`
      : `${titles.operations}: ${affected.length} of ${plural(registered, 'registered operation')} (${per.join(', ')})`,
  ];
  if (!report.checked) lines.push('  not checked: composition failed');
  else if (registered > 0 && affected.length === 0) lines.push('  none');
  for (const impact of affected) {
    lines.push(`  ${where(impact.operation)}`);
    for (const change of impact.changes) lines.push(`    uses ${change.coordinate} (${note(change)})`);
    if (impact.errors.length === 0) lines.push(`    still validates against the new ${titles.schema}`);
    else {
      const before = impact.validBefore ? '' : ' (it did not validate against the base either)';
      lines.push(`    does not validate against the new ${titles.schema}${before}:`);
      for (const error of impact.errors) lines.push(`      ${error}`);
    }
  }
  return lines;
}

function deprecations(report: Judged, titles = supergraphTitles): string[] {
  const lines = [
    `${titles.deprecations}: ${plural(report.deprecations.length, 'use')} of deprecated schema elements`,
  ];
  for (const use of report.deprecations) {
    lines.push(`  ${where(use.operation)}`);
    lines.push(`    ${use.coordinate}: ${use.reason}`);
    lines.push(`    replacement: ${use.replacement ?? 'not named in the reason'}`);
  }
  return lines;
}

/** One BFF: its contract's state, then the same sections as the supergraph's, titled with its name. */
function bff(check: BffCheck): string[] {
  const titles = bffTitles(check.bff);
  const { path, upToDate, mustBeUpToDate } = check.contract;
  const source = `bffs/${check.bff}/schema.graphql`;
  const state = upToDate
    ? `  ${path} is up to date with ${source}`
    : mustBeUpToDate
      ? `  ${path} is OUT OF DATE with ${source}: run npm run codegen and commit it`
      : `  ${path} is out of date with ${source}: the changes below are not published yet (npm run codegen)`;
  return [
    `BFF ${check.bff}`,
    state,
    `  base: ${check.base}`,
    '',
    ...changes(check, titles),
    '',
    ...operations(check, titles),
    '',
    ...deprecations(check, titles),
    '',
  ];
}

/** The terminal report: one section per concern, then the verdict and why. */
export function renderText(report: SchemaCheckReport): string {
  const verdict = report.verdict === 'pass' ? 'PASS' : 'FAIL';
  return [
    `Schema check: ${verdict}`,
    '',
    ...composition(report),
    '',
    ...changes(report),
    '',
    ...operations(report),
    '',
    ...deprecations(report),
    '',
    ...report.bffs.flatMap(bff),
    `Result: ${verdict}${report.options.strict ? ' (--strict)' : ''}`,
    ...report.failures.map((failure) => `  - ${failure}`),
  ].join('\n');
}
