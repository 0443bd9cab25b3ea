import { type CommandSpec, helpOption, type OptionSpec } from './spec.ts';

const checkOption: OptionSpec = {
  name: 'check',
  type: 'boolean',
  description: 'write nothing; exit 1 if what is on disk is stale (for CI)',
};
const configOption: OptionSpec = {
  name: 'config',
  type: 'string',
  value: '<file>',
  description: 'the composition input (default supergraph.yaml)',
};

// These commands read their own arguments; the options here are what their help shows.
export const runCommands: CommandSpec[] = [
  {
    name: 'dev',
    group: 'run',
    summary: 'the whole platform on this machine (npm start)',
    usage: [
      'portico dev [--without <subgraph>]... [--delay <subgraph>=<ms>]... [--timeout <s>] [--processes] [--verbose]',
    ],
    about: [
      'Waits until every service is ready, then prints the URLs, a dev token (export PORTICO_TOKEN=...)',
      'and a curl to paste. A degraded start shows how clients behave when a backend fails. Ctrl-C stops all.',
    ],
    options: [
      {
        name: 'without',
        type: 'string',
        value: '<subgraph>',
        multiple: true,
        description: 'leave a subgraph out: models, billing, metering or health (repeatable)',
      },
      {
        name: 'delay',
        type: 'string',
        value: '<subgraph>=<ms>',
        multiple: true,
        description: 'make a subgraph answer late, e.g. health=2000 (repeatable)',
      },
      {
        name: 'timeout',
        type: 'string',
        value: '<seconds>',
        description: 'give up when no service became ready for this long (default 120; 0: never)',
      },
      {
        name: 'processes',
        type: 'boolean',
        description:
          'one process per service, as compose runs them (default: all in one process, faster to start)',
      },
      { name: 'verbose', type: 'boolean', description: "show every service's info logs" },
      helpOption,
    ],
    examples: ['npm start', 'npm start -- --without billing', 'npm start -- --delay health=2000'],
    load: async () => (await import('./dev.ts')).devCommand,
  },
  {
    name: 'serve',
    group: 'run',
    summary: 'run one service in this process (what each container runs)',
    usage: ['portico serve <service>'],
    options: [helpOption],
    sections: [
      {
        title: 'Services (default port)',
        lines: [
          'gateway    the federation gateway (4000); PORTICO_WORKERS=auto forks one worker per core',
          'models     the model catalogue subgraph (4001)',
          'billing    tenants, plans, quotas and invoices (4002)',
          'metering   usage of tenants and models (4003)',
          'health     platform status and model availability (4004)',
          'issuer     the dev token issuer: a JWKS for the gateway, POST /token (4005; not for production)',
          'web        the web BFF (4010)',
          'mobile     the mobile BFF (4011)',
          'cli        the CLI BFF, which this terminal client calls (4012)',
          'webapp     the reference web app, a dashboard on the web BFF (4009; development)',
        ],
      },
    ],
    examples: ['PORTICO_WORKERS=auto portico serve gateway', 'PORTICO_CLI_PORT=5012 portico serve cli'],
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    name: 'compose',
    group: 'run',
    summary: 'compose supergraph.yaml into supergraph.graphql, in-process',
    usage: ['portico compose [--config supergraph.yaml] [--out supergraph.graphql] [--check]'],
    options: [
      configOption,
      {
        name: 'out',
        type: 'string',
        value: '<file>',
        description: 'where to write (default supergraph.graphql)',
      },
      checkOption,
      helpOption,
    ],
    load: async () => (await import('./compose.ts')).composeCommand,
  },
  {
    name: 'codegen',
    group: 'run',
    summary: "typed documents for each BFF's gateway operations",
    usage: ['portico codegen [--check]'],
    options: [checkOption, helpOption],
    load: async () => (await import('./codegen.ts')).codegenCommand,
  },
  {
    name: 'manifest',
    group: 'run',
    summary: 'build the safelist of persisted operations',
    usage: ['portico manifest [--out <file>] [--check] [<glob> ...]'],
    about: ["Globs default to portico.yaml's persistedQueries.operations (the BFFs' operation files)."],
    options: [
      {
        name: 'out',
        type: 'string',
        value: '<file>',
        description: 'where to write (default persistedQueries.manifest)',
      },
      checkOption,
      helpOption,
    ],
    load: async () => (await import('./manifest.ts')).manifestCommand,
  },
  {
    name: 'schema',
    group: 'run',
    summary: 'schema review: what a schema change breaks, and for which client',
    usage: [
      'portico schema check [--base <git ref>] [--strict] [--format text|markdown|json]',
      '                     [--config supergraph.yaml] [--supergraph supergraph.graphql] [--root <dir>]',
      '                     [--usage <usage.json|redis|gateway>] [--since 30d] [--gateway <admin url>]',
      'portico schema usage [--since 30d] [--gateway <admin url>] > usage.json',
    ],
    about: [
      'Exit codes: 0 pass, 1 fail, 2 usage or input error (docs/schema-check.md).',
      "`schema usage` exports the field usage the gateway recorded from real traffic (from Redis when REDIS_URL is set, else from the gateway's admin listener); `check --usage` fails a breaking change that recorded traffic still uses, naming the clients.",
    ],
    options: [
      {
        name: 'base',
        type: 'string',
        value: '<git ref>',
        description: 'compare with the supergraph at this ref',
      },
      { name: 'strict', type: 'boolean', description: 'also fail on breaking changes no operation uses' },
      {
        name: 'format',
        type: 'string',
        value: '<text|markdown|json>',
        description: 'the report format (default text)',
      },
      configOption,
      { name: 'supergraph', type: 'string', value: '<file>', description: 'the committed supergraph' },
      {
        name: 'root',
        type: 'string',
        value: '<dir>',
        description: 'the project to check (default this one)',
      },
      {
        name: 'usage',
        type: 'string',
        value: '<usage.json|redis|gateway>',
        description: 'judge breaking changes against recorded traffic too',
      },
      {
        name: 'since',
        type: 'string',
        value: '<30d|12h>',
        description: 'the window of recorded usage (default 30d)',
      },
      {
        name: 'gateway',
        type: 'string',
        value: '<admin url>',
        description: "read recorded usage from this gateway's admin listener",
      },
      helpOption,
    ],
    examples: [
      'npm run schema:check -- --base origin/main --format markdown',
      'portico schema usage --since 30d > usage.json && npm run schema:check -- --usage usage.json',
    ],
    load: async () => (await import('./schema/command.ts')).schemaCommand,
  },
  {
    name: 'keys',
    group: 'run',
    summary: "the gateway's assertion keys for subgraphs, and their rotation",
    usage: ['portico keys <init|ensure|list|add|promote <kid>|retire <kid>>'],
    about: [
      'Gateways sign every subgraph call with the first key of subgraphAuth.signingKeysFile; subgraphs',
      'accept every key of subgraphAuth.jwksFile. Both re-read their file when it changes.',
    ],
    options: [helpOption],
    sections: [
      {
        title: 'Actions',
        lines: [
          'init             a first key pair (fails if the private file exists)',
          'ensure           a key pair if there is none; rewrites the public file from the private one',
          'list             the keys, the signing one first',
          'add              a new key, published but not yet signing',
          'promote <kid>    gateways sign with it (once every subgraph has the new public file)',
          'retire <kid>     no longer accepted (after the longest request, in seconds)',
        ],
      },
    ],
    examples: ['portico keys add', 'portico keys promote gw-20261130-1a2b3c4d'],
    load: async () => (await import('./keys.ts')).keysCommand,
  },
];
