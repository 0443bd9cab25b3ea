import { type AuditResult, serverAudits } from 'graphql-http';

export interface AuditSummary {
  /** MUST items run (graphql-http has 13; a handful or none would mean the audit did not run). */
  must: number;
  /** MUST items not met, with graphql-http's reason. */
  failedMust: string[];
  /** SHOULD and MAY items not met. */
  otherNotMet: string[];
  others: number;
}

/** graphql-http's GraphQL-over-HTTP server audit against one endpoint, summed up. */
export async function auditServer(url: string): Promise<AuditSummary> {
  const results: AuditResult[] = [];
  for (const audit of serverAudits({ url, fetchFn: fetch })) results.push(await audit.fn());
  const must = results.filter((result) => result.name.startsWith('MUST'));
  const describe = (result: AuditResult) => `${result.name}: ${'reason' in result ? result.reason : ''}`;
  return {
    must: must.length,
    failedMust: must.filter((result) => result.status !== 'ok').map(describe),
    otherNotMet: results
      .filter((result) => !result.name.startsWith('MUST') && result.status !== 'ok')
      .map((r) => r.name),
    others: results.length - must.length,
  };
}
