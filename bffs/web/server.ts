import type { PorticoConfig } from '../../platform/config/schema.ts';
import type { Service } from '../../platform/service.ts';
import { createBff } from '../kit/create-bff.ts';
import { resolvers, rules } from './resolvers.ts';

/** What the development IDE opens with. */
const EXAMPLE =
  '{ dashboard { viewer { name } tenant { name plan } quota { percentUsed resetsAt } models(first: 3) { name status availability { status } } health { status } generatedAt } }';

/** The web dashboard's BFF: a rich page in sections that degrade one by one. */
export function buildWebBff(config: Readonly<PorticoConfig>): Promise<Service> {
  return createBff({ name: 'web', resolvers, rules, example: EXAMPLE }, config);
}
