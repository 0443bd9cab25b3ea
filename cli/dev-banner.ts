import { EXAMPLE_QUERY } from './example-query.ts';

export interface BannerInput {
  seconds: number;
  urls: { name: string; url: string }[];
  token: string;
  gatewayPort: number;
  without: Set<string>;
  delays: Map<string, number>;
}

/** What `npm start` prints once every service is ready: where things are, a token, a curl to paste. */
export function readyBanner(input: BannerInput): string {
  const gateway = `http://127.0.0.1:${input.gatewayPort}/graphql`;
  const body = JSON.stringify({ query: EXAMPLE_QUERY });
  return [
    '',
    `Portico is ready in ${input.seconds.toFixed(1)} s`,
    ...input.urls.map(
      ({ name, url }) =>
        `  ${name.padEnd(9)} ${url}${name === 'issuer' ? '/.well-known/jwks.json' : '/graphql'}`,
    ),
    ...(input.without.size > 0 ? [`  left out: ${[...input.without].join(', ')}`] : []),
    ...[...input.delays].map(([name, ms]) => `  delayed:  ${name} answers ${ms} ms late`),
    '',
    'A dev token (tenant acme, scope billing:read, 12 h; mint others with npm run --silent token -- --sub <user> --tenant <tenant>):',
    `  export TOKEN=${input.token}`,
    '',
    'Try it:',
    `  curl -s ${gateway} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`,
    `    -d '${body}'`,
    '  npx portico status            # the terminal client, through the CLI BFF (PORTICO_TOKEN=$TOKEN)',
    '',
    'Ctrl-C stops everything.',
  ].join('\n');
}
