import { type Dispatcher, errors } from 'undici';
import type { SubgraphRequest } from './types.ts';

/** Origin and path of a subgraph URL, parsed once per URL (a handful per gateway). */
const targets = new Map<string, { origin: string; path: string }>();

function target(url: string): { origin: string; path: string } {
  let parsed = targets.get(url);
  if (!parsed) {
    const { origin, pathname, search, protocol } = new URL(url);
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new errors.InvalidArgumentError(
        'Invalid URL protocol: the URL must start with `http:` or `https:`.',
      );
    }
    parsed = { origin, path: search ? `${pathname}${search}` : pathname };
    if (targets.size < 1_000) targets.set(url, parsed);
  }
  return parsed;
}

export interface RawResponse {
  status: number;
  rawHeaders: Buffer[];
  text: string;
}

/** A failure and whether it came before the response's headers or while reading its body. */
export class Thrown {
  constructor(
    readonly error: unknown,
    readonly phase: 'request' | 'reading body',
  ) {}
}

/**
 * One POST through undici's dispatcher, the body collected into one string. undici's `request()`
 * wraps each call in an async resource and a Readable stream that `body.text()` then drains
 * again, a few per cent of the gateway's CPU at 16 calls a request; a handler that keeps the
 * chunks does the same work without them. Abort works as with `request()`: before the
 * connection, at once, after it through undici's abort, and the failure carries the signal's
 * reason.
 */
export function post(dispatcher: Dispatcher, req: SubgraphRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const signal = req.signal;
    // The signal's reason is whatever aborted it (a SubgraphFailure here); undici types it as an
    // Error but passes it through untouched, as its own request() does.
    const reason = (): Error => signal?.reason ?? new errors.RequestAbortedError();
    let abort: ((reason?: Error) => void) | null = null;
    let status = 0;
    let rawHeaders: Buffer[] = [];
    let headersSeen = false;
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const onAbort = () => abort?.(reason());
    const settle = () => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
    };
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abortCall) {
        if (signal?.aborted) {
          abortCall(reason());
          return;
        }
        abort = abortCall;
      },
      onHeaders(statusCode, headers) {
        // 1xx answers are interim; the final one follows.
        if (statusCode < 200) return true;
        status = statusCode;
        rawHeaders = headers as Buffer[];
        headersSeen = true;
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        length += chunk.length;
        return true;
      },
      onComplete() {
        if (settled) return;
        settle();
        const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
        const text = bytes.toString('utf8');
        // As undici's body.text(): a byte order mark is not part of the text.
        resolve({ status, rawHeaders, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text });
      },
      onError(error) {
        if (settled) return;
        settle();
        reject(new Thrown(error, headersSeen ? 'reading body' : 'request'));
      },
    };
    try {
      const { origin, path } = target(req.url);
      signal?.addEventListener('abort', onAbort, { once: true });
      dispatcher.dispatch({ origin, path, method: 'POST', headers: req.headers, body: req.body }, handler);
    } catch (error) {
      settle();
      reject(new Thrown(error, 'request'));
    }
  });
}
