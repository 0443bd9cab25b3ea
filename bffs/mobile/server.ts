import type { PorticoConfig } from '../../platform/config/schema.ts';
import type { Service } from '../../platform/service.ts';
import { createBff } from '../kit/create-bff.ts';
import { installEtag } from '../kit/etag.ts';
import { resolvers, rules } from './resolvers.ts';

/** What the development IDE opens with. */
const EXAMPLE = '{ home { greeting quotaPercent topModels { name requests7d available } status } }';

/** The mobile home screen's BFF: compact answers, ETags and 304s. */
export function buildMobileBff(config: Readonly<PorticoConfig>): Promise<Service> {
  return createBff(
    { name: 'mobile', resolvers, rules, example: EXAMPLE, install: (service) => installEtag(service) },
    config,
  );
}
