import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from '../context.ts';
import { requestBody } from './body.ts';
import { type HeaderRules, outgoingHeaders } from './headers.ts';
import { type ErrorExposure, errorsForFailure, shapeSubgraphResponse } from './subgraph-errors.ts';
import { type GatewayGraphQLResponse, type SubgraphCall, SubgraphFailure } from './types.ts';

export interface DataSourceOptions {
  subgraph: string;
  url: string;
  call: SubgraphCall;
  headers: HeaderRules;
  exposure: ErrorExposure;
}

/**
 * The gateway's view of one subgraph: builds the request, runs it through the transport chain and
 * turns whatever happens into a response @apollo/gateway can merge. It never throws: a failure
 * becomes errors at the paths of the fields left null, and the rest of the plan carries on.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(private readonly options: DataSourceOptions) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { subgraph, url, call, headers, exposure } = this.options;
    const context =
      options.kind === 'incoming operation' ? options.incomingRequestContext.context : undefined;
    const query = options.request.query ?? '';
    const variables = options.request.variables;
    const operation = { query, variables, operationName: options.request.operationName };
    const request = {
      subgraph,
      url,
      body: requestBody(query, variables, operation.operationName),
      operation,
      headers: outgoingHeaders(context, headers),
      isMutation: /^\s*mutation\b/.test(query),
      context,
      // Declared up front, so the copies the interceptors make (`{ ...request, signal }`) keep
      // this shape: on node 20 a spread that adds a key the source lacks takes V8's slow path.
      signal: undefined,
      controller: undefined,
      canary: undefined,
      deadline: undefined,
      deadlineWatched: undefined,
      trace: undefined,
    };
    try {
      const response = await call(request);
      if (response.errors?.length) {
        // The client sees these masked; the log keeps them whole, under the request id.
        context?.log.warn({ subgraph, errors: response.errors }, 'subgraph answered with errors');
      }
      return shapeSubgraphResponse(response, subgraph, exposure, query, variables);
    } catch (error) {
      const failure =
        error instanceof SubgraphFailure
          ? error
          : new SubgraphFailure(
              'SUBGRAPH_ERROR',
              subgraph,
              (error as Error)?.message ?? String(error),
              false,
            );
      const log = context?.log;
      log?.warn(
        { subgraph, code: failure.code, detail: failure.detail, status: failure.status },
        'subgraph call failed',
      );
      return { errors: errorsForFailure(failure, query, variables) };
    }
  }
}
