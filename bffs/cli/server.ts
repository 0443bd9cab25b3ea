import type { PorticoConfig } from '../../platform/config/schema.ts';
import type { Service } from '../../platform/service.ts';
import { createBff } from '../kit/create-bff.ts';
import { resolvers, rules } from './resolvers.ts';

/** What the development IDE opens with. */
const EXAMPLE = '{ status { platform { overall checkedAt } account { tenant plan quotaPercent } } }';

/** The terminal client's BFF: compact status, models and usage answers for `portico`. */
export function buildCliBff(config: Readonly<PorticoConfig>): Promise<Service> {
  return createBff({ name: 'cli', resolvers, rules, example: EXAMPLE }, config);
}
