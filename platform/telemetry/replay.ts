import type { FastifyBaseLogger } from 'fastify';

/** The request a fast path answers without the GraphQL pipeline, as its observers see it. */
export interface ReplayedRequest {
  headers: { get(name: string): string | undefined };
  /** `performance.now()` when the fast path took the request. */
  startedAt: number;
  log: FastifyBaseLogger;
}

/** What an observing plugin does again for a request answered from a fast path (count it, time it). */
export type Replay = (request: ReplayedRequest) => void;

/**
 * Registers what to do again when the same request is answered from a fast path, as its plugin
 * would have done in the pipeline. Only requests a fast path may take over carry `replays` (the
 * response cache sets it on a full-path hit); for every other request this does nothing.
 */
export function onReplay(context: unknown, replay: Replay): void {
  (context as { replays?: Replay[] }).replays?.push(replay);
}
