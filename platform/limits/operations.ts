import type { FastifyRequest } from 'fastify';
import { type JsonMeasure, MAX_VARIABLES_DEPTH, measureJson } from './variables.ts';

/** One GraphQL operation of a request, as far as the edge needs to read it before Apollo Server. */
export interface RequestedOperation {
  /** The query text, when it is a string (anything else is Apollo Server's to refuse). */
  query: string | undefined;
  operationName: string | undefined;
  /** The APQ hash (`extensions.persistedQuery.sha256Hash`), when one is sent. */
  persistedHash: string | undefined;
  /** Size of `variables` as sent, in bytes of JSON (a lower bound once past the limit). */
  variablesBytes: number;
  /** How deeply `variables` nest. */
  variablesDepth: number;
}

export interface RequestedOperations {
  batch: boolean;
  /** Items of a batch (1 otherwise), well-formed or not. */
  size: number;
  operations: RequestedOperation[];
  /** For a batch: why an item is malformed, by position (see malformedItem). */
  malformed: { index: number; problem: string }[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function hashOf(extensions: unknown): string | undefined {
  if (typeof extensions === 'string') {
    try {
      return hashOf(JSON.parse(extensions));
    } catch {
      return undefined;
    }
  }
  const persisted = isRecord(extensions) ? extensions.persistedQuery : undefined;
  return isRecord(persisted) ? single(persisted.sha256Hash) : undefined;
}

function measureVariables(variables: unknown, maxBytes: number): JsonMeasure {
  if (variables === undefined || variables === null) return { bytes: 0, depth: 0 };
  if (typeof variables !== 'string') return measureJson(variables, maxBytes, MAX_VARIABLES_DEPTH);
  // A GET sends them as text: its length is its size; its nesting is read from the brackets.
  let depth = 0;
  let open = 0;
  for (const char of variables) {
    if (char === '{' || char === '[') depth = Math.max(depth, ++open);
    else if (char === '}' || char === ']') open -= 1;
  }
  return { bytes: Buffer.byteLength(variables), depth };
}

function fromRecord(record: Json, maxVariablesBytes: number): RequestedOperation {
  const variables = measureVariables(record.variables, maxVariablesBytes);
  return {
    query: single(record.query),
    operationName: single(record.operationName),
    persistedHash: hashOf(record.extensions),
    variablesBytes: variables.bytes,
    variablesDepth: variables.depth,
  };
}

const absent = (value: unknown) => value === undefined || value === null;

/**
 * What is wrong with one item of a batch, in the terms Apollo Server checks a POST body. Apollo
 * Server runs a batch's items in parallel and, when one of them is malformed, answers the whole
 * batch with that one error after the others have run (a mutation among them included). So a
 * batch is only let through when every item is well-formed.
 */
function malformedItem(item: unknown): string | null {
  if (!isRecord(item) || Object.keys(item).length === 0) return 'not a non-empty JSON object';
  if (!absent(item.query) && typeof item.query !== 'string') return '`query` must be a string';
  if (!absent(item.operationName) && typeof item.operationName !== 'string')
    return '`operationName` must be a string';
  if (!absent(item.variables) && !isRecord(item.variables)) return '`variables` must be an object';
  if (!absent(item.extensions) && !isRecord(item.extensions)) return '`extensions` must be an object';
  return null;
}

/**
 * The operations of a GraphQL-over-HTTP request: the query string of a GET, the JSON object of a
 * POST, or each object of a POST batch (a JSON array). Null when there is nothing readable (a
 * text/plain body, no body): Apollo Server answers those with its own 400.
 */
export function requestedOperations(
  request: FastifyRequest,
  maxVariablesBytes = Number.POSITIVE_INFINITY,
): RequestedOperations | null {
  // The request-limit and safelist hooks both read them: work them out once per request.
  if (read.has(request)) return read.get(request) ?? null;
  const operations = readOperations(request, maxVariablesBytes);
  read.set(request, operations);
  return operations;
}

const read = new WeakMap<FastifyRequest, RequestedOperations | null>();

function readOperations(request: FastifyRequest, maxVariablesBytes: number): RequestedOperations | null {
  const from = (record: Json) => fromRecord(record, maxVariablesBytes);
  if (request.method === 'GET') {
    return isRecord(request.query)
      ? { batch: false, size: 1, operations: [from(request.query)], malformed: [] }
      : null;
  }
  const body = request.body;
  if (Array.isArray(body)) {
    const malformed = body.flatMap((item, index) => {
      const problem = malformedItem(item);
      return problem ? [{ index, problem }] : [];
    });
    return { batch: true, size: body.length, operations: body.filter(isRecord).map(from), malformed };
  }
  return isRecord(body) ? { batch: false, size: 1, operations: [from(body)], malformed: [] } : null;
}
