import { type CommandSpec, helpOption, type OptionSpec } from './spec.ts';

/** The options every command that talks to the CLI service shares. */
export const clientOptions: OptionSpec[] = [
  {
    name: 'json',
    type: 'boolean',
    description: 'print the answer as JSON for scripts (a stable contract; see README)',
  },
  {
    name: 'url',
    short: 'u',
    type: 'string',
    value: '<url>',
    description: 'the CLI service (default $PORTICO_CLI_URL, then http://127.0.0.1:4012/graphql)',
  },
  {
    name: 'token',
    short: 't',
    type: 'string',
    value: '<token>',
    description: 'the token to send (default $PORTICO_TOKEN, then the one `portico login` saved)',
  },
  {
    name: 'timeout',
    type: 'string',
    value: '<duration>',
    description: 'give up waiting after this long, e.g. 500ms, 10s, 1m (default 10s)',
  },
  helpOption,
];

/** The claims of a development token, for `portico token` and `portico login`. */
function claimOptions(defaults: {
  sub?: string;
  tenant?: string;
  scopes?: string;
  ttl: string;
}): OptionSpec[] {
  const or = (value: string | undefined) => (value ? ` (default ${value})` : '');
  return [
    {
      name: 'sub',
      type: 'string',
      value: '<user>',
      description: `the user the token is for${defaults.sub ? or(defaults.sub) : ' (required)'}`,
    },
    {
      name: 'tenant',
      type: 'string',
      value: '<tenant>',
      description: `the user's tenant${or(defaults.tenant)}`,
    },
    {
      name: 'scopes',
      type: 'string',
      value: '<a,b>',
      description: `scopes, comma-separated${or(defaults.scopes)}`,
    },
    {
      name: 'client',
      type: 'string',
      value: '<api client>',
      description: 'the API client the token is for (machine callers; rate limits per client)',
    },
    {
      name: 'ttl',
      type: 'string',
      value: '<duration>',
      description: `lifetime: 30m, 12h, 7d${or(defaults.ttl)}`,
    },
  ];
}

export const useCommands: CommandSpec[] = [
  {
    name: 'status',
    group: 'use',
    summary: 'platform health, open incidents and your account',
    usage: ['portico status [--json]'],
    about: [
      'The platform part is public and needs no token; with a token (PORTICO_TOKEN, --token or a',
      'saved `portico login`) your tenant, plan and quota use are shown too.',
    ],
    options: clientOptions,
    examples: ['portico status', "portico status --json | jq -r '.data.status.platform.overall'"],
    load: async () => (await import('./client/status.ts')).statusCommand,
  },
  {
    name: 'models',
    group: 'use',
    summary: 'the model catalogue, with availability and your requests of the last 7 days',
    usage: ['portico models [-n <count>] [--after <cursor>] [--json]'],
    options: [
      {
        name: 'first',
        short: 'n',
        type: 'string',
        value: '<count>',
        description: 'models per page, 1 to 100 (default 30)',
      },
      {
        name: 'after',
        type: 'string',
        value: '<cursor>',
        description: 'the page after this cursor (the footer prints the next page command)',
      },
      ...clientOptions,
    ],
    examples: ['portico models -n 10', "portico models --json | jq -r '.data.catalogue.models[].id'"],
    load: async () => (await import('./client/models.ts')).modelsCommand,
  },
  {
    name: 'usage',
    group: 'use',
    summary: 'your usage per calendar day in your time zone, with totals',
    usage: ['portico usage [-w 1d|7d|30d] [--json]'],
    about: [
      'Days are calendar days in your time zone (TZ, or the system zone); the last one is today so far.',
      'Usage is read from metering alone, so it is shown while billing is down.',
    ],
    options: [
      {
        name: 'window',
        short: 'w',
        type: 'string',
        value: '<1d|7d|30d>',
        description: 'how many calendar days, today included (default 7d)',
      },
      ...clientOptions,
    ],
    examples: [
      'portico usage -w 30d',
      'TZ=America/New_York portico usage -w 1d',
      'portico usage --json > usage.json',
    ],
    load: async () => (await import('./client/usage.ts')).usageCommand,
  },
  {
    name: 'login',
    group: 'use',
    summary: 'save a token for status, models and usage (development: mints one)',
    usage: [
      'portico login [--sub <user>] [--tenant <tenant>] [--scopes a,b] [--ttl 12h]',
      'portico login --with-token < token.txt',
    ],
    about: [
      'Without --with-token, mints a development token with the local dev issuer key (as `npm start`',
      'does) and saves it. The token file is readable by you only (mode 0600), in $PORTICO_CONFIG_DIR,',
      'else $XDG_CONFIG_HOME/portico, else ~/.config/portico. PORTICO_TOKEN and --token win over it.',
    ],
    options: [
      ...claimOptions({ sub: 'acme-user-1', tenant: 'acme', scopes: 'billing:read', ttl: '12h' }),
      { name: 'with-token', type: 'boolean', description: 'save the token read from standard input instead' },
      helpOption,
    ],
    examples: [
      'portico login',
      'portico login --sub globex-user-1 --tenant globex',
      'echo "$TOKEN" | portico login --with-token',
    ],
    load: async () => (await import('./login.ts')).loginCommand,
  },
  {
    name: 'logout',
    group: 'use',
    summary: 'forget the saved token',
    usage: ['portico logout'],
    options: [helpOption],
    load: async () => (await import('./login.ts')).logoutCommand,
  },
  {
    name: 'token',
    group: 'use',
    summary: 'print a development token on stdout (for curl and scripts)',
    usage: [
      'portico token --sub <user> [--tenant <tenant>] [--scopes a,b] [--client <api client>] [--ttl 1h]',
    ],
    about: [
      'Signed with the local dev issuer key; the gateway of `npm start` accepts it. Never for production.',
    ],
    options: [...claimOptions({ ttl: 'devIssuer.defaultTtl in portico.yaml, 1h' }), helpOption],
    examples: ['export PORTICO_TOKEN=$(portico token --sub acme-user-1 --tenant acme --scopes billing:read)'],
    load: async () => (await import('./token.ts')).tokenCommand,
  },
];
