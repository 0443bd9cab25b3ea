import { createRequire } from 'node:module';
import { type ComputeResponseArgs, computeResponseWith, type Internals } from './compute-response.ts';
import { memoizedOperationFromDocument } from './executed-operation.ts';

/**
 * The @apollo/gateway release whose `computeResponse` (dist/resultShaping.js) compute-response.ts
 * reproduces. On any other version the gateway's own is left in place: a changed original must be
 * read again before it is replaced.
 */
export const SHAPED_GATEWAY_VERSION = '2.14.4';

interface ResultShapingModule {
  computeResponse: (args: ComputeResponseArgs) => unknown;
}

interface OperationsModule {
  operationFromDocument: typeof import('@apollo/federation-internals').operationFromDocument;
}

let installed: boolean | undefined;

/**
 * Replaces @apollo/gateway's final result shaping (the walk of the merged subgraph answers along
 * the operation, ~15 % of the gateway's CPU on a large answer) with compute-response.ts, which
 * gives the same data and errors in the same order, cheaper: the original reads every
 * @apollo/federation-internals helper through a CommonJS re-export getter and every @skip/@include
 * per object, allocates a result record per value and builds its objects with `Object.create(null)`
 * (V8's dictionary mode). executeQueryPlan.js calls it through its module's exports object on
 * every request, so replacing that one property is enough. The operation it shapes along is built
 * once per document rather than per request (executed-operation.ts). Returns whether the
 * replacements are in place (false on another gateway version).
 */
export function installResultShaping(): boolean {
  if (installed !== undefined) return installed;
  const require = createRequire(import.meta.url);
  const gatewayMain = require.resolve('@apollo/gateway');
  const fromGateway = createRequire(gatewayMain);
  const version = (fromGateway('../package.json') as { version: string }).version;
  installed = version === SHAPED_GATEWAY_VERSION;
  if (!installed) return false;
  // The gateway's own copy of federation-internals, so `instanceof Variable` holds.
  const internals = fromGateway('@apollo/federation-internals') as Internals;
  const shaping = fromGateway('./resultShaping.js') as ResultShapingModule;
  shaping.computeResponse = computeResponseWith({ ...internals });
  // executeQueryPlan.js reads this through federation-internals' re-export getter, which reads
  // the operations module's exports object: replacing that property serves the gateway's calls.
  const operations = fromGateway('@apollo/federation-internals/dist/operations.js') as OperationsModule;
  operations.operationFromDocument = memoizedOperationFromDocument(operations.operationFromDocument);
  return true;
}
