import { request } from 'undici';

export interface GraphQLResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes.
  body: any;
  ms: number;
}

/** Posts a GraphQL request over real HTTP and returns status, headers, parsed body and latency. */
export async function postGraphQL(
  url: string,
  payload: unknown,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const started = performance.now();
  const response = await request(url, {
    method: 'POST',
    headers,
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  const text = await response.body.text();
  const ms = performance.now() - started;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Left as text for the assertion to show.
  }
  return { status: response.statusCode, headers: response.headers, body, ms };
}
