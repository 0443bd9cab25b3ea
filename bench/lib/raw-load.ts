import { connect, type Socket } from 'node:net';
import { type LoadResult, summarize } from './load.ts';

const HEADER_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');
const ERRORS = Buffer.from('"errors"');

/**
 * One keep-alive HTTP/1.1 connection sending the same request bytes again and again, reading
 * only what it must of each answer: the status, Content-Length (or the end of a chunked body) and
 * whether the body holds `"errors"`.
 */
function rawClient(socket: Socket, requestBytes: Buffer) {
  let buffer: Buffer = Buffer.alloc(0);
  let waiting: ((answer: { status: number; failed: boolean }) => void) | null = null;
  let failing: ((error: Error) => void) | null = null;
  const parse = () => {
    const headerEnd = buffer.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = buffer.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const bodyStart = headerEnd + HEADER_END.length;
    let end: number;
    if (length) {
      end = bodyStart + Number(length[1]);
      if (buffer.length < end) return;
    } else {
      const last = buffer.indexOf(CHUNKED_END, bodyStart - 2);
      if (last < 0) return;
      end = last + CHUNKED_END.length;
    }
    const body = buffer.subarray(bodyStart, end);
    buffer = buffer.subarray(end);
    const done = waiting;
    waiting = null;
    done?.({ status, failed: status !== 200 || body.indexOf(ERRORS) >= 0 });
  };
  socket.on('data', (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    parse();
  });
  const fail = (error: Error) => failing?.(error);
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  return (): Promise<{ status: number; failed: boolean }> =>
    new Promise((resolve, reject) => {
      waiting = resolve;
      failing = reject;
      socket.write(requestBytes);
    });
}

/**
 * The same closed loop as runLoad, through a client that costs the shared CPU as little as it can:
 * each of `concurrency` connections writes prebuilt request bytes and reads the answer's framing
 * only. On the bench's two cores, undici's request() took about as much CPU per request as the
 * gateway's cache hit it measured; this takes a fraction of it, so a cheap answer is measured by
 * what the server spends, not by the client beside it. A body counts as failed unless the status
 * is 200 and it holds no `"errors"`.
 */
export async function runRawLoad(options: {
  url: string;
  body?: string;
  headers: Record<string, string>;
  concurrency: number;
  seconds: number;
}): Promise<LoadResult> {
  const url = new URL(options.url);
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const lines = [
    `${body ? 'POST' : 'GET'} ${url.pathname}${url.search} HTTP/1.1`,
    `host: ${url.host}`,
    ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`),
    ...(body ? [`content-length: ${body.length}`] : []),
  ];
  const requestBytes = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body ?? Buffer.alloc(0)]);
  const latencies: number[] = [];
  let failures = 0;
  const sockets: Socket[] = [];
  const started = performance.now();
  const until = started + options.seconds * 1000;
  const worker = async () => {
    const socket = connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const send = rawClient(socket, requestBytes);
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        if ((await send()).failed) failures += 1;
      } catch {
        failures += 1;
        latencies.push(performance.now() - t0);
        return;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.destroy();
  return summarize(latencies, failures, seconds);
}
