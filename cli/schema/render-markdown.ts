import { describeRef, type OperationRef } from './operations.ts';
import { describeUses } from './recorded.ts';
import {
  type BffCheck,
  countLevels,
  type Judged,
  plural,
  type ReportChange,
  type SchemaCheckReport,
} from './report.ts';

/** Table cells: a pipe would end the cell, a newline the row. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const op = (ref: OperationRef) => `**${cell(ref.frontend)}** ${code(ref.name)} ${code(describeRef(ref))}`;
const badge = { breaking: '🔴 breaking', dangerous: '🟠 dangerous', safe: '🟢 safe' } as const;

function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function composition(report: SchemaCheckReport): string[] {
  const { composition: c } = report;
  const lines = ['### Composition', ''];
  if (c.ok) lines.push(`✅ ${c.subgraphs.join(', ')} composed (${plural(c.hints, 'hint')}).`);
  else {
    lines.push(`❌ Composition failed with ${plural(c.errors.length, 'error')}:`, '');
    lines.push(
      ...table(
        ['Subgraph', 'Code', 'Message'],
        c.errors.map((e) => [cell(e.subgraph ?? '(supergraph)'), code(e.code), cell(e.message)]),
      ),
    );
  }
  const { path, upToDate, mustBeUpToDate } = c.supergraph;
  if (upToDate !== null) {
    const stale = mustBeUpToDate
      ? `❌ ${code(path)} is out of date with ${code('supergraph.yaml')}: run ${code('npm run compose')} and commit it.`
      : `⚠️ ${code(path)} is out of date with ${code('supergraph.yaml')}: the changes below are not composed yet (${code('npm run compose')}).`;
    const state = upToDate ? `✅ ${code(path)} is up to date with ${code('supergraph.yaml')}.` : stale;
    lines.push('', state);
  }
  return lines;
}

function affectedCell(change: ReportChange): string {
  // Recorded traffic (--usage) that uses the change: real clients, named.
  const recorded = describeUses(change.recorded ?? []).map((use) => `❌ recorded: ${cell(use)}`);
  if (change.affected.length === 0 && recorded.length === 0) return '0 operations affected';
  const spared = change.affected.filter((ref) => !change.broken.includes(ref));
  return [
    ...change.broken.map((ref) => `❌ ${op(ref)}`),
    ...spared.map((ref) => `${op(ref)}${change.level === 'breaking' ? ' (still validates)' : ''}`),
    ...recorded,
  ].join('<br>');
}

function changes(report: Judged, title = 'Changes', schema = 'API schema'): string[] {
  const lines = [`### ${title}`, ''];
  if (!report.checked) return [...lines, 'Not checked: composition failed.'];
  if (report.changes.length === 0) return [...lines, `None: the ${schema} is unchanged.`];
  const risky = report.changes.filter((c) => c.level !== 'safe');
  const safe = report.changes.filter((c) => c.level === 'safe');
  if (risky.length > 0)
    lines.push(
      ...table(
        ['Level', 'Coordinate', 'Change', 'Why', 'Operations affected'],
        risky.map((c) => [
          badge[c.level],
          code(c.coordinate),
          cell(c.message),
          cell(c.reason),
          affectedCell(c),
        ]),
      ),
    );
  if (safe.length > 0)
    lines.push(
      '',
      `<details><summary>${plural(safe.length, 'safe change')}</summary>`,
      '',
      ...table(
        ['Coordinate', 'Change'],
        safe.map((c) => [code(c.coordinate), cell(c.message)]),
      ),
      '',
      '</details>',
    );
  return lines;
}

function operations(report: Judged, title = 'Affected operations'): string[] {
  const { registered, frontends, affected } = report.operations;
  const per = Object.entries(frontends).map(([name, count]) => `${name} ${count}`);
  const lines = [`### ${title}`, ''];
  if (registered === 0) return [...lines, '0 registered operations.'];
  lines.push(`${affected.length} of ${plural(registered, 'registered operation')} (${per.join(', ')}).`);
  if (!report.checked || affected.length === 0) return lines;
  lines.push(
    '',
    ...table(
      ['Operation', 'Uses', 'Validates against the new schema'],
      affected.map((impact) => [
        op(impact.operation),
        impact.changes
          .map(
            (c) =>
              `${code(c.coordinate)} (${c.level}${c.level === 'breaking' && !c.broken ? ', still validates' : ''})`,
          )
          .join('<br>') || '—',
        impact.errors.length === 0 ? '✅ yes' : `❌ ${impact.errors.map(cell).join('<br>')}`,
      ]),
    ),
  );
  return lines;
}

function deprecations(report: Judged, title = 'Deprecations'): string[] {
  const lines = [`### ${title}`, ''];
  if (report.deprecations.length === 0) return [...lines, 'No registered operation uses a deprecated field.'];
  return [
    ...lines,
    ...table(
      ['Operation', 'Deprecated', 'Reason', 'Replacement'],
      report.deprecations.map((d) => [
        op(d.operation),
        code(d.coordinate),
        cell(d.reason),
        d.replacement ? code(d.replacement) : 'not named',
      ]),
    ),
  ];
}

/** One BFF: its contract's state, then its changes, its apps' operations and their deprecated uses. */
function bff(check: BffCheck): string[] {
  const { path, upToDate, mustBeUpToDate } = check.contract;
  const source = code(`bffs/${check.bff}/schema.graphql`);
  const state = upToDate
    ? `✅ ${code(path)} is up to date with ${source}.`
    : mustBeUpToDate
      ? `❌ ${code(path)} is out of date with ${source}: run ${code('npm run codegen')} and commit it.`
      : `⚠️ ${code(path)} is out of date with ${source}: the changes below are not published yet (${code('npm run codegen')}).`;
  return [
    '',
    `### BFF ${check.bff}`,
    '',
    `Base: ${code(check.base)}. ${state}`,
    '',
    ...changes(check, `${check.bff} BFF changes`, 'BFF schema'),
    '',
    ...operations(check, `${check.bff} BFF app operations affected`),
    '',
    ...deprecations(check, `${check.bff} BFF deprecations`),
  ];
}

/** The pull-request comment: verdict and reasons first, then one section per concern. */
export function renderMarkdown(report: SchemaCheckReport): string {
  const n = countLevels(report);
  const head = report.verdict === 'pass' ? '✅ pass' : '❌ fail';
  return [
    `## Schema check: ${head}${report.options.strict ? ' (strict)' : ''}`,
    '',
    `Base: ${code(report.base)} · ${n.breaking} breaking, ${n.dangerous} dangerous, ${n.safe} safe · ${plural(report.operations.registered, 'registered operation')}`,
    ...(report.failures.length > 0 ? ['', ...report.failures.map((f) => `- ${cell(f)}`)] : []),
    '',
    ...composition(report),
    '',
    ...changes(report),
    '',
    ...operations(report),
    '',
    ...deprecations(report),
    ...report.bffs.flatMap(bff),
  ].join('\n');
}
