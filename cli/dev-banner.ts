import { EXAMPLE_QUERY } from '../gateway/example-query.ts';
import { DEFAULT_CLI_BFF_URL } from './client/settings.ts';

export interface BannerInput {
  seconds: number;
  urls: { name: string; url: string }[];
  token: string;
  gatewayPort: number;
  without: Set<string>;
  delays: Map<string, number>;
}

/** What each service's banner line points at, when not its GraphQL endpoint. */
const paths: Record<string, string> = {
  issuer: '/.well-known/jwks.json',
  webapp: '/  (the reference web app)',
};

/** What `npm start` prints once every service is ready: where things are, a token, a curl to paste. */
export function readyBanner(input: BannerInput): string {
  const gateway = `http://127.0.0.1:${input.gatewayPort}/graphql`;
  const body = JSON.stringify({ query: EXAMPLE_QUERY });
  const cli = input.urls.find(({ name }) => name === 'cli');
  const cliUrl = cli && `${cli.url}/graphql`;
  return [
    '',
    `Portico is ready in ${input.seconds.toFixed(1)} s`,
    ...input.urls.map(({ name, url }) => `  ${name.padEnd(9)} ${url}${paths[name] ?? '/graphql'}`),
    ...(input.without.size > 0 ? [`  left out: ${[...input.without].join(', ')}`] : []),
    ...[...input.delays].map(([name, ms]) => `  delayed:  ${name} answers ${ms} ms late`),
    '',
    // The variable names the terminal client reads, so the lines paste as they are.
    'A dev token (tenant acme, scope billing:read, 12 h), for curl and the terminal client:',
    `  export PORTICO_TOKEN=${input.token}`,
    ...(cliUrl && cliUrl !== DEFAULT_CLI_BFF_URL ? [`  export PORTICO_CLI_URL=${cliUrl}`] : []),
    '',
    'Try it:',
    `  curl -s ${gateway} -H 'content-type: application/json' -H "authorization: Bearer $PORTICO_TOKEN" \\`,
    `    -d '${body}'`,
    '  npx portico status            # the terminal client; npx portico --help for the rest',
    '',
    'Other users: npx portico login --sub <user> --tenant <tenant> (or npm run --silent token -- ...).',
    '',
    'Ctrl-C stops everything.',
  ].join('\n');
}
