import type { IncomingHttpHeaders } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** The call ran out of time (`--timeout`), as opposed to failing to connect. */
export class TimedOut extends Error {
  override name = 'TimedOut';
}

/**
 * One POST with node's own http client. The terminal client makes a single call per run, and
 * loading `fetch` (about 80 ms) or npm's undici (about 250 ms) would cost more of its one-second
 * start-up budget than the call itself; node:http loads in under 10 ms.
 */
export async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<HttpAnswer> {
  const { request } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  const signal = AbortSignal.timeout(timeoutMs);
  return new Promise((resolve, reject) => {
    const fail = (error: Error) =>
      reject(signal.aborted ? new TimedOut(`no answer within ${timeoutMs} ms`) : error);
    const call = request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text }),
        );
        response.on('error', fail);
      },
    );
    call.on('error', fail);
    call.end(body);
  });
}
