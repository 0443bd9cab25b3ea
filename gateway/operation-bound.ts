import type { FastifyInstance } from 'fastify';

/**
 * At most `limit` GraphQL requests run at once on this process; the others wait, in arrival order,
 * for a slot (never refused: their deadline, counted from arrival, keeps running while they wait).
 * Each request in flight holds its subgraph answers and its result tree until the last byte is
 * written, and under a burst those objects outlive V8's young generation, so the old generation
 * grows with the number in flight. Fewer at once finish sooner, die young and need a smaller heap,
 * for the same throughput on a core that was saturated anyway. 0: no bound.
 */
export function installOperationBound(app: FastifyInstance, limit: number, path: string): void {
  if (limit === 0) return;
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  app.addHook('preHandler', (request, reply, done) => {
    if (request.routeOptions.url !== path || request.method === 'OPTIONS') return done();
    let holding = false;
    const start = () => {
      holding = true;
      done();
    };
    // 'close' ends every response: written in full, or its connection gone first.
    reply.raw.once('close', () => {
      if (holding) return release();
      // Gone while waiting: nobody to answer, so it never takes a slot.
      const index = waiting.indexOf(start);
      if (index >= 0) waiting.splice(index, 1);
    });
    if (running < limit) {
      running += 1;
      start();
    } else {
      waiting.push(start);
    }
  });
}
