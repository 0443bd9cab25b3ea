/** Where a misbehaving subgraph puts its errors (see Fault in fault-server.ts). */
export interface ErrorsFault {
  kind: 'errors';
  at: 'field' | 'entity' | 'entities' | 'request';
  index?: number;
}

/** What a leaky backend puts in its errors; none of it may reach a client unless allowed. */
export const LEAKY = {
  message: 'connect ECONNREFUSED 10.20.30.40:5432 (usage-db.internal) at /srv/metering/db.ts:41',
  extensions: {
    code: 'INTERNAL_SERVER_ERROR',
    stacktrace: ['Error: connect ECONNREFUSED 10.20.30.40:5432', '    at /srv/metering/db.ts:41:7'],
    dbHost: 'usage-db.internal',
    reason: 'usage store unavailable',
  },
  html: '<html><body>502 at http://10.20.30.40:8080/graphql<pre>at /srv/app.js:1</pre></body></html>',
};

export type Answer = { data?: Record<string, unknown> | null; errors?: unknown[] };

/** Puts a leaky error into a real answer, where `fault.at` says. */
export function injectErrors(answer: Answer, fault: ErrorsFault): Answer {
  const error = { message: LEAKY.message, extensions: LEAKY.extensions };
  if (fault.at === 'request') return { errors: [error] };
  if (fault.at === 'entities')
    return { data: { _entities: null }, errors: [{ ...error, path: ['_entities'] }] };
  const index = fault.index ?? 1;
  const entities = answer.data?._entities as Record<string, unknown>[] | undefined;
  if (!entities) {
    const [field] = Object.keys(answer.data ?? {});
    return { data: { ...answer.data, [field!]: null }, errors: [{ ...error, path: [field] }] };
  }
  if (fault.at === 'entity' && index < entities.length) {
    entities[index] = null as unknown as Record<string, unknown>;
    return { data: { _entities: entities }, errors: [{ ...error, path: ['_entities', index] }] };
  }
  const entity = entities[index];
  if (!entity) return answer;
  const fields = Object.keys(entity).filter((key) => key !== '__typename');
  for (const field of fields) entity[field] = null;
  return {
    data: { _entities: entities },
    errors: fields.map((field) => ({ ...error, path: ['_entities', index, field] })),
  };
}
