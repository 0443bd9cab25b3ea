import type { FastifyBaseLogger } from 'fastify';
import type { GraphQLFormattedError } from 'graphql';
import type { WholeRequestFailure } from './failures.ts';
import type { GatewayLoader } from './loaders.ts';

/** Per-request state of a BFF, made by its context function and read by resolvers and plugins. */
export interface BffContext {
  requestId: string;
  log: FastifyBaseLogger;
  /** The caller's Authorization header, forwarded as it came; the gateway verifies it. */
  authorization: string | undefined;
  /** Whom the BFF's `@rateLimit` budgets count against (see callerKey). */
  caller: string;
  /** Epoch ms by which this request must be answered. */
  deadline: number;
  gateway: GatewayLoader;
  /** Errors to add to the response although their field has a value (stale values served). */
  notes: GraphQLFormattedError[];
  /** Set when the gateway refused the caller (401, 429): the whole answer fails with that status. */
  wholeFailure: WholeRequestFailure | null;
}
