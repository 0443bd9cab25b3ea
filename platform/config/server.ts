import { z } from 'zod';
import { type ServiceName, serviceNames, services } from '../services.ts';
import { port } from './runtime.ts';

const ms = z.number().int().positive();

/**
 * Socket and time limits of every public listener. Node and fastify leave a request that never
 * finishes arriving open for ever (fastify's request timeout is 0), so a client sending headers
 * and then nothing, or one byte every few seconds, could hold a socket and its memory as long as
 * it liked. The defaults leave a phone on a poor network room to send a request of our sizes (a
 * few kilobytes) and cut off only clients that have stopped sending.
 */
export const serverSection = z
  .strictObject({
    /** The request line and headers must arrive within this (408 and closed otherwise). */
    headersTimeoutMs: ms.default(10_000),
    /** A request body that stops arriving for this long is cut off (408 and closed). */
    bodyIdleTimeoutMs: ms.default(10_000),
    /** The whole request, headers and body, must arrive within this (408 and closed otherwise). */
    requestTimeoutMs: ms.default(30_000),
    /** An idle keep-alive connection is closed after this; keep it above any load balancer's. */
    keepAliveTimeoutMs: ms.default(72_000),
    /** How often Node checks the two timeouts above; their precision. */
    timeoutCheckIntervalMs: ms.default(1_000),
  })
  .superRefine((server, context) => {
    if (server.headersTimeoutMs > server.requestTimeoutMs) {
      context.addIssue({
        code: 'custom',
        path: ['headersTimeoutMs'],
        message: 'must not exceed server.requestTimeoutMs (the whole request includes its headers)',
      });
    }
  })
  .prefault({});

/**
 * The operational listener of every service: `/metrics` (Prometheus) and the gateway's public
 * signing keys live here, off the public port, so nothing a client can reach tells it the Node
 * version, heap sizes or breaker states. Loopback by default; containers set `PORTICO_ADMIN_HOST`
 * so a scraper on the internal network can reach it. Port 0 picks a free port.
 */
export const adminSection = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    ports: z
      .strictObject(
        Object.fromEntries(
          serviceNames.map((name) => [name, port.default(services[name].adminPort)]),
        ) as Record<ServiceName, z.ZodDefault<typeof port>>,
      )
      .prefault({}),
  })
  .prefault({});
