import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { execute, type GraphQLSchema, parse, validate } from 'graphql';
import { inStock, products, reviews, users } from './data.ts';

export const benchSubgraphNames = ['accounts', 'inventory', 'products', 'reviews'] as const;
export type BenchSubgraph = (typeof benchSubgraphNames)[number];

export function benchSdl(name: BenchSubgraph): string {
  return readFileSync(new URL(`./schemas/${name}.graphql`, import.meta.url), 'utf8');
}

const byUpc = (upc: string) => products.find((product) => product.upc === upc);
const reviewsOfFirstUser = () => reviews.slice(0, 2);

/** Resolvers written from the public benchmark's subgraphs, answering the same data the same way. */
const resolvers: Record<BenchSubgraph, GraphQLResolverMap<unknown>> = {
  accounts: {
    Query: {
      me: () => users[0],
      user: (_: unknown, { id }: { id: string }) => users.find((user) => user.id === id) ?? null,
      users: () => users,
    },
    User: { __resolveReference: ({ id }: { id: string }) => users.find((user) => user.id === id) },
  },
  inventory: {
    Product: {
      __resolveReference: ({ upc }: { upc: string }) => ({ upc, inStock: inStock.get(upc) ?? null }),
      // The public subgraph computes the estimate from its own record, which holds no price or
      // weight, so it answers null; kept so the answer matches the published expected one.
      shippingEstimate: () => null,
    },
  },
  products: {
    Query: { topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first) },
    Product: { __resolveReference: ({ upc }: { upc: string }) => byUpc(upc) },
  },
  reviews: {
    Review: {
      __resolveReference: ({ id }: { id: string }) => reviews.find((review) => review.id === id),
      product: (review: { productUpc: string }) => ({ upc: review.productUpc }),
      // Every review's author is the first user, with the username it provides.
      author: () => ({ id: '1', username: 'urigo' }),
    },
    User: {
      __resolveReference: ({ id }: { id: string }) => ({ id }),
      reviews: reviewsOfFirstUser,
    },
    Product: {
      __resolveReference: ({ upc }: { upc: string }) => ({ upc }),
      reviews: ({ upc }: { upc: string }) => reviews.filter((review) => review.productUpc === upc),
    },
  },
};

const MEMO_LIMIT = 1_000;

/**
 * One subgraph over plain node:http. Its data never changes, so each distinct request body is
 * executed once and its answer kept: the subgraphs answer from memory, as the public benchmark's
 * Rust subgraphs nearly do, and the CPU under load is the gateway's.
 */
function serve(schema: GraphQLSchema): Server {
  const memo = new Map<string, string>();
  const answer = async (body: string): Promise<string> => {
    const { query, variables, operationName } = JSON.parse(body) as {
      query: string;
      variables?: Record<string, unknown>;
      operationName?: string;
    };
    const document = parse(query);
    const errors = validate(schema, document);
    const result = errors.length
      ? { errors }
      : await execute({ schema, document, variableValues: variables, operationName });
    return JSON.stringify(result);
  };
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const known = memo.get(body);
      const reply = (text: string) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(text);
      };
      if (known !== undefined) return reply(known);
      answer(body).then(
        (text) => {
          if (memo.size < MEMO_LIMIT) memo.set(body, text);
          reply(text);
        },
        (error: unknown) => {
          response.writeHead(400, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ errors: [{ message: String(error) }] }));
        },
      );
    });
  });
}

/** Starts the four subgraphs on free ports; returns their GraphQL URLs. */
export async function startBenchSubgraphs(): Promise<{
  urls: Record<BenchSubgraph, string>;
  close(): Promise<void>;
}> {
  const servers: Server[] = [];
  const urls = {} as Record<BenchSubgraph, string>;
  for (const name of benchSubgraphNames) {
    const schema = buildSubgraphSchema({ typeDefs: parse(benchSdl(name)), resolvers: resolvers[name] });
    const server = serve(schema);
    // Longer than any client's idle keep-alive, so no gateway reuses a socket the server is closing.
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }
  const close = async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  };
  return { urls, close };
}
