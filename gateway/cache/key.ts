import { createHash } from 'node:crypto';
import { type DocumentNode, print } from 'graphql';
import type { VerifiedIdentity } from '../../platform/auth/verify.ts';
import type { CachePolicy } from './policy.ts';

const printed = new WeakMap<DocumentNode, string>();

/** Apollo Server keeps parsed documents, so most requests print nothing here. */
function documentText(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/**
 * The key of an answer. It names exactly what determines the answer:
 *
 * - the document that will run: after field authorization has cut the fields the caller may not
 *   see, so two callers with different authorization outcomes never share an entry (and an
 *   answer is only ever served to a caller whose operation is the one that produced it);
 * - the variables and the operation name;
 * - for PRIVATE answers, the tenant and subject of the verified token, never a header.
 *
 * Returns null when the answer is PRIVATE and there is no verified identity to key it by.
 */
export function responseCacheKey(input: {
  document: DocumentNode;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | undefined;
  policy: CachePolicy;
  identity: VerifiedIdentity | null;
}): string | null {
  const { policy, identity } = input;
  if (policy.scope === 'PRIVATE' && !identity) return null;
  const owner = policy.scope === 'PRIVATE' ? [identity!.tenant ?? '', identity!.subject] : null;
  const material = JSON.stringify([
    documentText(input.document),
    input.operationName ?? null,
    input.variables ?? {},
    owner,
  ]);
  const hash = createHash('sha256').update(material).digest('base64url');
  // The scope and owner stay readable in the key, for operators looking at Redis.
  return policy.scope === 'PRIVATE' ? `private:${hash}` : `public:${hash}`;
}
