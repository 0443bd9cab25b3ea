import { Writable } from 'node:stream';
import pino from 'pino';

/** A JSON logger at `info` whose lines a test reads back as objects, as a log shipper would. */
export function captureLogs(service = 'probe') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info', base: { service } }, stream) };
}
