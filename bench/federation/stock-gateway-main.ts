import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

/**
 * Child process: the baseline, stock @apollo/gateway inside stock @apollo/server (standalone, its
 * defaults), over the same supergraph file. Argument: the supergraph path; prints the URL.
 */
const supergraphSdl = readFileSync(process.argv[2]!, 'utf8');
const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once('SIGTERM', () => {
  server.stop().finally(() => process.exit(0));
});
