import type { CommandSpec, OptionSpec } from './spec.ts';

const environment: [string, string][] = [
  [
    'PORTICO_TOKEN',
    'the token status, models and usage send (wins over a saved login; --token wins over it)',
  ],
  ['PORTICO_CLI_URL', 'the CLI service (default http://127.0.0.1:4012/graphql; --url wins over it)'],
  [
    'PORTICO_CONFIG_DIR',
    'where `portico login` keeps the token (default $XDG_CONFIG_HOME/portico, ~/.config/portico)',
  ],
  ['NO_COLOR', 'set to anything to turn colour off (colour is only ever used on a terminal)'],
  ['TZ', 'the time zone of the times and usage days shown (default the system zone)'],
  ['PORTICO_CONFIG', 'the portico.yaml the platform runs with (default ./portico.yaml)'],
  [
    'REDIS_URL, PORTICO_JWKS_URL, PORTICO_<SERVICE>_PORT, ...',
    "override portico.yaml (README, 'Configuration')",
  ],
];

const exitCodes: [string, string][] = [
  ['0', 'done; a partial answer too (what is missing is said on stderr)'],
  ['1', 'failed: the service is unreachable, nothing of the answer could be served, or a check failed'],
  ['2', 'usage error: unknown command or option, bad value'],
  ['3', 'not signed in, or the token was rejected'],
  ['4', 'rate limited: try again later'],
];

function rows(pairs: [string, string][], width = Math.max(...pairs.map(([left]) => left.length))): string[] {
  const indent = '  ';
  return pairs.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`.trimEnd());
}

function flag(option: OptionSpec): string {
  const short = option.short ? `-${option.short}, ` : '    ';
  return `${short}--${option.name}${option.value ? ` ${option.value}` : ''}`;
}

/** `portico --help`: the commands in two groups, global options, environment and exit codes. */
export function topHelp(commands: readonly CommandSpec[], version: string): string[] {
  // Both groups in one column layout, as one table split in two.
  const width = Math.max(...commands.map((c) => c.name.length));
  const group = (name: CommandSpec['group']) =>
    rows(
      commands.filter((c) => c.group === name).map((c) => [c.name, c.summary]),
      width,
    );
  return [
    `portico ${version}: the Portico platform from a terminal`,
    '',
    'Usage',
    '  portico <command> [options]',
    '  portico <command> --help',
    '',
    'Use the platform',
    ...group('use'),
    '',
    'Run the platform',
    ...group('run'),
    '',
    'Options',
    ...rows([
      ['-h, --help', "show help; after a command, that command's help"],
      ['-V, --version', 'print the version'],
    ]),
    '',
    'Environment',
    ...environment.flatMap(([name, text]) =>
      name.length > 20 ? [`  ${name}`, `  ${' '.repeat(20)}  ${text}`] : rows([[name.padEnd(20), text]]),
    ),
    '',
    'Exit codes',
    ...rows(exitCodes),
    '',
    "More: README.md, 'The terminal client'.",
  ];
}

/** `portico <command> --help`. */
export function commandHelp(spec: CommandSpec): string[] {
  const lines = [`portico ${spec.name}: ${spec.summary}`, '', 'Usage', ...spec.usage.map((u) => `  ${u}`)];
  if (spec.about) lines.push('', ...spec.about);
  if (spec.options.length > 0) {
    lines.push('', 'Options', ...rows(spec.options.map((option) => [flag(option), option.description])));
  }
  for (const section of spec.sections ?? [])
    lines.push('', section.title, ...section.lines.map((l) => `  ${l}`));
  if (spec.examples) lines.push('', 'Examples', ...spec.examples.map((e) => `  ${e}`));
  lines.push('', 'Environment variables and exit codes: portico --help');
  return lines;
}
